/**
 * `tracing.adot` under Pulumi's mocks: on, every function gets the region's ADOT Node.js layer for
 * its architecture and the wrapper variable; off (the committed stacks), no function has a layer
 * or the variable. The config is validated before anything is created.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, INFRA } from '../../../../guide';
import { parseStackConfig, StackConfigError } from '../../../../infra/config/stack';
import { rawStackConfig } from '../../../../infra/config/stack-file';
import type { OfflineRun } from '../../../../infra/offline/run';
import { ADOT_LAYER, adotLayerArn } from '../../../../infra/specs/tracing';
import { STACKS, TYPES, offline, ofType, runStacks, type StackName } from '../helpers/stacks';

const WRAPPER = 'AWS_LAMBDA_EXEC_WRAPPER';
const functionsOf = (run: OfflineRun) => ofType(run, TYPES.function).map((r) => r.inputs);

describe('ADOT layer (tracing.adot)', () => {
  let off: Record<StackName, OfflineRun>;
  let on: OfflineRun;
  let onElsewhere: OfflineRun;
  beforeAll(async () => {
    off = await runStacks();
    on = await offline('prod', { overrides: { 'async-ai-pipeline:tracing': { adot: true } } });
    onElsewhere = await offline('dev', { overrides: { 'async-ai-pipeline:tracing': { adot: true }, 'aws:region': 'eu-central-1' } });
  }, 120_000);

  it.each(STACKS)('is off in the committed %s stack: no layer, no wrapper', (stack) => {
    const fns = functionsOf(off[stack]);
    expect(fns).toHaveLength(Object.keys(FUNCTIONS).length);
    for (const fn of fns) {
      expect(fn.layers ?? []).toEqual([]);
      expect(fn.environment.variables[WRAPPER]).toBeUndefined();
    }
  });

  it("on, gives every function the region's ADOT layer for its architecture and the otel-handler wrapper", () => {
    const fns = functionsOf(on);
    expect(fns).toHaveLength(Object.keys(FUNCTIONS).length);
    for (const fn of fns) {
      expect(fn.architectures).toEqual([INFRA.lambda.architecture]);
      expect(fn.layers).toEqual([
        `arn:aws:lambda:ap-northeast-1:${ADOT_LAYER.publisherAccount}:layer:aws-otel-nodejs-arm64-ver-${ADOT_LAYER.release}:${ADOT_LAYER.layerVersion}`,
      ]);
      expect(fn.environment.variables[WRAPPER]).toBe('/opt/otel-handler');
      // X-Ray active tracing stays on: the ADOT spans join the Lambda segment.
      expect(fn.tracingConfig).toEqual({ mode: 'Active' });
    }
  });

  it("ships bundles whose handler the wrapper can replace (plain exports, not esbuild's getters)", async () => {
    for (const fn of functionsOf(on)) {
      const code = readFileSync(join(await (fn.code as { path: Promise<string> }).path, 'index.js'), 'utf8');
      expect(code.trimEnd().endsWith('module.exports=Object.assign({},module.exports);')).toBe(true);
    }
  });

  it("takes the layer from the stack's region", () => {
    for (const fn of functionsOf(onElsewhere)) expect(fn.layers).toEqual([adotLayerArn('eu-central-1')]);
    expect(adotLayerArn('eu-central-1')).toMatch(/^arn:aws:lambda:eu-central-1:/);
    expect(adotLayerArn('us-east-1', 'x86_64')).toContain(':layer:aws-otel-nodejs-amd64-ver-');
  });

  it("uses a layer of one's own where given, and asks for one where AWS publishes none", () => {
    const raw = rawStackConfig('dev');
    const own = 'arn:aws:lambda:ap-northeast-1:111122223333:layer:my-otel:3';
    expect(parseStackConfig({ ...raw, 'async-ai-pipeline:tracing': { adot: true, adotLayerArn: own } }, 'dev').tracing).toEqual({
      adot: true,
      adotLayerArn: own,
    });
    expect(parseStackConfig(raw, 'dev').tracing).toEqual({ adot: false });
    const problems = (cfg: Record<string, unknown>) => {
      try {
        parseStackConfig({ ...raw, ...cfg }, 'dev');
        return [];
      } catch (err) {
        if (!(err instanceof StackConfigError)) throw err;
        return err.problems;
      }
    };
    expect(problems({ 'aws:region': 'cn-north-1', 'async-ai-pipeline:tracing': { adot: true } })).toEqual([
      expect.stringMatching(
        /^async-ai-pipeline:tracing\.adotLayerArn is needed: AWS publishes no ADOT layer in cn-north-1\. Fix: pulumi config set --path tracing\.adotLayerArn /,
      ),
    ]);
    expect(problems({ 'async-ai-pipeline:tracing': { adot: 'yes' } })).toEqual([
      expect.stringContaining('tracing.adot must be true or false'),
    ]);
    expect(
      problems({ 'async-ai-pipeline:tracing': { adot: true, adotLayerArn: 'arn:aws:lambda:us-east-1:111122223333:layer:x:1' } }),
    ).toEqual([expect.stringContaining('tracing.adotLayerArn must be a Lambda layer version ARN in ap-northeast-1')]);
  });
});

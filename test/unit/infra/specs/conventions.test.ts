/**
 * Conventions of every resource (issue 15): default tags through each component's provider, and
 * prod protection of stateful resources. Under mocks no provider runs, so tags are checked where
 * Pulumi puts them: each resource's provider reference (what the SDK sends the engine) must point
 * at a provider whose `defaultTags` carry the four tags, for every resource type the AWS provider
 * tags (its SDK class takes `tags`, read from @pulumi/aws itself).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TAG_KEYS, STATEFUL, isStateful } from '../../../../infra/specs/conventions';
import type { OfflineRun, PlannedResource } from '../../../../infra/offline/run';
import { STACKS, offline, runStacks, type StackName } from '../helpers/stacks';

const REPLICATION_SET = 'aws:ssmincidents/replicationSet:ReplicationSet';

const AWS_SDK_DIR = join(__dirname, '..', '..', '..', '..', 'node_modules', '@pulumi', 'aws');

/** `aws:lambda/function:Function` → whether @pulumi/aws's class for it accepts `tags`. */
function taggable(type: string): boolean {
  const m = /^aws:([^/]+)\/([^:]+):/.exec(type);
  if (!m) return false;
  const file = join(AWS_SDK_DIR, m[1]!, `${m[2]}.js`);
  return existsSync(file) && /resourceInputs\["tags"\] = args\??\.tags/.test(readFileSync(file, 'utf8'));
}

/** `urn::id` of each provider resource → its default tags. */
function providerTags(run: OfflineRun): Map<string, Record<string, string>> {
  const byName = new Map<string, Record<string, string>>();
  for (const p of run.resources.filter((r) => r.type === 'pulumi:providers:aws')) {
    const defaultTags = typeof p.inputs.defaultTags === 'string' ? JSON.parse(p.inputs.defaultTags) : p.inputs.defaultTags;
    byName.set(p.name, defaultTags?.tags ?? {});
  }
  return byName;
}

/** The provider reference `urn:…::pulumi:providers:aws::<name>::<id>` → `<name>`. */
const providerName = (r: PlannedResource): string | undefined => /pulumi:providers:aws::([^:]+)::/.exec(r.provider ?? '')?.[1];

let runs: Record<StackName, OfflineRun>;
beforeAll(async () => {
  runs = await runStacks();
});

describe.each(STACKS)('Default tags (%s)', (stack) => {
  const custom = () => runs[stack].resources.filter((r) => r.custom && r.type.startsWith('aws:'));

  it('gives every taggable AWS resource a provider whose default tags are stack, component, service and cost centre', () => {
    const tags = providerTags(runs[stack]);
    const taggables = custom().filter((r) => taggable(r.type));
    expect(taggables.length).toBeGreaterThan(100);
    const untagged = taggables.flatMap((r) => {
      const t = tags.get(providerName(r) ?? '');
      const ok = t && Object.values(TAG_KEYS).every((k) => typeof t[k] === 'string' && t[k] !== '') && t[TAG_KEYS.stack] === stack;
      return ok ? [] : [`${r.type}::${r.name} (provider ${r.provider || 'default'})`];
    });
    expect(untagged).toEqual([]);
  });

  it('names the component of each resource in its component tag', () => {
    const tags = providerTags(runs[stack]);
    const fn = custom().find((r) => r.name === 'functions-ai-generation-worker')!;
    const alarm = custom().find((r) => r.type === 'aws:cloudwatch/metricAlarm:MetricAlarm')!;
    expect(tags.get(providerName(fn)!)).toEqual({ stack, component: 'functions', service: 'async-ai-pipeline', costCentre: 'unassigned' });
    expect(tags.get(providerName(alarm)!)?.component).toBe('observability');
  });
});

describe('Default tags from stack config', () => {
  it('takes the cost centre and service from tags.* in the stack file', async () => {
    const run = await offline('dev', { overrides: { 'async-ai-pipeline:tags': { costCentre: 'CC-4711', service: 'goal-planner' } } });
    expect(providerTags(run).get('database-aws')).toEqual({
      stack: 'dev',
      component: 'database',
      service: 'goal-planner',
      costCentre: 'CC-4711',
    });
  });
});

describe.each(STACKS)('Protection of stateful resources (%s)', (stack) => {
  it(stack === 'prod' ? 'protects and retains every stateful resource' : 'protects nothing (dev is torn down freely)', () => {
    const stateful = runs[stack].resources.filter((r) => r.custom && isStateful(r.type, r.name));
    // Cluster, instances, vault, archive bucket, log groups, user pool, alert key; the Incident
    // Manager replication set only where the optional incident record is on (below).
    expect(new Set(stateful.map((r) => r.type))).toEqual(new Set(STATEFUL.map((s) => s.type).filter((t) => t !== REPLICATION_SET)));
    const wrong = stateful.filter((r) => (r.protect ?? false) !== (stack === 'prod') || (r.retainOnDelete ?? false) !== (stack === 'prod'));
    expect(wrong.map((r) => `${r.type}::${r.name}`)).toEqual([]);
  });

  it(`${stack === 'prod' ? 'protects' : 'leaves unprotected'} the replication set of the optional Incident Manager record`, async () => {
    const run = await offline(stack, { overrides: { 'async-ai-pipeline:alerting': { incidentManager: { enabled: true } } } });
    const sets = run.resources.filter((r) => r.type === REPLICATION_SET);
    expect(sets).toHaveLength(1);
    expect(sets.map((r) => [r.protect ?? false, r.retainOnDelete ?? false])).toEqual([[stack === 'prod', stack === 'prod']]);
  });

  it('leaves what the stack can recreate unprotected', () => {
    const rest = runs[stack].resources.filter((r) => r.custom && r.type.startsWith('aws:') && !isStateful(r.type, r.name));
    expect(rest.filter((r) => r.protect).map((r) => `${r.type}::${r.name}`)).toEqual([]);
    expect(rest.some((r) => r.type === 'aws:lambda/function:Function')).toBe(true);
  });
});

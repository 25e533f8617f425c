/** The offline run's command line and report, with a hand-made stack in place of the program. */
import { parseArgs, runPolicyCli, USAGE } from '../../../policies/lib/cli';
import { formatReport } from '../../../policies/lib/report';
import { T, lambdaFunction } from './helpers/happy-path';
import { resource } from './helpers/policy-harness';

const console = () => {
  const lines: string[] = [];
  return { lines, out: { log: (t: string) => lines.push(t), error: (t: string) => lines.push(t) } };
};

describe('parseArgs', () => {
  it.each([
    [['--stack', 'dev'], { stack: 'dev', json: false, rulesTable: false }],
    [['--stack=prod', '--json'], { stack: 'prod', json: true, rulesTable: false }],
    [['--rules-table'], { stack: undefined, json: false, rulesTable: true }],
  ])('reads %j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each([[[]], [['--stack']], [['--stack', '--json']]])('refuses %j', (argv) => {
    expect(parseArgs(argv)).toBeUndefined();
  });
});

describe('runPolicyCli', () => {
  it('exits 2 with the usage when no stack is given', async () => {
    const c = console();
    expect(await runPolicyCli([], c.out)).toBe(2);
    expect(c.lines).toEqual([USAGE]);
  });

  it('exits 2 for a stack without a Pulumi.<stack>.yaml', async () => {
    const c = console();
    expect(await runPolicyCli(['--stack', 'staging'], c.out)).toBe(2);
    expect(c.lines[0]).toMatch(/^No stack file .*Pulumi\.staging\.yaml\./);
  });

  it('exits 1 and prints each violation the way pulumi preview groups them', async () => {
    const c = console();
    const fn = resource(T.function, { ...lambdaFunction(), memorySize: 256 }, 'functions-async-processing-handler');
    const code = await runPolicyCli(['--stack', 'dev'], c.out, async (stack) => ({ stack, resources: [fn] }));
    const text = c.lines.join('\n');
    expect(code).toBe(1);
    expect(text).toContain([
      '    ❌ async-ai-pipeline@v0.1.0 (local: policies)',
      '        - [mandatory]  lambda-guide-sizes  (aws:lambda/function:Function: functions-async-processing-handler)',
      '          Every Lambda function is one of the guide\'s FUNCTIONS with exactly its memory and timeout (guide/index.ts), so a size changes in one reviewed place.',
      '          Lambda "async-processing-handler" (AsyncProcessingHandler) has 256 MB of memory; the guide sets 512 MB (FUNCTIONS.asyncProcessingHandler).',
    ].join('\n'));
    // Stack policies report against the stack as a whole when no resource is at fault.
    expect(text).toContain('        - [mandatory]  budget-limit\n');
    expect(text).toMatch(/Stack dev FAILS the policy pack\.$/);
  });

  it('exits 3 when the program cannot run', async () => {
    const c = console();
    const code = await runPolicyCli(['--stack', 'dev'], c.out, async () => {
      throw new Error('Pulumi.dev.yaml: database.minCapacity is missing');
    });
    expect(code).toBe(3);
    expect(c.lines[0]).toMatch(/^The program of stack dev did not run under mocks, so no policy could be checked:\nError: Pulumi\.dev\.yaml/);
  });
});

describe('formatReport', () => {
  it('shows a passing pack with its advisories', () => {
    expect(formatReport({
      stack: 'prod', pack: 'async-ai-pipeline', version: '0.1.0', policyCount: 28, resourceCount: 3, configFile: 'policies/config/prod.json',
      violations: [{
        policyName: 'cloudfront-custom-certificate', description: 'Why.', enforcementLevel: 'advisory', message: 'What.',
        resource: { type: T.distribution, name: 'edge-cdn', urn: 'urn:x' },
      }],
    })).toBe([
      'Stack prod: 3 resources checked offline (Pulumi mocks, no AWS calls), policy config policies/config/prod.json',
      '',
      'Policies:',
      '    ⚠️ async-ai-pipeline@v0.1.0 (local: policies)',
      '        - [advisory]  cloudfront-custom-certificate  (aws:cloudfront/distribution:Distribution: edge-cdn)',
      '          Why.',
      '          What.',
      '',
      '28 policies: 0 mandatory and 1 advisory violation(s). Stack prod passes.',
    ].join('\n'));
  });
});

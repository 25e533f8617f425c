/** The offline run's command line, exit codes and report, with a hand-made stack in place of the program. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, HELP, USAGE, failingModule, parseCommand, runPolicyCli } from '../../../policies/lib/cli';
import { formatReport } from '../../../policies/lib/report';
import { REPO_ROOT } from '../../../infra/build/bundle';
import { StackConfigError } from '../../../infra/config/reader';
import { T, lambdaFunction } from './helpers/happy-path';
import { resource } from './helpers/policy-harness';

const console = () => {
  const lines: string[] = [];
  return { lines, out: { log: (t: string) => lines.push(t), error: (t: string) => lines.push(t) } };
};

describe('parseCommand', () => {
  it.each([
    [['--stack', 'dev'], { kind: 'check', stack: 'dev', json: false, preview: false }],
    [['--stack=prod', '--json', '--preview'], { kind: 'check', stack: 'prod', json: true, preview: true }],
    [['--rules-table'], { kind: 'rules-table' }],
    [['--mutations'], { kind: 'mutations', stack: 'prod' }],
    [['-h'], { kind: 'help' }],
  ])('reads %j', (argv, expected) => {
    expect(parseCommand(argv)).toEqual(expected);
  });

  it.each([
    [[], 'Missing --stack'],
    [['--stack'], "Option '--stack <value>' argument missing"],
    [['--stack', '--json'], "Option '--stack' argument is ambiguous"],
    [['--stack='], '--stack needs a stack name, got ""'],
    [['--stak', 'dev'], "Unknown option '--stak'"],
    [['prod'], "Unexpected argument 'prod'"],
  ])('refuses %j', (argv, problem) => {
    expect((parseCommand(argv) as { error: string }).error).toContain(problem);
  });
});

describe('runPolicyCli', () => {
  it('prints the help and exits 0', async () => {
    const c = console();
    expect(await runPolicyCli(['--help'], c.out)).toBe(EXIT.pass);
    expect(c.lines).toEqual([HELP]);
  });

  it('exits 2 with the problem and the usage when no stack is given', async () => {
    const c = console();
    expect(await runPolicyCli([], c.out)).toBe(EXIT.usage);
    expect(c.lines).toEqual([`Missing --stack\n${USAGE}`]);
  });

  it('exits 2 for a stack without a Pulumi.<stack>.yaml', async () => {
    const c = console();
    expect(await runPolicyCli(['--stack', 'staging'], c.out)).toBe(EXIT.usage);
    expect(c.lines[0]).toMatch(/^No stack file .*Pulumi\.staging\.yaml\./);
  });

  it('exits 1 and prints each violation the way pulumi preview groups them', async () => {
    const c = console();
    const fn = resource(T.function, { ...lambdaFunction(), memorySize: 256 }, 'functions-async-processing-handler');
    const code = await runPolicyCli(['--stack', 'dev'], c.out, async (stack) => ({ stack, resources: [fn] }));
    const text = c.lines.join('\n');
    expect(code).toBe(EXIT.violation);
    expect(text).toContain(
      [
        '    ❌ async-ai-pipeline@v0.1.0 (local: policies)',
        '        - [mandatory]  lambda-guide-sizes  (aws:lambda/function:Function: functions-async-processing-handler)',
        "          Every Lambda function is one of the guide's FUNCTIONS with exactly its memory and timeout (guide/index.ts), so a size changes in one reviewed place.",
        '          Lambda "async-processing-handler" (AsyncProcessingHandler) has 256 MB of memory; the guide sets 512 MB (FUNCTIONS.asyncProcessingHandler).',
      ].join('\n'),
    );
    // Stack policies report against the stack as a whole when no resource is at fault.
    expect(text).toContain('        - [mandatory]  budget-limit\n');
    expect(text).toMatch(/Stack dev FAILS the policy pack\.$/);
  });

  it("exits 3 with the stack config's problems when the config is invalid", async () => {
    const c = console();
    const code = await runPolicyCli(['--stack', 'dev'], c.out, async () => {
      throw new StackConfigError([
        'async-ai-pipeline:database.minCapacity is not set. Fix: pulumi config set --path database.minCapacity 0.5',
      ]);
    });
    expect(code).toBe(EXIT.program);
    expect(c.lines[0]).toMatch(
      /^The program of stack dev did not run under mocks \(it failed in test\/unit\/policies\/offline-cli\.test\.ts:\d+\), so no policy could be checked:\nPulumi\.dev\.yaml \(or its secrets\) is invalid:\n {2}- async-ai-pipeline:database\.minCapacity is not set\. Fix: /,
    );
  });

  it('exits 3 naming the failing module of the program, without a stack trace', async () => {
    const c = console();
    const err = new TypeError("Cannot read properties of undefined (reading 'arn')");
    err.stack = [
      `TypeError: ${err.message}`,
      `    at Edge.createDistribution (${join(REPO_ROOT, 'infra/components/edge.ts')}:97:41)`,
      `    at new Edge (${join(REPO_ROOT, 'infra/components/edge.ts')}:50:30)`,
      `    at main (${join(REPO_ROOT, 'infra/index.ts')}:70:16)`,
      `    at runOffline (${join(REPO_ROOT, 'infra/offline/run.ts')}:90:5)`,
    ].join('\n');
    const code = await runPolicyCli(['--stack', 'prod'], c.out, async () => {
      throw err;
    });
    expect(code).toBe(EXIT.program);
    expect(c.lines).toEqual([
      "The program of stack prod did not run under mocks (it failed in infra/components/edge.ts:97), so no policy could be checked:\n  TypeError: Cannot read properties of undefined (reading 'arn')",
    ]);
  });
});

describe('npm run policy on the real program', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aip-policy-'));
    // A stack file whose runbook URL (plain http) fails the program's own check.
    const stackFile = readFileSync(join(REPO_ROOT, 'Pulumi.dev.yaml'), 'utf8').replace(
      /^config:\n/m,
      'config:\n  async-ai-pipeline:alerting:\n    runbookUrl: http://wiki.internal/runbook\n',
    );
    writeFileSync(join(dir, 'Pulumi.dev.yaml'), stackFile);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 3 naming the module and the config key when a value fails its check inside the program, without a stack trace', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'policies/offline.ts'), '--stack', 'dev', '--config-dir', dir],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(run.stderr).toMatch(
      /^The program of stack dev did not run under mocks \(it failed in infra\/config\/alerting\.ts:\d+\), so no policy could be checked:\nPulumi\.dev\.yaml \(or its secrets\) is invalid:\n {2}- async-ai-pipeline:alerting\.runbookUrl must be an absolute https:\/\/ URL/,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(EXIT.program);
  });
});

describe('failingModule', () => {
  it("skips node_modules, the harness and Node's own frames", () => {
    const stack = [
      'Error: x',
      `    at applyHelperAsync (${join(REPO_ROOT, 'node_modules/@pulumi/output.ts')}:516:31)`,
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      `    at checkPagerDutyUrl (${join(REPO_ROOT, 'infra/config/alerting.ts')}:86:11)`,
    ].join('\n');
    expect(failingModule(stack)).toBe('infra/config/alerting.ts:86');
    expect(failingModule('Error: x\n    at <anonymous>')).toBeUndefined();
  });
});

describe('formatReport', () => {
  it('shows a passing pack with its advisories', () => {
    expect(
      formatReport({
        stack: 'prod',
        pack: 'async-ai-pipeline',
        version: '0.1.0',
        policyCount: 28,
        resourceCount: 3,
        configFile: 'policies/config/prod.json',
        preview: true,
        violations: [
          {
            policyName: 'cloudfront-custom-certificate',
            description: 'Why.',
            enforcementLevel: 'advisory',
            message: 'What.',
            resource: { type: T.distribution, name: 'edge-cdn', urn: 'urn:x' },
          },
        ],
      }),
    ).toBe(
      [
        'Stack prod as a first preview (values AWS computes are unknown): 3 resources checked offline (Pulumi mocks, no AWS calls), policy config policies/config/prod.json',
        '',
        'Policies:',
        '    ⚠️ async-ai-pipeline@v0.1.0 (local: policies)',
        '        - [advisory]  cloudfront-custom-certificate  (aws:cloudfront/distribution:Distribution: edge-cdn)',
        '          Why.',
        '          What.',
        '',
        '28 policies: 0 mandatory and 1 advisory violation(s). Stack prod passes.',
      ].join('\n'),
    );
  });
});

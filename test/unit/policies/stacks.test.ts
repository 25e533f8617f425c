/**
 * The real program, dev and prod, under mocks with their Pulumi.<stack>.yaml, checked by the whole
 * pack with their policy config: what `npm run policy -- --stack <s>` does, at `up` and as a first
 * `pulumi preview` (`--preview`), one program run per stack and mode for the file.
 */
import { captureStack, UNKNOWN, type CapturedStack } from '../../../policies/lib/capture';
import { runPolicyCli } from '../../../policies/lib/cli';
import { runPolicies } from '../../../policies/lib/engine';
import { loadPackConfig } from '../../../policies/lib/pack-config';
import { isStackPolicy, type PackResourcePolicy } from '../../../policies/lib/pack-policy';
import { POLICIES, policyNamed } from '../../../policies/rules';
import type { Mode } from './helpers/policy-harness';

const STACKS = ['dev', 'prod'] as const;
type Stack = (typeof STACKS)[number];
const CASES = STACKS.flatMap((stack) => (['up', 'preview'] as const).map((mode) => [stack, mode] as const));

const captured = new Map<string, Promise<CapturedStack>>();
/** Each stack in each mode, captured once for the file (one after the other: Pulumi's runtime state is global). */
let queue: Promise<unknown> = Promise.resolve();
function stackIn(stack: Stack, mode: Mode): Promise<CapturedStack> {
  const key = `${stack}:${mode}`;
  if (!captured.has(key)) {
    const next = queue.then(() => captureStack(stack, { preview: mode === 'preview' }));
    queue = next.catch(() => undefined);
    captured.set(key, next);
  }
  return captured.get(key)!;
}
const check = async (stack: Stack, mode: Mode) =>
  runPolicies(POLICIES, (await stackIn(stack, mode)).resources, loadPackConfig(stack, POLICIES));

/** The only advisory a stack may show, and the config that clears it (README "Custom domain"). */
const DOCUMENTED_ADVISORIES: Record<Stack, string[]> = { dev: [], prod: ['cloudfront-custom-certificate'] };

describe.each(CASES)('stack %s at %s', (stack, mode) => {
  it('passes every mandatory policy of the pack', async () => {
    const mandatory = (await check(stack, mode)).filter((v) => v.enforcementLevel === 'mandatory');
    expect(mandatory.map((v) => `${v.policyName} (${v.resource?.name ?? 'stack'}): ${v.message}`)).toEqual([]);
  });

  it('shows no advisory but the documented one, and no policy that cannot run', async () => {
    const advisory = (await check(stack, mode)).filter((v) => v.enforcementLevel === 'advisory');
    expect(advisory.filter((v) => v.cannotRunDuringPreview)).toEqual([]);
    expect(advisory.map((v) => v.policyName)).toEqual(DOCUMENTED_ADVISORIES[stack]);
  });

  it('exits 0 from the offline run and prints the pack as passing', async () => {
    const out: string[] = [];
    const argv = ['--stack', stack, ...(mode === 'preview' ? ['--preview'] : [])];
    const code = await runPolicyCli(argv, { log: (t) => out.push(t), error: (t) => out.push(t) }, async (s) => stackIn(s as Stack, mode));
    expect(out.join('\n')).toMatch(new RegExp(`Stack ${stack} passes\\.$`));
    expect(code).toBe(0);
  });
});

describe.each(STACKS)('stack %s as captured', (stack) => {
  it('gives every resource a URN, options and dependencies, and stack policies the outputs the mocks returned', async () => {
    const { resources } = await stackIn(stack, 'up');
    const fn = resources.find((r) => r.type === 'aws:lambda/function:Function')!;
    expect(fn.urn).toMatch(new RegExp(`^urn:pulumi:${stack}::async-ai-pipeline::.*aws:lambda/function:Function::`));
    expect(fn.outputs.arn).toMatch(/^arn:aws:lambda:/);
    expect(fn.inputs.arn).toBeUndefined();
    expect(fn.parent).toMatch(/async-ai-pipeline:infra:Functions::functions$/);
    const cdn = resources.find((r) => r.type === 'aws:cloudfront/distribution:Distribution')!;
    expect(cdn.propertyDependencies?.webAclId).toEqual([expect.stringMatching(/aws:wafv2\/webAcl:WebAcl::edge-waf$/)]);
    expect(resources.find((r) => r.type === 'aws:rds/cluster:Cluster')!.protect).toBe(stack === 'prod');
  });

  it('marks at preview what AWS computes as unknown, as the CLI does, and keeps what the program wrote', async () => {
    const { resources } = await stackIn(stack, 'preview');
    const cdn = resources.find((r) => r.type === 'aws:cloudfront/distribution:Distribution')!;
    expect(cdn.inputs.webAclId).toBe(UNKNOWN);
    expect(cdn.inputs.defaultCacheBehavior.viewerProtocolPolicy).toBe('redirect-to-https');
    const fn = resources.find((r) => r.name === 'functions-async-processing-handler')!;
    expect(fn.outputs.arn).toBe(UNKNOWN);
    expect(fn.inputs.environment.variables).toMatchObject({ DB_HOST: UNKNOWN, LOG_LEVEL: expect.any(String) });
  });
});

describe.each(['up', 'preview'] as const)('stack prod with a custom domain at %s', (mode) => {
  const domain = {
    name: 'app.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    apiName: 'api.example.com',
    apiCertificateArn: 'arn:aws:acm:ap-northeast-1:123456789012:certificate/def',
  };
  let found: Awaited<ReturnType<typeof runPolicies>>;
  beforeAll(async () => {
    queue = queue.then(async () => {
      const c = await captureStack('prod', { preview: mode === 'preview', overrides: { 'async-ai-pipeline:domain': domain } });
      found = await runPolicies(POLICIES, c.resources, loadPackConfig('prod', POLICIES));
    });
    await queue;
  });

  it('passes with no advisory at all: the domain clears cloudfront-custom-certificate', () => {
    expect(found.map((v) => `${v.enforcementLevel} ${v.policyName}: ${v.message}`)).toEqual([]);
  });
});

describe.each(['up', 'preview'] as const)('stack prod with Incident Manager as a record at %s', (mode) => {
  let resources: CapturedStack['resources'];
  beforeAll(async () => {
    queue = queue.then(async () => {
      resources = (
        await captureStack('prod', {
          preview: mode === 'preview',
          overrides: { 'async-ai-pipeline:alerting': { incidentManager: { enabled: true } } },
        })
      ).resources;
    });
    await queue;
  });
  const mandatory = async (allowIncidentRecord?: boolean) => {
    const config = loadPackConfig('prod', POLICIES);
    const found = await runPolicies(
      POLICIES,
      resources,
      allowIncidentRecord === undefined ? config : { ...config, 'alert-paging': { allowIncidentRecord } },
    );
    return found.filter((v) => v.enforcementLevel === 'mandatory').map((v) => `${v.policyName}: ${v.message}`);
  };

  it('fails alert-paging alone while the policy config does not allow the record', async () => {
    expect(await mandatory()).toEqual([
      'alert-paging: Incident Manager response plan "AsyncProcessing-prod-critical" exists, but Incident Manager is off for this stack (PagerDuty is the one engine, and Incident Manager is closed to new accounts): remove it, or allow it as a record in the stack\'s policy config (allowIncidentRecord).',
    ]);
  });

  it('passes once allowed: the incident composites start the plan beside the critical topic, and the plan engages nobody', async () => {
    expect(await mandatory(true)).toEqual([]);
  });
});

describe('guide-alarms-exist on the real prod stack', () => {
  it('fails when the error-rate alarm is missing', async () => {
    const { resources } = await stackIn('prod', 'up');
    const withoutErrorRate = resources.filter((r) => r.outputs.tags?.runbookSection !== 'error-rate');
    expect(withoutErrorRate.length).toBe(resources.length - 1);
    const found = await runPolicies([policyNamed('guide-alarms-exist')], withoutErrorRate);
    expect(found.map((v) => v.message)).toEqual([
      "No alarm implements the guide's エラー率アラート (エラー率 > 5% (5分間)): expected a CloudWatch alarm tagged runbookSection=error-rate.",
      'No alarm implements runbook section #error-rate (Error rate; guide: アラート一覧 — エラー率 > 5% (5分間), 重要度 高): expected an alarm tagged runbookSection=error-rate.',
    ]);
  });
});

describe('coverage of the real stacks', () => {
  /** Resource policies none of whose resource types either stack has: they guard only future resources (or config variants). */
  it('leaves only the expected rules without a resource to check', async () => {
    const types = new Set((await Promise.all(STACKS.map((s) => stackIn(s, 'up')))).flatMap((c) => c.resources.map((r) => r.type)));
    const idle = POLICIES.filter((p) => !isStackPolicy(p)).filter((p) => {
      const validations = [(p as PackResourcePolicy).validateResource].flat() as { __pulumiType?: string }[];
      return validations.every((v) => v.__pulumiType) && !validations.some((v) => types.has(v.__pulumiType!));
    });
    // No S3 encryption configuration (SSE-S3 by default); RDS Proxy only with database.rdsProxy: true; no function URL.
    expect(idle.map((p) => p.name)).toEqual(['rds-proxy-tls', 's3-encryption']);
  });
});

/**
 * Runs the Observability component under Pulumi's recording mocks with a stack's real
 * `Pulumi.<stack>.yaml` plus test values for the secrets (which the YAML never holds in clear),
 * fed the way infra/index.ts feeds it: from an `Observed` of the pipeline's resources.
 */
import * as pulumi from '@pulumi/pulumi';
import { FUNCTIONS, STATE_MACHINE_NAME, type FunctionKey } from '../../../../guide';
import { parseStackConfig } from '../../../../infra/config/stack';
import { apiAccessLogGroupName } from '../../../../infra/specs/api-naming';
import { MOCK_ACCOUNT_ID, RecordingMocks, type RecordedResource } from '../../../../infra/offline/mocks';
import { loadStackConfig, rawStackConfig } from '../../../../infra/config/stack-file';
import { PROJECT } from '../../../../infra/config/reader';
import { OFFLINE_CONFIG, OFFLINE_SECRETS } from '../../../../infra/config/alerting';
import type { Observed } from '../../../../infra/specs/observed';

/** The secrets a deployment would hold; their values are checked where they arrive. */
export const TEST_SECRETS: Record<string, string> = OFFLINE_SECRETS;

export interface Deployment {
  readonly stack: string;
  readonly resources: RecordedResource[];
  readonly outputs: { alertTopicArns: Record<string, string>; pagerDutyServiceId: string; dashboardName: string };
}

function observedFor(stack: 'dev' | 'prod', region: string): Observed {
  const functions = Object.fromEntries(
    (Object.keys(FUNCTIONS) as FunctionKey[]).map((k) => {
      const name = FUNCTIONS[k].name;
      return [
        k,
        { name, arn: pulumi.output(`arn:aws:lambda:${region}:${MOCK_ACCOUNT_ID}:function:${name}`), logGroupName: `/aws/lambda/${name}` },
      ];
    }),
  ) as unknown as Observed['functions'];
  return {
    stage: stack,
    region,
    functions,
    logGroupNames: [],
    stateMachine: {
      name: STATE_MACHINE_NAME,
      arn: pulumi.output(`arn:aws:states:${region}:${MOCK_ACCOUNT_ID}:stateMachine:${STATE_MACHINE_NAME}`),
      logGroupName: '/aws/vendedlogs/states/x',
    },
    api: { id: pulumi.output('mockapi'), stageName: '$default', accessLogGroupName: apiAccessLogGroupName(stack) },
    database: { clusterIdentifier: pulumi.output(`async-ai-pipeline-${stack}`), logGroupName: '/aws/rds/x' },
    waf: { webAclName: pulumi.output(`async-ai-pipeline-${stack}`), region: 'us-east-1' },
    cloudFront: { distributionId: pulumi.output('EMOCK') },
    backup: { vaultName: pulumi.output(`async-ai-pipeline-${stack}`) },
  };
}

const settled = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

export async function deployObservability(stack: 'dev' | 'prod', overrides: Record<string, string> = {}): Promise<Deployment> {
  const config = { ...OFFLINE_CONFIG, ...loadStackConfig(stack), ...overrides };
  const mocks = new RecordingMocks(config['aws:region'] ?? 'ap-northeast-1');
  pulumi.runtime.setAllConfig(config, Object.keys(TEST_SECRETS));
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
  // After the mocks: the modules create resources against whatever runtime is set when they run.
  const { Observability } =
    require('../../../../infra/components/observability') as typeof import('../../../../infra/components/observability');
  const { monitoredResources } = require('../../../../infra/specs/observed') as typeof import('../../../../infra/specs/observed');
  const stackConfig = parseStackConfig(rawStackConfig(stack), stack);
  const observability = new Observability('observability', {
    resources: monitoredResources(observedFor(stack, stackConfig.region), stackConfig, MOCK_ACCOUNT_ID),
  });
  const outputs = {
    alertTopicArns: {
      critical: await settled(observability.alertTopicArns.critical),
      warning: await settled(observability.alertTopicArns.warning),
    },
    pagerDutyServiceId: await settled(observability.pagerDutyServiceId),
    dashboardName: await settled(observability.dashboardName),
  };
  await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
  return { stack, resources: [...mocks.resources], outputs };
}

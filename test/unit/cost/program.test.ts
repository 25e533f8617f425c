/** The model reads the program: the real stacks' offline plans and config, not a second copy. */
import { DESIGN, FUNCTIONS, INFRA } from '../../../guide';
import { wafRules } from '../../../infra/specs/waf-rules';
import { inventoryFrom, settingsWith, stackConfig } from '../../../cost/program';
import { ofType, runStacks, STACKS } from '../infra/helpers/stacks';
import { INVENTORY } from './fixtures';

describe('inventoryFrom', () => {
  it.each(STACKS)('counts what the %s stack creates', async (stack) => {
    const run = (await runStacks())[stack];
    const config = stackConfig(stack);
    const inv = inventoryFrom(run.resources);
    const azs = config.network.availabilityZones;
    expect(inv).toMatchObject({
      alarms: ofType(run, 'aws:cloudwatch/metricAlarm:MetricAlarm').length,
      dashboards: 1,
      webAcls: 1,
      wafRules: wafRules().length,
      natGateways: config.network.natGateways === 'OnePerAz' ? azs : 1,
      interfaceEndpointAzs: config.network.interfaceEndpoints.length * azs,
      secrets: 1, // the RDS-managed master secret
      stateMachineLogLevel: 'ALL',
      tracedFunctions: Object.keys(FUNCTIONS).length,
    });
    expect(inv.alarmMetrics).toBeGreaterThanOrEqual(inv.alarms);
    expect(inv.accessLogFormat).toContain('$context.requestId');
  });
});

describe('settingsWith', () => {
  it.each(STACKS)('takes sizes from the guide and concurrency and capacity from Pulumi.%s.yaml', (stack) => {
    const s = settingsWith(stack, INVENTORY);
    const config = stackConfig(stack);
    expect(s.functions.aiGenerationWorker).toMatchObject({
      memoryMb: FUNCTIONS.aiGenerationWorker.memoryMb,
      timeoutSeconds: FUNCTIONS.aiGenerationWorker.timeoutSeconds,
      reservedConcurrency: config.functions.reservedConcurrency.worker,
      architecture: INFRA.lambda.architecture,
    });
    expect(s.functions.statusCheckHandler.reservedConcurrency).toBe(config.functions.reservedConcurrency.api);
    expect(s.config.database).toEqual(config.database);
    expect(s.slices).toBe(DESIGN.workflow.generationSteps);
    expect(s.paths.success.modelCalls).toBe(DESIGN.workflow.generationSteps);
  });
});

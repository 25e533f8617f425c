/** Alarms and budget against the guide: actions and runbook, the guide's required alarms and their metrics, paging, the budget and its lines. */
import { BUDGET, DASHBOARD_NAME, ESCALATION, FUNCTIONS, LOG_QUERIES, RATE_VOLUME, TUNING, logGroupName } from '../../../guide';
import { COST_LINES } from '../../../infra/components/budget';
import { MUTATIONS } from '../../../policies/mutations/catalog';
import type { StackUnderMutation } from '../../../policies/mutations/target';
import { SAVED_QUERIES } from '../../../observability/saved-queries';
import { T, budget, metricAlarm } from './helpers/happy-path';
import { mutate, resource, violations } from './helpers/policy-harness';
import { prodViolations, type Edit } from './helpers/real-stack';

/** A misconfiguration of the mutation suite (policies/mutations/catalog.ts), applied to the real prod stack. */
const mutation = (id: string): Edit => {
  const m = MUTATIONS.find((x) => x.id === id);
  if (!m) throw new Error(`No mutation ${id}`);
  return (s) => m.apply(s);
};
type Props = Record<string, any>;
const alarmNamed = (s: StackUnderMutation, id: string) => s.one(T.metricAlarm, id, (p) => p.name === `AsyncProcessing-prod-${id}`);
const compositeNamed = (s: StackUnderMutation, id: string) =>
  s.one(T.compositeAlarm, id, (p) => p.alarmName === `AsyncProcessing-prod-${id}`);
const PAGE =
  " notifies the paging topic, but it is not an incident composite: it would page on its own, beside its incident's page. Notify the warning topic; its incident class's composite pages.";
const LEVELS = ESCALATION.map((t) => `${t.responder} from ${t.fromMinutes} min`).join(', ');

describe('alarm-actions-runbook', () => {
  it('passes an alarm that notifies on ALARM and OK and links its runbook section', async () => {
    expect(await violations('alarm-actions-runbook', resource(T.metricAlarm, metricAlarm()))).toEqual([]);
  });

  it('fails an alarm that tells nobody', async () => {
    expect(await violations('alarm-actions-runbook', resource(T.metricAlarm, mutate(metricAlarm(), 'alarmActions', [])))).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" has no alarm actions: it would fire without telling anyone.',
    ]);
  });

  it('fails an alarm whose actions are disabled', async () => {
    expect(await violations('alarm-actions-runbook', resource(T.metricAlarm, mutate(metricAlarm(), 'actionsEnabled', false)))).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" has its actions disabled.',
    ]);
  });

  it('fails a description without a runbook link', async () => {
    expect(
      await violations('alarm-actions-runbook', resource(T.metricAlarm, mutate(metricAlarm(), 'alarmDescription', 'Error rate too high'))),
    ).toEqual(['Alarm "AsyncProcessing-prod-error-rate" links no runbook: its description needs "Runbook: <url>#<section>".']);
  });

  it('requires OK actions only where configured (prod), and checks composite alarms too', async () => {
    const silentRecovery = resource(T.metricAlarm, mutate(metricAlarm(), 'okActions', undefined));
    expect(await violations('alarm-actions-runbook', silentRecovery, { requireOkActions: true })).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" has no OK actions: its recovery would reach nobody and a page would stay open.',
    ]);
    expect(await violations('alarm-actions-runbook', silentRecovery, { requireOkActions: false })).toEqual([]);
    const composite = resource(T.compositeAlarm, {
      alarmName: 'AsyncProcessing-prod-any',
      alarmActions: [],
      okActions: ['t'],
      alarmDescription: 'Runbook: https://example.com/runbook.md#y',
    });
    expect(await violations('alarm-actions-runbook', composite)).toEqual([
      'Alarm "AsyncProcessing-prod-any" has no alarm actions: it would fire without telling anyone.',
    ]);
  });

  it("requires an absolute https runbook URL where configured (prod), and the alarm's own section everywhere", async () => {
    const linked = (url: string) =>
      resource(T.metricAlarm, mutate(metricAlarm(), 'alarmDescription', `[CRITICAL] Error rate.\nRunbook: ${url}#error-rate`));
    for (const url of ['http://wiki.internal/runbook', 'docs/runbook.md', 'https:///runbook.md', 'file:///runbook.md']) {
      expect(await violations('alarm-actions-runbook', linked(url), { requireHttpsRunbook: true })).toEqual([
        `Alarm "AsyncProcessing-prod-error-rate" links its runbook as "${url}", not an absolute https URL: nobody paged at 3 a.m. can open it. Set alerting.runbookUrl to the runbook's https address.`,
      ]);
      expect(await violations('alarm-actions-runbook', linked(url), { requireHttpsRunbook: false })).toEqual([]);
    }
    expect(
      await violations('alarm-actions-runbook', linked('https://runbooks.example.org/aip/runbook.md'), { requireHttpsRunbook: true }),
    ).toEqual([]);
    const elsewhere = resource(
      T.metricAlarm,
      mutate(metricAlarm(), 'alarmDescription', 'x\nRunbook: https://example.com/runbook.md#timeout-rate'),
    );
    expect(await violations('alarm-actions-runbook', elsewhere, { requireHttpsRunbook: false })).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" links runbook section #timeout-rate, but its own section is #error-rate: the person paged would read another alarm\'s steps.',
    ]);
  });

  it('catches on the real prod stack an http runbook, a relative one and a copied section', async () => {
    expect(await prodViolations('alarm-actions-runbook', mutation('runbook-http-in-prod'))).toEqual([
      'Alarm "AsyncProcessing-prod-queue-depth" links its runbook as "http://github.com/example/async-ai-pipeline/blob/main/docs/runbook.md", not an absolute https URL: nobody paged at 3 a.m. can open it. Set alerting.runbookUrl to the runbook\'s https address.',
    ]);
    expect(await prodViolations('alarm-actions-runbook', mutation('runbook-relative-in-prod'))).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" links its runbook as "docs/runbook.md", not an absolute https URL: nobody paged at 3 a.m. can open it. Set alerting.runbookUrl to the runbook\'s https address.',
    ]);
    expect(await prodViolations('alarm-actions-runbook', mutation('runbook-wrong-section'))).toEqual([
      'Alarm "AsyncProcessing-prod-incident-database-unreachable" links runbook section #incident-api-failing, but its own section is #incident-database-unreachable: the person paged would read another alarm\'s steps.',
    ]);
  });
});

describe("guide-alarms-exist: the guide's alerts and metric thresholds (real prod stack)", () => {
  it('passes the prod stack as the program deploys it', async () => {
    expect(await prodViolations('guide-alarms-exist')).toEqual([]);
  });

  it("fails a stack missing the error-rate alarm, and one missing the metric table's timeout count", async () => {
    expect(await prodViolations('guide-alarms-exist', mutation('error-rate-alarm-deleted'))).toEqual([
      "No alarm implements the guide's エラー率アラート (エラー率 > 5% (5分間)): expected a CloudWatch alarm tagged runbookSection=error-rate.",
      'No alarm implements runbook section #error-rate (Error rate; guide: アラート一覧 — エラー率 > 5% (5分間), 重要度 高): expected an alarm tagged runbookSection=error-rate.',
    ]);
    expect(await prodViolations('guide-alarms-exist', mutation('timeout-count-alarm-deleted'))).toEqual([
      'No alarm implements runbook section #timeout-count (Timed-out processes; guide: 主要メトリクス — AsyncProcessingTimeout > 10/5分): expected an alarm tagged runbookSection=timeout-count.',
      'No alarm fires on the Sum of AsyncProcessing/AsyncProcessingTimeout {"service":"async-ai-pipeline"} > 10 per 300 s (the guide\'s metric table: タイムアウト数).',
    ]);
  });

  it('fails a guide alarm with another threshold or window', async () => {
    const edit: Edit = (s) => {
      const a = alarmNamed(s, 'timeout-rate');
      s.set(a, 'threshold', 20);
      s.set(a, 'evaluationPeriods', 3);
    };
    expect(await prodViolations('guide-alarms-exist', edit)).toEqual([
      'Alarm "AsyncProcessing-prod-timeout-rate" fires above 20; the guide\'s タイムアウト率アラート (タイムアウト率 > 10% (5分間)) fires above 10.',
      'Alarm "AsyncProcessing-prod-timeout-rate" judges 900 s windows; the guide\'s タイムアウト率アラート (タイムアウト率 > 10% (5分間)) judges 300 s.',
    ]);
  });
});

describe('budget-limit (stack)', () => {
  it('passes a $500 monthly account budget that notifies', async () => {
    expect(await violations('budget-limit', resource(T.budget, budget()))).toEqual([]);
  });

  it('fails a stack without a budget', async () => {
    expect(await violations('budget-limit', [])).toEqual([
      "No monthly COST budget covers the whole account; the guide's budget is $500 per month.",
    ]);
  });

  it("fails a budget above the guide's", async () => {
    expect(await violations('budget-limit', resource(T.budget, mutate(budget(), 'limitAmount', '800.00')))).toEqual([
      'Budget "monthly-total" allows 800.00 USD (MONTHLY); the guide\'s budget is $500 per month.',
    ]);
  });

  it('fails a budget that warns only once it is overspent', async () => {
    expect(await violations('budget-limit', resource(T.budget, mutate(budget(), 'notifications.0.threshold', 150)))).toEqual([
      'Budget "monthly-total" notifies only past its limit: add a notification at or below 100 % (ACTUAL or FORECASTED), so the team can act before the money is spent.',
    ]);
  });

  it('fails a budget that notifies nobody', async () => {
    expect(await violations('budget-limit', resource(T.budget, mutate(budget(), 'notifications', [])))).toEqual([
      'Budget "monthly-total" notifies nobody: it could not warn before the money is spent; add a notification with subscriberSnsTopicArns.',
    ]);
  });
});

describe('budget-service-lines (stack)', () => {
  const line = (key: keyof typeof COST_LINES, amount = (BUDGET.monthlyUsd * BUDGET.sharePercent[key]) / 100) =>
    resource(
      T.budget,
      {
        ...budget(),
        name: `monthly-${key}`,
        limitAmount: amount.toFixed(2),
        costFilters: [{ name: 'Service', values: [...COST_LINES[key]] }],
      },
      `budget-${key}`,
    );
  const lines = () => (Object.keys(COST_LINES) as (keyof typeof COST_LINES)[]).map((k) => line(k));

  it("passes a budget per cost line at the guide's share", async () => {
    expect(await violations('budget-service-lines', [resource(T.budget, budget()), ...lines()])).toEqual([]);
  });

  it('fails when a line is missing', async () => {
    expect(
      await violations(
        'budget-service-lines',
        lines().filter((r) => r.name !== 'budget-bedrock'),
      ),
    ).toEqual([
      'No monthly COST budget is filtered to Amazon Bedrock: the guide gives bedrock 30 % of $500 ($150); add one with costFilters [{ name: "Service", values: ["Amazon Bedrock"] }].',
    ]);
  });

  it("lets the Bedrock line also count the model's Marketplace service, and nothing else", async () => {
    const bedrock = (values: string[]) =>
      resource(
        T.budget,
        {
          ...budget(),
          name: 'monthly-bedrock',
          limitAmount: ((BUDGET.monthlyUsd * BUDGET.sharePercent.bedrock) / 100).toFixed(2),
          costFilters: [{ name: 'Service', values }],
        },
        'budget-bedrock',
      );
    const others = lines().filter((r) => r.name !== 'budget-bedrock');
    expect(
      await violations('budget-service-lines', [...others, bedrock(['Amazon Bedrock', 'Claude 3 Haiku (Amazon Bedrock Edition)'])]),
    ).toEqual([]);
    expect(await violations('budget-service-lines', [...others, bedrock(['Amazon Bedrock', 'AWS Lambda'])])).toEqual([
      'Budget "monthly-bedrock" mixes Amazon Bedrock, AWS Lambda: the guide\'s lambda line is AWS Lambda alone.',
      'Budget "monthly-bedrock" mixes Amazon Bedrock, AWS Lambda: the guide\'s bedrock line is Amazon Bedrock and the model\'s "(Amazon Bedrock Edition)" service alone.',
    ]);
  });

  it('fails a line above its share', async () => {
    expect(await violations('budget-service-lines', [...lines().filter((r) => r.name !== 'budget-lambda'), line('lambda', 400)])).toEqual([
      'Budget "monthly-lambda" allows 400.00 USD for AWS Lambda; the guide\'s lambda share is 40 % of $500 = $200.',
    ]);
  });
});

describe('guide-alarms-exist: the metric each alarm watches (real prod stack)', () => {
  it('fails a guide alarm that keeps its tag, threshold and window but watches another metric', async () => {
    expect(await prodViolations('guide-alarms-exist', mutation('alarm-watches-started'))).toEqual([
      'Alarm "AsyncProcessing-prod-processing-time" watches AsyncProcessing/AsyncProcessingStarted; it must watch AsyncProcessing/ProcessingDuration (Average, dimensions {"service":"async-ai-pipeline"}), as the guide\'s 処理時間アラート (平均処理時間 > 5分 (5分間)) does.',
    ]);
  });

  it('fails a rate computed from the wrong metrics', async () => {
    const [message] = await prodViolations('guide-alarms-exist', mutation('error-rate-without-timeouts'));
    expect(message).toMatch(
      /^Alarm "AsyncProcessing-prod-error-rate" computes IF\(.*100 \* \(FILL\(failed,0\)\) \/ .*, not the guide's ErrorRate over 300 s \(observability\/metrics\.ts outcomeRate\), as the guide's エラー率アラート/,
    );
  });

  it('fails an alarm on a series nobody publishes (dimensions changed) and on the wrong statistic', async () => {
    expect(await prodViolations('guide-alarms-exist', mutation('alarm-queue-depth-minimum'))).toEqual([
      'Alarm "AsyncProcessing-prod-queue-depth" reads the Minimum statistic; it must read AsyncProcessing/QueueDepth (Maximum or Average, dimensions {"service":"async-ai-pipeline"}), as the guide\'s 待機中処理数アラート (待機中の処理数 > 100) does.',
      'No alarm fires on the Maximum or Average of AsyncProcessing/QueueDepth {"service":"async-ai-pipeline"} > 100 per 60 s (the guide\'s metric table: 待機中の処理数).',
    ]);
    expect(await prodViolations('guide-alarms-exist', mutation('alarm-failed-count-no-dimension'))).toEqual([
      'No alarm fires on the Sum of AsyncProcessing/AsyncProcessingFailed {"service":"async-ai-pipeline"} > 5 per 300 s (the guide\'s metric table: 失敗数).',
    ]);
  });
});

describe('guide-alarms-exist: the alarm design (real prod stack)', () => {
  it('fails a rate alarm without its volume guard, or with a lower one', async () => {
    const guard = `it must count only from ${RATE_VOLUME.minEvents} events in its window (RATE_VOLUME): below that one failure is already above a 5 % threshold and pages`;
    expect(await prodViolations('guide-alarms-exist', mutation('api-guard-removed'))).toEqual([
      `Alarm "AsyncProcessing-prod-api-server-errors" is a rate without a volume guard: ${guard} (IF(<count> >= ${RATE_VOLUME.minEvents}, <rate>, 0)).`,
    ]);
    expect(await prodViolations('guide-alarms-exist', mutation('error-rate-guard-removed'))).toEqual([
      `Alarm "AsyncProcessing-prod-error-rate" computes ErrorRate without its volume guard: below ${RATE_VOLUME.minEvents} finished processes (RATE_VOLUME) one failure is already above the threshold and pages; it must be 0 there, as the guide's エラー率アラート (エラー率 > 5% (5分間)) does.`,
      `Alarm "AsyncProcessing-prod-error-rate" is a rate without a volume guard: ${guard} (IF(<count> >= ${RATE_VOLUME.minEvents}, <rate>, 0)).`,
    ]);
    const lowered = await prodViolations('guide-alarms-exist', mutation('timeout-rate-guard-lowered'));
    expect(lowered).toContain(
      `Alarm "AsyncProcessing-prod-timeout-rate" guards its rate from 1 on; it needs ${RATE_VOLUME.minEvents} events in its window (RATE_VOLUME): below that one failure is already above a 5 % threshold and pages.`,
    );
    // The short burn windows only ask that the burn goes on: two errors, not RATE_VOLUME.
    const short: Edit = (s) =>
      s.edit<Props[]>(alarmNamed(s, 'slo-error-budget-fast-short'), 'metricQueries', (q) =>
        q.map((x) => (x.expression ? { ...x, expression: String(x.expression).replace(/>= 2,/, '>= 1,') } : x)),
      );
    expect(await prodViolations('guide-alarms-exist', short)).toEqual([
      'Alarm "AsyncProcessing-prod-slo-error-budget-fast-short" guards its rate from 1 on; it needs 2 errors in its short burn window (ERROR_BUDGET.shortWindowMinErrors).',
      expect.stringMatching(
        /^Alarm "AsyncProcessing-prod-slo-error-budget-fast-short" computes IF\(.* >= 1, .*, not the errorRate over 300 s/,
      ),
    ]);
  });

  it('fails a burn-rate pair that is not long AND short, a window at another threshold, and a missing window', async () => {
    const cases: [string, unknown[]][] = [
      [
        'burn-pair-or',
        [
          "No composite alarm combines the windows of the errorRate budget's fast burn (2 % of 30 days in 1 h, burn rate 14.4: > 14.4 %) as long AND short (AsyncProcessing-prod-slo-error-budget-fast-long, AsyncProcessing-prod-slo-error-budget-fast-short): alone, the long window keeps alarming an hour after the burn stops, the short one alarms on a burst.",
        ],
      ],
      [
        'burn-fast-threshold',
        [
          'Alarm "AsyncProcessing-prod-slo-timeout-budget-fast-long" fires GreaterThanThreshold 100; the long window of the timeoutRate budget\'s fast burn (2 % of 30 days in 1 h, burn rate 14.4: > 72 %) fires above 72.',
        ],
      ],
      [
        'burn-short-window-deleted',
        [
          "No alarm judges the short window (30 min) of the errorRate budget's slow burn (5 % of 30 days in 6 h, burn rate 6: > 6 %): expected an alarm tagged runbookSection=slo-error-budget over 1800 s.",
        ],
      ],
    ];
    for (const [id, expected] of cases) expect(await prodViolations('guide-alarms-exist', mutation(id))).toEqual(expected);
  });

  it('fails a critical alarm that no incident composite pages for, or that two do, and an incident composite that needs all of its alarms', async () => {
    expect(await prodViolations('guide-alarms-exist', mutation('critical-alarm-out-of-incident'))).toEqual([
      'Critical alarm "AsyncProcessing-prod-error-rate" is in no incident composite\'s rule: nothing pages when it fires. Add it to its incident class\'s composite.',
    ]);
    const twice: Edit = (s) =>
      s.edit<string>(
        compositeNamed(s, 'incident-api-failing'),
        'alarmRule',
        (r) => `${r} OR ALARM("AsyncProcessing-prod-queue-monitor-failing")`,
      );
    expect(await prodViolations('guide-alarms-exist', twice)).toEqual([
      'Critical alarm "AsyncProcessing-prod-queue-monitor-failing" is in 2 incident composites (AsyncProcessing-prod-incident-database-unreachable, AsyncProcessing-prod-incident-api-failing): one incident would page 2 times.',
    ]);
    expect(await prodViolations('guide-alarms-exist', mutation('incident-composite-and'))).toEqual([
      'Incident composite "AsyncProcessing-prod-incident-database-unreachable" combines its alarms with AND: it pages only when all of them fire at once. An incident class pages when any of its alarms fires (OR).',
    ]);
    expect(await prodViolations('guide-alarms-exist', mutation('incident-composite-deleted'))).toEqual([
      'No alarm implements runbook section #incident-api-failing (API failing; incident class: the composite of its critical alarms): expected an alarm tagged runbookSection=incident-api-failing.',
      'Critical alarm "AsyncProcessing-prod-api-server-errors" is in no incident composite\'s rule: nothing pages when it fires. Add it to its incident class\'s composite.',
    ]);
  });

  it("fails AWS's recommended alarms deleted, in the wrong region or at another threshold", async () => {
    const cases: [string, unknown[]][] = [
      [
        'db-load-deleted',
        [
          expect.stringMatching(
            /^No alarm implements runbook section #aurora-db-load \(Aurora load above its vCPUs; .*\): expected an alarm tagged runbookSection=aurora-db-load\.$/,
          ),
        ],
      ],
      [
        'waf-alarm-stack-region',
        [
          'Alarm "AsyncProcessing-prod-waf-blocked-spike" (waf-blocked-spike) lives in the stack\'s region; AWS/WAFV2 publishes in us-east-1 only, so it would never see a datapoint.',
        ],
      ],
      [
        'transaction-ids-threshold',
        [
          'Alarm "AsyncProcessing-prod-aurora-transaction-ids" (aurora-transaction-ids) fires GreaterThanThreshold 2000000000; it must fire above 1000000000 (ALARM_POLICY).',
        ],
      ],
      [
        'edge-delivery-alarm-deleted',
        [
          'No alarm watches the failed deliveries of alert topic AsyncProcessing-prod-edge-alerts-warning (AWS/SNS NumberOfNotificationsFailed): a broken subscription would drop alerts unseen.',
        ],
      ],
    ];
    for (const [id, expected] of cases) expect(await prodViolations('guide-alarms-exist', mutation(id))).toEqual(expected);
  });

  it("fails a function whose memory alarm is gone or sits above the guide's 80 %", async () => {
    const memory = (mb: number) => Math.floor((mb * TUNING.raiseMemoryAbovePercent) / 100);
    expect(await prodViolations('guide-alarms-exist', mutation('memory-alarm-deleted'))).toEqual([
      `No alarm watches the memory of function ${FUNCTIONS.queueMonitor.name}: the guide raises memory above ${TUNING.raiseMemoryAbovePercent} % (an alarm tagged lambda-memory on AsyncProcessing/LambdaMemory/${FUNCTIONS.queueMonitor.name} > ${memory(FUNCTIONS.queueMonitor.memoryMb)} MB).`,
    ]);
    const worker = FUNCTIONS.aiGenerationWorker;
    expect(await prodViolations('guide-alarms-exist', mutation('memory-alarm-95'))).toEqual([
      `Alarm "AsyncProcessing-prod-lambda-memory-${worker.name}" fires GreaterThanThreshold ${Math.floor(worker.memoryMb * 0.95)} MB; ${worker.name} has ${worker.memoryMb} MB, and the guide acts above ${TUNING.raiseMemoryAbovePercent} % (${memory(worker.memoryMb)} MB).`,
    ]);
  });
});

describe('alert-paging (real prod stack)', () => {
  it("passes the program's paging: PagerDuty escalation, service, CloudWatch integration, incident composites on the critical topic", async () => {
    expect(await prodViolations('alert-paging')).toEqual([]);
  });

  it('fails an incident composite that does not page, and any other alarm that does', async () => {
    expect(await prodViolations('alert-paging', mutation('composite-loses-paging'))).toEqual([
      'Alarm "AsyncProcessing-prod-incident-database-unreachable" is the composite of incident class incident-database-unreachable but notifies no topic that feeds PagerDuty: add the critical topic to its alarmActions, or the incident never pages.',
    ]);
    expect(await prodViolations('alert-paging', mutation('metric-alarm-pages'))).toEqual([
      `Alarm "AsyncProcessing-prod-queue-monitor-failing"${PAGE}`,
    ]);
    expect(await prodViolations('alert-paging', mutation('warning-alarm-also-pages'))).toEqual([
      `Alarm "AsyncProcessing-prod-backup-failed"${PAGE}`,
    ]);
    const cause: Edit = (s) => {
      const c = compositeNamed(s, 'incident-processing-failing-cause');
      const t = s.one(T.topic, 'critical', (p) => String(p.name).endsWith('-alerts-critical'));
      s.set(c, 'alarmActions', [t.outputs.arn]);
      c.propertyDependencies = { ...c.propertyDependencies, alarmActions: [t.urn] };
    };
    expect(await prodViolations('alert-paging', cause)).toEqual([`Alarm "AsyncProcessing-prod-incident-processing-failing-cause"${PAGE}`]);
  });

  it("lets only the warning topic's failed-deliveries alarm reach the paging topic (it cannot report through the path that fails)", async () => {
    const critical: Edit = (s) => {
      const a = alarmNamed(s, 'alert-delivery-failed-critical');
      const t = s.one(T.topic, 'critical', (p) => String(p.name).endsWith('-alerts-critical'));
      s.set(a, 'alarmActions', [t.outputs.arn]);
      a.propertyDependencies = { ...a.propertyDependencies, alarmActions: [t.urn] };
    };
    expect(await prodViolations('alert-paging', critical)).toEqual([`Alarm "AsyncProcessing-prod-alert-delivery-failed-critical"${PAGE}`]);
  });

  it('fails when the critical topic no longer delivers to the PagerDuty integration', async () => {
    for (const id of ['pagerduty-subscription-removed', 'pagerduty-subscription-relay']) {
      const found = await prodViolations('alert-paging', mutation(id));
      expect(found[0]).toBe(
        "No topic delivers to a PagerDuty CloudWatch integration: subscribe the critical topic over HTTPS to the integration's URL (https://events.pagerduty.com/integration/<key>/enqueue).",
      );
      expect(found.slice(1)).toHaveLength(4);
    }
    expect(await prodViolations('alert-paging', mutation('pagerduty-integration-events-api'))).toEqual([
      'PagerDuty integration "Amazon CloudWatch" is of type events_api_v2_inbound_integration; the critical topic needs aws_cloudwatch_inbound_integration, which opens on ALARM and resolves on OK.',
    ]);
  });

  it("fails an escalation that is not the guide's table", async () => {
    const policy = 'PagerDuty escalation policy "AsyncProcessing prod escalation"';
    const cases: [string, string][] = [
      [
        'escalation-team-lead-at-45',
        `engages level 2 (the team-lead) after 45 min; the guide engages the team-lead after ${ESCALATION[1].fromMinutes} min (${LEVELS})`,
      ],
      ['escalation-skips-team-lead', `has 2 escalation levels; the guide has 3 (${LEVELS})`],
      ['team-lead-is-on-call', 'engages the same targets at level 2 (the team-lead) as at level 1: the escalation reaches nobody new'],
      ['manager-level-empty', 'reaches nobody at level 3 (the manager): give the rule a user or schedule target'],
      ['escalation-loops', "loops 2 time(s) back to the on-call after the manager; the guide's table ends with the manager (numLoops 0)"],
    ];
    for (const [id, problem] of cases) expect(await prodViolations('alert-paging', mutation(id))).toEqual([`${policy} ${problem}.`]);
  });

  it('fails a service where acknowledging does not stop the escalation, a timer resolves, or urgency is low', async () => {
    const service = 'PagerDuty service "AsyncProcessing prod"';
    expect(await prodViolations('alert-paging', mutation('pagerduty-ack-timeout'))).toEqual([
      `${service} re-triggers an acknowledged incident after 1800 s (acknowledgementTimeout): acknowledging must stop the escalation; set it to "null".`,
    ]);
    expect(await prodViolations('alert-paging', mutation('pagerduty-auto-resolve'))).toEqual([
      `${service} resolves incidents after 14400 s by itself (autoResolveTimeout), while the alarm may still be in ALARM: only the alarm's OK resolves; set it to "null".`,
    ]);
    expect(await prodViolations('alert-paging', mutation('pagerduty-low-urgency'))).toEqual([
      `${service} opens low-urgency incidents, which do not page by phone: the guide's high alerts need high urgency.`,
    ]);
  });

  it('fails Incident Manager contacts always, and a response plan unless allowed as a record that engages nobody', async () => {
    expect(await prodViolations('alert-paging', mutation('incident-manager-escalation-back'))).toEqual([
      'aws:ssmcontacts/contact:Contact "team-lead-contact" is an Incident Manager contact or escalation plan: a second paging engine that keeps calling after the PagerDuty incident is acknowledged. Escalate in PagerDuty only.',
      'aws:ssmcontacts/plan:Plan "team-lead-plan" is an Incident Manager contact or escalation plan: a second paging engine that keeps calling after the PagerDuty incident is acknowledged. Escalate in PagerDuty only.',
    ]);
    expect(await prodViolations('alert-paging', mutation('response-plan-in-prod'))).toEqual([
      'Incident Manager response plan "AsyncProcessing-prod-critical" exists, but Incident Manager is off for this stack (PagerDuty is the one engine, and Incident Manager is closed to new accounts): remove it, or allow it as a record in the stack\'s policy config (allowIncidentRecord).',
    ]);
    expect(await prodViolations('alert-paging', mutation('response-plan-in-prod'), { allowIncidentRecord: true })).toEqual([]);
    const engaging: Edit = (s) => {
      mutation('response-plan-in-prod')(s);
      s.set(s.one('aws:ssmincidents/responsePlan:ResponsePlan', 'the plan'), 'engagements', [
        'arn:aws:ssm-contacts:ap-northeast-1:123456789012:contact/on-call',
      ]);
    };
    expect(await prodViolations('alert-paging', engaging, { allowIncidentRecord: true })).toEqual([
      'Incident Manager response plan "AsyncProcessing-prod-critical" engages contacts: as a record it must engage nobody, or it pages beside PagerDuty.',
    ]);
  });
});

describe('alert-routing (real prod stack)', () => {
  it("passes the program's topics: critical, warning and the us-east-1 edge topic, each to Slack and e-mail", async () => {
    expect(await prodViolations('alert-routing')).toEqual([]);
  });

  it('fails edge alarms whose topic is gone, lives in another region, or reaches no one', async () => {
    const edge = ['alert-delivery-failed-edge', 'waf-blocked-spike', 'cloudfront-server-errors'].map(
      (id) => `Alarm "AsyncProcessing-prod-${id}"`,
    );
    expect(await prodViolations('alert-routing', mutation('edge-topic-missing'))).toEqual(
      edge.map((a) => `${a} notifies no alert topic of the stack: its actions name a topic that does not exist here.`),
    );
    expect(await prodViolations('alert-routing', mutation('edge-alarm-to-stack-topic'))).toEqual([
      'Alarm "AsyncProcessing-prod-cloudfront-server-errors" lives in us-east-1 but notifies a topic in the stack\'s region: CloudWatch delivers to topics of the alarm\'s own region only (the edge alarms have the us-east-1 edge topic).',
    ]);
    expect(await prodViolations('alert-routing', mutation('edge-email-removed'))).toEqual(
      edge.map((a) => `${a} notifies no topic with an e-mail subscription: subscribe the ops team's address to its topic.`),
    );
    expect(await prodViolations('alert-routing', mutation('slack-drops-edge-topic'))).toEqual(
      edge.map(
        (a) =>
          `${a} notifies no topic that Slack #async-processing-alerts hears: list its topic in the AWS Chatbot channel configuration's snsTopicArns.`,
      ),
    );
  });

  it('fails when no incident composite reaches PagerDuty', async () => {
    expect(await prodViolations('alert-routing', mutation('pagerduty-subscription-removed'))).toEqual([
      'No incident composite notifies a topic with a PagerDuty subscription: the critical topic needs its HTTPS subscription to the PagerDuty CloudWatch integration.',
    ]);
  });

  it('fails, with hand-made resources, an alarm whose topic nobody hears on Slack or by e-mail', async () => {
    const topic = resource(
      T.topic,
      { name: 'AsyncProcessing-prod-alerts-warning', arn: 'arn:aws:sns:ap-northeast-1:111122223333:AsyncProcessing-prod-alerts-warning' },
      'warning',
    );
    const alarm = resource(T.metricAlarm, { ...metricAlarm(), alarmActions: [topic.inputs.arn] }, 'alarm', {
      deps: { alarmActions: [topic] },
    });
    expect(await violations('alert-routing', [topic, alarm])).toEqual([
      'Alarm "AsyncProcessing-prod-error-rate" notifies no topic that Slack #async-processing-alerts hears: list its topic in the AWS Chatbot channel configuration\'s snsTopicArns.',
      'Alarm "AsyncProcessing-prod-error-rate" notifies no topic with an e-mail subscription: subscribe the ops team\'s address to its topic.',
    ]);
  });
});

describe('saved-queries-dashboard (stack)', () => {
  const queries = () =>
    SAVED_QUERIES.map((q) =>
      resource(
        T.query,
        { name: q.name, queryString: q.queryString, logGroupNames: q.functions.map((f) => logGroupName(FUNCTIONS[f].name)) },
        q.name,
      ),
    );
  const dashboard = () => resource(T.dashboard, { dashboardName: DASHBOARD_NAME, dashboardBody: '{}' }, 'dashboard');

  it("passes the guide's queries, saved verbatim over every function's logs, and the dashboard", async () => {
    expect(await violations('saved-queries-dashboard', [...queries(), dashboard()])).toEqual([]);
  });

  it('fails an edited query, a missing one and a missing dashboard', async () => {
    const [errors, , durations] = queries();
    const edited = resource(
      T.query,
      { ...errors!.inputs, queryString: LOG_QUERIES.errors.query.replace('limit 100', 'limit 10') },
      errors!.name,
    );
    expect(await violations('saved-queries-dashboard', [edited, durations!])).toEqual([
      "Saved query AsyncProcessing/Errors differs from the guide's text (guide/index.ts LOG_QUERIES): operators would get other results than the guide describes.",
      `The guide's query AsyncProcessing/ProcessTrace (${LOG_QUERIES.processTrace.title}) is not saved: add an aws.cloudwatch.QueryDefinition with its text from guide/index.ts LOG_QUERIES.`,
      `The guide's query AsyncProcessing/ErrorsByCode (${LOG_QUERIES.errorsByCode.title}) is not saved: add an aws.cloudwatch.QueryDefinition with its text from guide/index.ts LOG_QUERIES.`,
      `No CloudWatch dashboard is named ${DASHBOARD_NAME} (ダッシュボード): the daily 09:00 and 17:00 checks start there.`,
    ]);
  });

  it('fails a query that misses the log group of a function that writes what it reads', async () => {
    const durations = SAVED_QUERIES.find((q) => q.key === 'durationByType')!;
    const others = queries().filter((q) => q.name !== durations.name);
    const without = resource(
      T.query,
      { name: durations.name, queryString: durations.queryString, logGroupNames: [logGroupName(FUNCTIONS.queueMonitor.name)] },
      durations.name,
    );
    expect(await violations('saved-queries-dashboard', [...others, without, dashboard()])).toEqual([
      `Saved query ${durations.name} does not search ${logGroupName(FUNCTIONS.aiGenerationWorker.name)}: it must cover the log groups of every function that writes what it reads.`,
    ]);
  });
});

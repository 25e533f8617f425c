/**
 * Ordering that a first `pulumi up` needs (issue 15). `dependsOn` on a component does not reach the
 * resources inside it, and inputs that are plain strings (log group names, security-group ids in
 * rules) create no edge: each rule below names a resource that AWS refuses, or that fails at run
 * time, if it is created before what it needs. The rules run over the dependency lists the SDK sends
 * the engine (direct and transitive), for both stacks and for a variant with RDS Proxy.
 */
import type { OfflineRun } from '../../../../infra/offline/run';
import {
  checkRules,
  describeViolation,
  graphOf,
  isPolicyOfItsRole,
  keyOf,
  withoutDependents,
  withoutEdge,
  type DependencyRule,
} from '../helpers/dependency-graph';
import { STACKS, TYPES, offline, runStacks, type StackName } from '../helpers/stacks';

const T = {
  ...TYPES,
  subscriptionFilter: 'aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter',
  invocation: 'aws:lambda/invocation:Invocation',
  attachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  proxy: 'aws:rds/proxy:Proxy',
  proxyTarget: 'aws:rds/proxyTarget:ProxyTarget',
  backupSelection: 'aws:backup/selection:Selection',
  restoreTestingSelection: 'aws:backup/restoreTestingSelection:RestoreTestingSelection',
  firehose: 'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream',
  chatbot: 'aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration',
  topicPolicy: 'aws:sns/topicPolicy:TopicPolicy',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  publicAccessBlock: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  eventTarget: 'aws:cloudwatch/eventTarget:EventTarget',
} as const;

const policyOfItsRole = (kind: 'inline' | 'attached') => ({ type: kind === 'inline' ? T.rolePolicy : T.attachment });

/** The table: add a row when a resource needs something AWS does not wait for by itself. */
const DEPENDENCY_RULES: readonly DependencyRule[] = [
  {
    why: 'CloudWatch Logs answers "log group does not exist" when a filter names a group not yet created',
    resource: { type: T.subscriptionFilter },
    mustWaitFor: { type: T.logGroup },
    matching: (filter, group) => group.inputs.name === filter.inputs.logGroup,
  },
  {
    why: 'Lambda refuses a VPC function whose role may not yet manage network interfaces',
    resource: { type: T.function },
    mustWaitFor: policyOfItsRole('inline'),
    matching: isPolicyOfItsRole,
  },
  {
    why: 'Lambda creates the log group itself (kept forever) if the function comes first',
    resource: { type: T.function },
    mustWaitFor: { type: T.logGroup },
    matching: (fn, group) => group.inputs.name === fn.inputs.loggingConfig?.logGroup,
  },
  {
    why: 'every other function meets the schema (and the aip_app role) only after the migrations ran',
    resource: { type: T.function, name: /^functions-(?!db-migrate$)/ },
    mustWaitFor: { type: T.invocation, name: /db-migrate-run$/ },
  },
  {
    why: 'Step Functions checks at creation that its role may deliver logs and invoke the worker',
    resource: { type: T.stateMachine },
    mustWaitFor: policyOfItsRole('inline'),
    matching: isPolicyOfItsRole,
  },
  ...(
    [
      [T.securityGroupIngress, 'the database refuses the connection until its ingress rule exists'],
      [T.securityGroupEgress, 'the function cannot connect out (database, Secrets Manager) until its egress rules exist'],
      [T.vpc, 'without the NAT routes the function cannot reach Secrets Manager'],
      [T.instance, 'a cluster without an available instance accepts no connection'],
    ] as const
  ).map(([type, why]): DependencyRule => ({ why, resource: { type: T.invocation }, mustWaitFor: { type } })),
  {
    why: 'with private DNS on, the function resolves Secrets Manager to an endpoint that must be up',
    resource: { type: T.invocation },
    mustWaitFor: { type: T.vpcEndpoint },
    optional: true,
  },
  {
    why: 'behind RDS Proxy the migration connects through the proxy, which needs its target registered',
    resource: { type: T.invocation },
    mustWaitFor: { type: T.proxyTarget },
    optional: true,
  },
  {
    why: 'RDS registers a cluster as a proxy target only once an instance is available',
    resource: { type: T.proxyTarget },
    mustWaitFor: { type: T.instance },
  },
  {
    why: 'RDS Proxy checks at creation that its role may read the secret',
    resource: { type: T.proxy },
    mustWaitFor: policyOfItsRole('inline'),
    matching: isPolicyOfItsRole,
  },
  {
    why: 'RDS would create the PostgreSQL log group itself, with unlimited retention',
    resource: { type: T.cluster },
    mustWaitFor: { type: T.logGroup, name: /postgresql-logs$/ },
  },
  {
    why: 'AWS Backup validates the role when the selection is created',
    resource: { type: T.backupSelection },
    mustWaitFor: policyOfItsRole('attached'),
    matching: isPolicyOfItsRole,
  },
  {
    why: 'AWS Backup validates the role when the restore-testing selection is created',
    resource: { type: T.restoreTestingSelection },
    mustWaitFor: policyOfItsRole('attached'),
    matching: isPolicyOfItsRole,
  },
  {
    why: 'EventBridge Scheduler invokes with the role from the first run on',
    resource: { type: T.schedule },
    mustWaitFor: policyOfItsRole('inline'),
    matching: isPolicyOfItsRole,
  },
  {
    why: 'Firehose checks at creation that its role may write the bucket',
    resource: { type: T.firehose },
    mustWaitFor: policyOfItsRole('inline'),
    matching: isPolicyOfItsRole,
  },
  {
    why: 'CloudWatch Logs sends a test record to the stream with the role when the filter is created',
    resource: { type: T.subscriptionFilter },
    mustWaitFor: policyOfItsRole('inline'),
    matching: isPolicyOfItsRole,
  },
  {
    why: 'AWS Chatbot subscribes itself to the topics: their policies must be in place',
    resource: { type: T.chatbot },
    mustWaitFor: { type: T.topicPolicy },
  },
  {
    why: 'AWS Chatbot checks the channel role when the configuration is created',
    resource: { type: T.chatbot },
    mustWaitFor: policyOfItsRole('attached'),
    matching: isPolicyOfItsRole,
  },
  {
    why: 'AWS Budgets checks that it may publish to every topic a budget notifies',
    resource: { type: T.budget },
    mustWaitFor: { type: T.topicPolicy },
    matching: (budget, policy) =>
      (budget.inputs.notifications ?? []).some((n: { subscriberSnsTopicArns?: string[] }) =>
        n.subscriberSnsTopicArns?.includes(policy.inputs.arn),
      ),
  },
  {
    why: 'S3 refuses concurrent changes to a bucket’s access settings (OperationAborted)',
    resource: { type: T.bucketPolicy },
    mustWaitFor: { type: T.publicAccessBlock },
    matching: (policy, block) => policy.inputs.bucket === block.inputs.bucket,
  },
  {
    why: 'EventBridge starts the DR test with the role as soon as a restore job ends',
    resource: { type: T.eventTarget },
    mustWaitFor: policyOfItsRole('inline'),
    matching: isPolicyOfItsRole,
  },
];

type Variant = StackName | 'prod+rdsProxy';
let runs: Record<Variant, OfflineRun>;
beforeAll(async () => {
  const { dev, prod } = await runStacks();
  const proxied = await offline('prod', {
    overrides: { 'async-ai-pipeline:database': { engineVersion: '16.6', minCapacity: 0.5, maxCapacity: 8, instances: 1, rdsProxy: true } },
  });
  runs = { dev, prod, 'prod+rdsProxy': proxied };
});

describe.each([...STACKS, 'prod+rdsProxy'] as const)('Resource ordering (%s)', (variant) => {
  it('makes every resource wait for what AWS needs to exist first', () => {
    const violations = checkRules(graphOf(runs[variant]), DEPENDENCY_RULES).map(describeViolation);
    expect(violations).toEqual([]);
  });
});

describe('The dependency rules', () => {
  it('each apply to at least one resource of some stack, so none is vacuous', () => {
    const unused = DEPENDENCY_RULES.filter(
      (rule) =>
        !Object.values(runs).some(
          (run) =>
            run.resources.some((r) => r.type === rule.resource.type && (rule.resource.name?.test(r.name) ?? true)) &&
            run.resources.some((r) => r.type === rule.mustWaitFor.type),
        ),
    );
    expect(unused.map((r) => r.why)).toEqual([]);
  });

  it.each(DEPENDENCY_RULES.map((rule, i) => [i, rule.why] as const))('fail when nothing waits for what rule %i names (%s)', (i) => {
    const rule = DEPENDENCY_RULES[i]!;
    // The first resource of some stack that the rule holds for, and one thing it needs.
    const found = Object.values(runs).flatMap((run) => {
      const graph = graphOf(run);
      return graph.resources
        .filter((r) => r.type === rule.resource.type && (rule.resource.name?.test(r.name) ?? true))
        .flatMap((r) =>
          graph.resources
            .filter(
              (c) =>
                c !== r &&
                c.type === rule.mustWaitFor.type &&
                (rule.mustWaitFor.name?.test(c.name) ?? true) &&
                (rule.matching?.(r, c, graph) ?? true),
            )
            .map((c) => ({ graph, r, c })),
        );
    })[0];
    expect(found).toBeDefined();
    const { graph, r, c } = found!;
    expect(checkRules(graph, [rule])).toEqual([]);
    const broken = checkRules(withoutDependents(graph, keyOf(c)), [rule]);
    expect(broken).toContainEqual(expect.objectContaining({ resource: keyOf(r), missing: expect.arrayContaining([keyOf(c)]) }));
  });

  it.each([
    [
      'a subscription filter its log group (the component-level dependsOn never reached it)',
      'prod',
      'aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter::log-archive-aws-lambda-ai-generation-worker',
      'aws:cloudwatch/logGroup:LogGroup::functions-ai-generation-worker-logs',
    ],
    [
      'a function its role policy',
      'dev',
      'aws:lambda/function:Function::functions-ai-generation-worker',
      'aws:iam/rolePolicy:RolePolicy::iam-worker-policy',
    ],
    [
      'the migration run a security-group rule',
      'prod',
      'aws:lambda/invocation:Invocation::functions-db-migrate-run',
      'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::network-database-from-lambda',
    ],
  ] as const)('reports exactly the removed edge when %s no longer waits for', (_what, stack, from, to) => {
    const graph = graphOf(runs[stack]);
    expect(graph.direct.get(from)?.has(to)).toBe(true);
    const violations = checkRules(withoutEdge(graph, from, to), DEPENDENCY_RULES).map(describeViolation);
    expect(violations).toEqual([expect.stringContaining(`${from} does not wait for ${to}`)]);
  });
});

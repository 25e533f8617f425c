/** API authentication, token lifetimes, the edge's rate limit and managed rules, and the state machine against the guide. */
import { AUTH, BACKUP, DESIGN, RETENTION } from '../../../guide';
import { T, authorizer, perUserRule, route, stateMachine, userPoolClient, webAcl } from './helpers/happy-path';
import { computed, mutate, resource, violations, violationsIn } from './helpers/policy-harness';

describe('api-routes-require-jwt', () => {
  it('passes a JWT route and a JWT authorizer with issuer and audience (computed from the pool at preview)', async () => {
    expect(await violations('api-routes-require-jwt', [resource(T.route, route()), resource(T.authorizer, authorizer())])).toEqual([]);
  });

  it('fails an open route', async () => {
    expect(await violations('api-routes-require-jwt', resource(T.route, mutate(route(), 'authorizationType', 'NONE')))).toEqual([
      'Route "POST /v1/processes" has authorization NONE; the guide requires JWT on every route (authorizationType JWT).',
    ]);
  });

  it('fails a JWT route without an authorizer', async () => {
    expect(await violations('api-routes-require-jwt', resource(T.route, mutate(route(), 'authorizerId', undefined)))).toEqual([
      'Route "POST /v1/processes" requires JWT but names no authorizer (authorizerId).',
    ]);
  });

  it('fails an authorizer without an audience', async () => {
    expect(
      await violations('api-routes-require-jwt', resource(T.authorizer, mutate(authorizer(), 'jwtConfiguration.audiences', []))),
    ).toEqual(['JWT authorizer "jwt" has no audience (jwtConfiguration.audiences): any token of the issuer would be accepted.']);
  });

  it('fails a plain-HTTP issuer and a token read from elsewhere than the bearer header', async () => {
    const a = mutate(mutate(authorizer(), 'jwtConfiguration.issuer', 'http://login.example.com/'), 'identitySources', [
      '$request.querystring.token',
    ]);
    expect(await violations('api-routes-require-jwt', resource(T.authorizer, a))).toEqual([
      'JWT authorizer "jwt" trusts issuer "http://login.example.com/"; API Gateway fetches its keys over HTTPS: use an https:// issuer URL.',
      'JWT authorizer "jwt" reads the token from $request.querystring.token; the contract sends it as a bearer token: identitySources ["$request.header.Authorization"].',
    ]);
  });
});

describe('cognito-token-validity', () => {
  it(`passes access, ID and refresh tokens of ${AUTH.tokenValidityHours} h`, async () => {
    expect(await violations('cognito-token-validity', resource(T.userPoolClient, userPoolClient()))).toEqual([]);
  });

  it("fails Cognito's default 30-day refresh token", async () => {
    const client = mutate(mutate(userPoolClient(), 'refreshTokenValidity', undefined), 'tokenValidityUnits.refreshToken', undefined);
    expect(await violations('cognito-token-validity', resource(T.userPoolClient, client))).toEqual([
      `Cognito app client "web" issues refreshTokens valid 30 days (720 h); the guide allows ${AUTH.tokenValidityHours} h: set refreshTokenValidity ${AUTH.tokenValidityHours} with tokenValidityUnits.refreshToken "hours".`,
    ]);
  });

  it('fails an access token of two days, whatever the unit', async () => {
    const client = mutate(mutate(userPoolClient(), 'accessTokenValidity', 2), 'tokenValidityUnits.accessToken', 'days');
    expect(await violations('cognito-token-validity', resource(T.userPoolClient, client))).toEqual([
      `Cognito app client "web" issues accessTokens valid 2 days (48 h); the guide allows ${AUTH.tokenValidityHours} h: set accessTokenValidity ${AUTH.tokenValidityHours} with tokenValidityUnits.accessToken "hours".`,
    ]);
  });
});

describe('waf-rate-limit', () => {
  it('passes a per-user block at 20 per 60 s', async () => {
    expect(await violations('waf-rate-limit', resource(T.webAcl, webAcl()))).toEqual([]);
  });

  it('ignores a regional web ACL', async () => {
    expect(await violations('waf-rate-limit', resource(T.webAcl, { ...webAcl(), scope: 'REGIONAL', rules: [] }))).toEqual([]);
  });

  it('fails without a per-user rule (an IP limit does not count)', async () => {
    const ipOnly = mutate(perUserRule(), 'statement.rateBasedStatement.aggregateKeyType', 'IP');
    expect(await violations('waf-rate-limit', resource(T.webAcl, { ...webAcl(), rules: [ipOnly] }))).toEqual([
      'Web ACL "edge" has no rate-based rule keyed on the authorization header; the guide limits each user to 20 requests per 60 s.',
    ]);
  });

  it('fails a higher limit', async () => {
    const loose = mutate(perUserRule(), 'statement.rateBasedStatement.limit', 40);
    expect(await violations('waf-rate-limit', resource(T.webAcl, { ...webAcl(), rules: [loose] }))).toEqual([
      'Web ACL "edge" rule "per-user-rate-limit" allows 40 requests per user; the guide allows 20.',
    ]);
  });

  it("fails WAF's default 5-minute window", async () => {
    const slow = mutate(perUserRule(), 'statement.rateBasedStatement.evaluationWindowSec', undefined);
    expect(await violations('waf-rate-limit', resource(T.webAcl, { ...webAcl(), rules: [slow] }))).toEqual([
      'Web ACL "edge" rule "per-user-rate-limit" counts over 300 s; the guide\'s limit is per 60 s.',
    ]);
  });

  it('fails a rule that only counts', async () => {
    const counting = mutate(perUserRule(), 'action', { count: {} });
    expect(await violations('waf-rate-limit', resource(T.webAcl, { ...webAcl(), rules: [counting] }))).toEqual([
      'Web ACL "edge" rule "per-user-rate-limit" does not block: the guide\'s limit must refuse the excess requests.',
    ]);
  });
});

describe('waf-managed-rules', () => {
  it('passes the common and known-bad-inputs groups, blocking', async () => {
    expect(await violations('waf-managed-rules', resource(T.webAcl, webAcl()))).toEqual([]);
  });

  it('fails a web ACL without the known-bad-inputs group', async () => {
    const acl = { ...webAcl(), rules: webAcl().rules.filter((r) => r.name !== 'aws-AWSManagedRulesKnownBadInputsRuleSet') };
    expect(await violations('waf-managed-rules', resource(T.webAcl, acl))).toEqual([
      'Web ACL "edge" does not run the AWS managed rule group AWSManagedRulesKnownBadInputsRuleSet: add a rule with managedRuleGroupStatement { vendorName: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } and overrideAction { none: {} }.',
    ]);
  });

  it('fails a group overridden to count only', async () => {
    expect(await violations('waf-managed-rules', resource(T.webAcl, mutate(webAcl(), 'rules.1.overrideAction', { count: {} })))).toEqual([
      'Web ACL "edge" rule "aws-AWSManagedRulesCommonRuleSet" overrides AWSManagedRulesCommonRuleSet to count only: its matches are never blocked; set overrideAction { none: {} }.',
    ]);
  });
});

describe('state-machine-timeouts-logging', () => {
  const { workflowTimeoutSeconds, stepTimeoutSeconds } = DESIGN.workflow;
  const withDefinition = (def: object) => ({ ...stateMachine(), definition: JSON.stringify(def) });
  const definition = () => JSON.parse(stateMachine().definition);

  it('passes bounded timeouts everywhere (nested Task states too) and logging ALL to a log group', async () => {
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, stateMachine()))).toEqual([]);
  });

  it('fails logging below ALL', async () => {
    expect(
      await violations(
        'state-machine-timeouts-logging',
        resource(T.stateMachine, mutate(stateMachine(), 'loggingConfiguration.level', 'ERROR')),
      ),
    ).toEqual([
      'State machine "AIGenerationStateMachine" logs at level ERROR; the execution history needs level ALL (loggingConfiguration.level).',
    ]);
  });

  it('fails a log destination that is not a log group', async () => {
    const m = mutate(stateMachine(), 'loggingConfiguration.logDestination', 'arn:aws:s3:::logs');
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, m))).toEqual([
      'State machine "AIGenerationStateMachine" logs to "arn:aws:s3:::logs", which is not a log group ARN ending in ":*" (arn:aws:logs:<region>:<account>:log-group:<name>:*).',
    ]);
  });

  it('fails without an execution timeout', async () => {
    const def = { ...definition(), TimeoutSeconds: undefined };
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, withDefinition(def)))).toEqual([
      `State machine "AIGenerationStateMachine" has no TimeoutSeconds: a stuck execution would run until Step Functions' one-year limit; set ${workflowTimeoutSeconds} s (DESIGN.workflow.workflowTimeoutSeconds).`,
    ]);
  });

  it('fails a one-year execution timeout, and one too short for the slowest type', async () => {
    expect(
      await violations(
        'state-machine-timeouts-logging',
        resource(T.stateMachine, withDefinition({ ...definition(), TimeoutSeconds: 31_536_000 })),
      ),
    ).toEqual([
      `State machine "AIGenerationStateMachine" has TimeoutSeconds 31536000; a stuck execution must end TIMEOUT within ${workflowTimeoutSeconds} s (DESIGN.workflow.workflowTimeoutSeconds).`,
    ]);
    expect(
      await violations(
        'state-machine-timeouts-logging',
        resource(T.stateMachine, withDefinition({ ...definition(), TimeoutSeconds: 600 })),
      ),
    ).toEqual([
      'State machine "AIGenerationStateMachine" has TimeoutSeconds 600, shorter than the slowest type\'s upper completion time (900 s): healthy processes would end TIMEOUT.',
    ]);
  });

  it('fails a nested Task without a timeout, and one whose timeout comes from the input', async () => {
    const def = definition();
    delete def.States.Fan.Branches[0].States.Save.TimeoutSeconds;
    def.States.Generate = { ...def.States.Generate, TimeoutSeconds: undefined, TimeoutSecondsPath: '$.timeout' };
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, withDefinition(def)))).toEqual([
      `State machine "AIGenerationStateMachine": Task state "Generate" takes its timeout from the input (TimeoutSecondsPath $.timeout), which nothing bounds; set TimeoutSeconds of at most ${stepTimeoutSeconds} s.`,
      `State machine "AIGenerationStateMachine": Task state "Fan/Save" has no TimeoutSeconds (Step Functions' default is 99999999 s); set at most ${stepTimeoutSeconds} s.`,
    ]);
  });

  it('fails a Task longer than one worker invocation', async () => {
    const def = definition();
    def.States.Generate.TimeoutSeconds = 3600;
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, withDefinition(def)))).toEqual([
      `State machine "AIGenerationStateMachine": Task state "Generate" has TimeoutSeconds 3600; a step is one worker invocation, at most ${stepTimeoutSeconds} s (DESIGN.workflow.stepTimeoutSeconds).`,
    ]);
  });

  it("bounds the operational machines (DR test, patching) by the RPO and Lambda's limit instead of the worker's step", async () => {
    const def = { ...definition(), TimeoutSeconds: 36_000 };
    def.States.Generate.TimeoutSeconds = 960;
    const dr = { ...stateMachine(), name: 'AsyncProcessingDrTest', definition: JSON.stringify(def) };
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, dr))).toEqual([]);
    def.States.Generate.TimeoutSeconds = 961;
    const tooLong = { ...dr, definition: JSON.stringify({ ...def, TimeoutSeconds: BACKUP.rpoHours * 3600 + 1 }) };
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, tooLong))).toEqual([
      `State machine "AsyncProcessingDrTest" has TimeoutSeconds ${BACKUP.rpoHours * 3600 + 1}; a stuck execution must end TIMEOUT within ${BACKUP.rpoHours * 3600} s (an operation ends before the next day's backup, RPO ${BACKUP.rpoHours} h).`,
      'State machine "AsyncProcessingDrTest": Task state "Generate" has TimeoutSeconds 961; a task is one Lambda invocation, at most 960 s (Lambda\'s limit 900 s, plus a minute).',
    ]);
  });

  it('fails at preview a definition computed from outputs (its timeouts would go unchecked), and passes it at up', async () => {
    const m = resource(T.stateMachine, { ...stateMachine(), definition: computed(stateMachine().definition) });
    expect(await violationsIn('preview', 'state-machine-timeouts-logging', m)).toEqual([
      'State machine "AIGenerationStateMachine" has a definition that is not known until other resources exist, so its timeouts cannot be checked at preview: build it from values known before deployment (e.g. the worker\'s ARN from its guide name).',
    ]);
    expect(await violationsIn('up', 'state-machine-timeouts-logging', m)).toEqual([]);
  });
});

describe('state-machine-standard', () => {
  it('passes a STANDARD machine, and one that leaves the type at its default', async () => {
    expect(
      await violations('state-machine-standard', [
        resource(T.stateMachine, stateMachine()),
        resource(T.stateMachine, mutate(stateMachine(), 'type', undefined)),
      ]),
    ).toEqual([]);
  });

  it('fails an EXPRESS machine', async () => {
    expect(await violations('state-machine-standard', resource(T.stateMachine, mutate(stateMachine(), 'type', 'EXPRESS')))).toEqual([
      `State machine "AIGenerationStateMachine" is EXPRESS: an EXPRESS machine keeps no execution history, the guide keeps it ${RETENTION.stepFunctionsHistoryDays} days; set type STANDARD.`,
    ]);
  });
});

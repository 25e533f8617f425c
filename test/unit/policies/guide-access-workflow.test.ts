/** API authentication, the edge rate limit and the state machine against the guide. */
import { T, authorizer, perUserRule, route, stateMachine, webAcl } from './helpers/happy-path';
import { mutate, resource, violations } from './helpers/policy-harness';

describe('api-routes-require-jwt', () => {
  it('passes a JWT route and a JWT authorizer with issuer and audience', async () => {
    expect(await violations('api-routes-require-jwt', [resource(T.route, route()), resource(T.authorizer, authorizer())])).toEqual([]);
  });

  it('fails an open route', async () => {
    expect(await violations('api-routes-require-jwt', resource(T.route, mutate(route(), 'authorizationType', 'NONE')))).toEqual([
      'Route "POST /v1/processes" has authorization NONE; the guide requires JWT on every route.',
    ]);
  });

  it('fails a JWT route without an authorizer', async () => {
    expect(await violations('api-routes-require-jwt', resource(T.route, mutate(route(), 'authorizerId', undefined)))).toEqual([
      'Route "POST /v1/processes" requires JWT but names no authorizer.',
    ]);
  });

  it('fails an authorizer without an audience', async () => {
    expect(await violations('api-routes-require-jwt', resource(T.authorizer, mutate(authorizer(), 'jwtConfiguration.audiences', [])))).toEqual([
      'JWT authorizer "jwt" has no audience: any token of the issuer would be accepted.',
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

  it('fails WAF\'s default 5-minute window', async () => {
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

describe('state-machine-timeouts-logging', () => {
  const withDefinition = (def: object) => ({ ...stateMachine(), definition: JSON.stringify(def) });

  it('passes timeouts everywhere (nested Task states too) and logging ALL', async () => {
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, stateMachine()))).toEqual([]);
  });

  it('fails logging below ALL', async () => {
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, mutate(stateMachine(), 'loggingConfiguration.level', 'ERROR')))).toEqual([
      'State machine "AIGenerationStateMachine" logs at level ERROR; the execution history needs level ALL.',
    ]);
  });

  it('fails without an execution timeout', async () => {
    const def = { ...JSON.parse(stateMachine().definition), TimeoutSeconds: undefined };
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, withDefinition(def)))).toEqual([
      'State machine "AIGenerationStateMachine" has no TimeoutSeconds: a stuck execution would run until Step Functions\' one-year limit.',
    ]);
  });

  it('fails a nested Task without a timeout', async () => {
    const def = JSON.parse(stateMachine().definition);
    delete def.States.Fan.Branches[0].States.Save.TimeoutSecondsPath;
    expect(await violations('state-machine-timeouts-logging', resource(T.stateMachine, withDefinition(def)))).toEqual([
      'State machine "AIGenerationStateMachine": Task state "Fan/Save" has no TimeoutSeconds.',
    ]);
  });
});

/** The local runtime's pure parts: settings, fault control, and what API Gateway would build. */
import { buildEvent, decodePathParameters, matchRoute, type RouteSpec } from '../../../local/api-gateway';
import { FaultControl } from '../../../local/bedrock-server';
import { loadLocalConfig } from '../../../local/config';
import { DESIGN } from '../../../guide';

describe('loadLocalConfig', () => {
  it("defaults to the guide's timeouts", () => {
    const c = loadLocalConfig({});

    expect(c).toMatchObject({
      port: 3000,
      stepTimeoutSeconds: DESIGN.workflow.stepTimeoutSeconds,
      workflowTimeoutSeconds: DESIGN.workflow.workflowTimeoutSeconds,
      logFormat: 'json',
      realBedrock: false,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT="eighty" must be an integer from 0 to 65535/],
    [{ AIP_LOG_FORMAT: 'xml' }, /AIP_LOG_FORMAT="xml" must be "json" or "pretty"/],
    [
      { AIP_STEP_TIMEOUT_SECONDS: '60', AIP_WORKFLOW_TIMEOUT_SECONDS: '30' },
      /AIP_WORKFLOW_TIMEOUT_SECONDS \(30\) must be greater than AIP_STEP_TIMEOUT_SECONDS \(60\)/,
    ],
  ])('names the variable for %j', (env, message) => {
    expect(() => loadLocalConfig(env)).toThrow(message);
  });
});

describe('FaultControl', () => {
  it('fails the next N calls the chosen way, then answers normally, with latency on every call', () => {
    const faults = new FaultControl();

    const setting = faults.set({ mode: 'throttle', count: 2, latencyMs: 30 });
    const taken = [faults.take(), faults.take(), faults.take()];

    expect(setting).toEqual({ mode: 'throttle', count: 2, latencyMs: 30 });
    expect(taken.map((t) => t.mode)).toEqual(['throttle', 'throttle', 'none']);
    expect(taken.every((t) => t.latencyMs === 30)).toBe(true);
    expect(faults.get()).toEqual({ mode: 'none', count: 0, latencyMs: 30 });
  });

  it.each([
    [{ mode: 'explode' }, /mode must be one of none, throttle, error, timeout, invalid-output/],
    [{ mode: 'error', count: -1 }, /count must be a non-negative integer/],
    [{ mode: 'none', latencyMs: 1e9 }, /latencyMs must be an integer between 0 and 600000/],
  ])('refuses %j', (body, message) => {
    expect(() => new FaultControl().set(body)).toThrow(message);
  });
});

describe('local API Gateway', () => {
  const handler = async () => ({ statusCode: 200 });
  const routes: RouteSpec[] = [
    { method: 'POST', path: '/v1/processes', functionName: 'async-processing-handler', timeoutSeconds: 30, handler },
    { method: 'GET', path: '/v1/processes/{processId}', functionName: 'status-check-handler', timeoutSeconds: 30, handler },
  ];

  it('matches a route and extracts its path parameters', () => {
    expect(matchRoute(routes, 'GET', '/v1/processes/abc')).toMatchObject({ route: routes[1], rawPathParameters: { processId: 'abc' } });
    expect(matchRoute(routes, 'DELETE', '/v1/processes/abc')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/v1/processes/abc/extra')).toBeUndefined();
  });

  it('matches a path with a malformed escape without decoding it', () => {
    expect(matchRoute(routes, 'GET', '/v1/processes/%zz')).toMatchObject({ route: routes[1], rawPathParameters: { processId: '%zz' } });
  });

  it.each([
    [{ processId: 'a%2Fb' }, { processId: 'a/b' }],
    [{ processId: '%E2%9C%93' }, { processId: '✓' }],
    [{ processId: '%zz' }, undefined],
    [{ processId: '%' }, undefined],
    [{ processId: '%ed%a0%80' }, undefined],
  ])('decodes path parameters %j as %j', (raw, decoded) => {
    expect(decodePathParameters(raw)).toEqual(decoded);
  });

  it('builds the HTTP API v2 event the Lambda receives, with the JWT claims as the authorizer passes them', () => {
    const event = buildEvent({
      route: routes[0]!,
      pathParameters: {},
      method: 'POST',
      rawPath: '/v1/processes',
      rawQuery: 'a=1',
      headers: { 'Idempotency-Key': 'k1', host: '127.0.0.1:3000' },
      body: Buffer.from('{"type":"X"}'),
      claims: { sub: 'user-1', aud: ['api'], exp: 123 },
      requestId: 'req-1',
      sourceIp: '127.0.0.1',
    });

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/processes',
      rawQueryString: 'a=1',
      queryStringParameters: { a: '1' },
      headers: { 'idempotency-key': 'k1' },
      body: '{"type":"X"}',
      isBase64Encoded: false,
      requestContext: {
        requestId: 'req-1',
        http: { method: 'POST', path: '/v1/processes' },
        authorizer: { jwt: { claims: { sub: 'user-1', aud: ['api'], exp: 123 } } },
      },
    });
  });

  it('passes a body that is not UTF-8 as base64', () => {
    const body = Buffer.from([0xff, 0xfe, 0x00]);

    const event = buildEvent({
      route: routes[0]!,
      pathParameters: {},
      method: 'POST',
      rawPath: '/v1/processes',
      rawQuery: '',
      headers: {},
      body,
      claims: { sub: 'u' },
      requestId: 'r',
      sourceIp: '127.0.0.1',
    });

    expect(event).toMatchObject({ body: body.toString('base64'), isBase64Encoded: true });
  });
});

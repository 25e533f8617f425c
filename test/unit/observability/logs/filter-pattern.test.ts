/**
 * Metric filter patterns (CloudWatch Logs syntax, the subset our filters use) and the two filters
 * the program deploys, applied to the lines that really arrive: API Gateway's access log in our
 * format, and Lambda's REPORT line as AWS documents it.
 */
import { ACCESS_LOG_FORMAT } from '../../../../infra/specs/api-naming';
import { AUTH_FAILURE_PATTERN, REPORT_PATTERN } from '../../../../observability/metric-filters';
import { compileFilterPattern, metricValue } from '../../../../observability/logs/filter-pattern';

/** An access log line as API Gateway writes it from ACCESS_LOG_FORMAT (every value a string). */
function accessLine(values: Record<string, string>): string {
  const format = JSON.parse(ACCESS_LOG_FORMAT) as Record<string, string>;
  return JSON.stringify(Object.fromEntries(Object.keys(format).map((k) => [k, values[k] ?? '-'])));
}

/** The REPORT line of the Lambda developer guide ("Using CloudWatch Logs with Lambda"), tab-separated. */
const REPORT =
  'REPORT RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3\tDuration: 12.34 ms\tBilled Duration: 100 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB\t';
const REPORT_COLD = `${REPORT}Init Duration: 163.27 ms\t`;

describe('compileFilterPattern', () => {
  it('matches JSON selectors with =, != and numeric comparisons, && and || with parentheses', () => {
    const match = compileFilterPattern('{ ($.status = 500 || $.status >= 502) && $.route != "GET /health" }');
    expect(match(JSON.stringify({ status: 500, route: 'POST /v1/processes' })).matched).toBe(true);
    expect(match(JSON.stringify({ status: 503, route: 'POST /v1/processes' })).matched).toBe(true);
    expect(match(JSON.stringify({ status: 501, route: 'POST /v1/processes' })).matched).toBe(false);
    expect(match(JSON.stringify({ status: 500, route: 'GET /health' })).matched).toBe(false);
    expect(match('not json').matched).toBe(false);
  });

  it('compares quoted values as strings, with * as a wildcard, and numbers in strings numerically', () => {
    expect(compileFilterPattern('{ $.route = "POST *" }')(JSON.stringify({ route: 'POST /v1/processes' })).matched).toBe(true);
    expect(compileFilterPattern('{ $.latencyMs > 100 }')(JSON.stringify({ latencyMs: '250' })).matched).toBe(true);
    expect(compileFilterPattern('{ $.a.b = "x" }')(JSON.stringify({ a: { b: 'x' } })).matched).toBe(true);
  });

  it('splits space-delimited events on whitespace, with ... for any number of fields', () => {
    const match = compileFilterPattern('[ip, user, ..., status=4*, bytes]');
    const m = match('127.0.0.1 frank [10/Oct/2000:13:25:15 -0700] "GET /x HTTP/1.0" 404 1534');
    expect(m).toEqual({ matched: true, fields: { ip: '127.0.0.1', user: 'frank', status: '404', bytes: '1534' } });
    expect(match('127.0.0.1 frank 200 1534').matched).toBe(false);
  });

  it('matches terms: all of them, or any of the ? ones', () => {
    expect(compileFilterPattern('ERROR timeout')('ERROR: step timeout').matched).toBe(true);
    expect(compileFilterPattern('ERROR timeout')('ERROR: step failed').matched).toBe(false);
    expect(compileFilterPattern('?WARN ?ERROR')('WARN slow').matched).toBe(true);
  });

  it('names the part it cannot read', () => {
    expect(() => compileFilterPattern('{ $.status = }')).toThrow('Expected "$.field <op> value"');
  });
});

describe('the AuthFailures filter on the API access log', () => {
  const match = compileFilterPattern(AUTH_FAILURE_PATTERN);

  it.each([
    ['401', true],
    ['403', true],
    ['200', false],
    ['429', false],
    ['500', false],
  ])('counts a %s line: %s', (status, counted) => {
    const line = accessLine({
      status,
      routeKey: 'GET /v1/processes/{processId}',
      authorizerError: status === '401' ? 'Unauthorized' : '-',
    });
    expect(metricValue('1', match(line)) === 1).toBe(counted);
  });
});

describe('the memory filter on REPORT lines', () => {
  const match = compileFilterPattern(REPORT_PATTERN);

  it('extracts Max Memory Used (MB) from a REPORT line, with or without an Init Duration', () => {
    expect(metricValue('$maxMemoryUsed', match(REPORT))).toBe(18);
    expect(metricValue('$maxMemoryUsed', match(REPORT_COLD))).toBe(18);
    expect(metricValue('$memorySize', match(REPORT))).toBe(128);
  });

  it('ignores every other line of a function’s log group', () => {
    expect(match('START RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3 Version: $LATEST').matched).toBe(false);
    expect(match(JSON.stringify({ level: 'INFO', message: 'REPORT' })).matched).toBe(false);
  });
});

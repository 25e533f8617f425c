/**
 * The OpenAPI 3.1 document of the contract: valid for a real OpenAPI validator, complete (every
 * route, code, header of DESIGN.md §4), its numbers from guide/. test/integration/api/openapi.test.ts
 * checks it against the handlers' real responses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@readme/openapi-parser';
import { parse } from 'yaml';
import { API, AUTH, DESIGN, PROCESS_ERROR_CODES } from '../../../../guide';
import { ROUTES } from '../../../../functions/src/http/route-table';
import { apiDescription, OPENAPI_PATH, openApiDocument, renderOpenApi, statusOf } from '../../../../infra/specs/openapi';

const ROOT = join(__dirname, '..', '..', '..', '..');
type Json = Record<string, any>;
const doc = openApiDocument() as unknown as Json;
const clone = (): Json => JSON.parse(JSON.stringify(doc));
const operations = (): [string, Json][] =>
  Object.entries(doc.paths as Json).flatMap(([path, ops]) =>
    Object.entries(ops as Json).map(([m, op]): [string, Json] => [`${m.toUpperCase()} ${path}`, op as Json]),
  );

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    await expect(validate(clone() as never)).resolves.toMatchObject({ valid: true, specification: 'OpenAPI' });
    expect(doc.openapi).toBe('3.1.0');
  });

  it('is refused by the validator when it is broken, so the check above can fail', async () => {
    const broken = clone();
    delete broken.paths['/v1/processes'].post.responses['202'].description;
    await expect(validate(broken as never)).resolves.toMatchObject({ valid: false });
  });

  it('is what docs/openapi.yaml holds', () => {
    expect(parse(readFileSync(join(ROOT, OPENAPI_PATH), 'utf8'))).toEqual(clone());
  });

  it('has every route of the route table and no other', () => {
    expect(
      operations()
        .map(([key]) => key)
        .sort(),
    ).toEqual(ROUTES.map((r) => r.routeKey).sort());
  });

  it('requires a bearer JWT on every route', () => {
    expect(doc.components.securitySchemes.bearerJwt).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.security).toEqual([{ bearerJwt: [] }]);
    for (const [, op] of operations()) expect(op.security).toBeUndefined();
    expect(doc.components.securitySchemes.bearerJwt.description).toContain(`valid ${AUTH.tokenValidityHours} h`);
  });

  it('lists on every route the errors of the HTTP layer, each with its class status', () => {
    for (const [key, op] of operations()) {
      for (const code of [
        'UNAUTHORIZED',
        'PAYLOAD_TOO_LARGE',
        'RATE_LIMITED',
        'SERVICE_UNAVAILABLE',
        'INTERNAL_ERROR',
        'VALIDATION_ERROR',
      ] as const) {
        const response = op.responses[String(statusOf(code))];
        expect([key, response?.content['application/json'].schema.allOf[1].properties.error.properties.code.enum]).toEqual([
          key,
          expect.arrayContaining([code]),
        ]);
      }
    }
  });

  it('states the headers of the contract: Location, Retry-After, Idempotency-Key, WWW-Authenticate', () => {
    const start = doc.paths['/v1/processes'].post;
    expect(start.responses['202'].headers.Location).toEqual({ $ref: '#/components/headers/Location' });
    expect(start.parameters).toEqual([{ $ref: '#/components/parameters/IdempotencyKey' }]);
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false });
    expect(doc.paths['/v1/processes/{processId}'].get.responses['200'].headers['Retry-After']).toEqual({
      $ref: '#/components/headers/RetryAfterWhileActive',
    });
    expect(doc.components.headers.RetryAfterWhileActive.description).toContain(`(${DESIGN.statusRetryAfterSeconds})`);
    for (const [, op] of operations()) {
      expect(op.responses['429'].headers['Retry-After']).toEqual({ $ref: '#/components/headers/RetryAfter' });
      expect(op.responses['503'].headers['Retry-After']).toEqual({ $ref: '#/components/headers/RetryAfter' });
      expect(op.responses['401'].headers['WWW-Authenticate']).toEqual({ $ref: '#/components/headers/WWWAuthenticate' });
    }
  });

  it('states the contract limits from guide/: the body size, the rate limit, the retry cap', () => {
    expect(doc.info.description).toContain(`at most ${API.maxBodyBytes} bytes (${API.maxBodyBytes / 1024} KiB)`);
    expect(doc.info.description).toContain(`${AUTH.rateLimit.requests} requests per ${AUTH.rateLimit.windowSeconds} s`);
    expect(doc.components.schemas.StartRequest.description).toContain(`at most ${API.maxBodyBytes} bytes`);
    expect(doc.paths['/v1/processes/{processId}/retry'].post.responses['409'].description).toContain(`retried ${API.retryCap} times`);
  });

  it('describes a process with the result schema of its type and the worker error codes', () => {
    const variants = doc.components.schemas.Process.oneOf as Json[];
    expect(variants.map((v) => v.properties.type.const)).toEqual(['SUBGOAL_GENERATION', 'ACTION_GENERATION', 'TASK_GENERATION']);
    expect(variants.map((v) => v.properties.result.anyOf[0])).toEqual([
      { $ref: '#/components/schemas/SubgoalGenerationResult' },
      { $ref: '#/components/schemas/ActionGenerationResult' },
      { $ref: '#/components/schemas/TaskGenerationResult' },
    ]);
    expect(doc.components.schemas.ProcessError.properties.code.enum).toEqual([...PROCESS_ERROR_CODES]);
  });

  it('is named, with its revision, by the description of the deployed API', () => {
    const description = apiDescription();
    expect(description).toContain(OPENAPI_PATH);
    expect(description.length).toBeLessThanOrEqual(1024);
    expect(apiDescription(`${renderOpenApi()}# changed\n`)).not.toBe(description);
  });
});

/**
 * The API contract (DESIGN.md §4) as an OpenAPI 3.1 document, generated from what the handlers
 * run on: the route table, the zod schemas of requests and results (`z.toJSONSchema`), the error
 * classes (their codes, statuses and headers) and the numbers of `guide/`. `npm run docs` writes it
 * to docs/openapi.yaml; the deployed HTTP API's description names its revision (`apiDescription`).
 * A test keeps it in step with the handlers' real responses.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { z } from 'zod';
import { API, AUTH, DESIGN, PROCESS_ERROR_CODES, PROCESS_STATUSES, PROCESS_TYPES, type FunctionKey, type ProcessType } from '../../guide';
import {
  IdempotencyKeyReusedError,
  InvalidStateError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  RetryLimitExceededError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
  type ApiError,
  type ApiErrorCode,
} from '../../functions/src/domain/errors';
import { actionSchema, goalSchema, RESULT_SCHEMAS, startRequestSchema, subgoalSchema } from '../../functions/src/domain/schemas';
import { JSON_HEADERS } from '../../functions/src/http/respond';
import { ROUTES } from '../../functions/src/http/route-table';
import { IDEMPOTENCY_KEY } from '../../functions/src/usecases/start-process';
import { version } from '../../package.json';

export const OPENAPI_PATH = 'docs/openapi.yaml';

/** The error envelope's codes: status and headers read off the error classes; 500 is respond.ts's catch-all. */
const ERROR_SAMPLES: Record<ApiErrorCode, ApiError | { statusCode: 500; headers: Record<string, string> }> = {
  VALIDATION_ERROR: new ValidationError(''),
  UNAUTHORIZED: new UnauthorizedError(''),
  NOT_FOUND: new NotFoundError(),
  INVALID_STATE: new InvalidStateError(''),
  RETRY_LIMIT_EXCEEDED: new RetryLimitExceededError(''),
  IDEMPOTENCY_KEY_REUSED: new IdempotencyKeyReusedError(),
  PAYLOAD_TOO_LARGE: new PayloadTooLargeError(''),
  RATE_LIMITED: new RateLimitedError(AUTH.rateLimit.windowSeconds),
  SERVICE_UNAVAILABLE: new ServiceUnavailableError(''),
  INTERNAL_ERROR: { statusCode: 500, headers: {} },
};

/** When each code is answered, in the contract's words. */
const WHEN: Record<ApiErrorCode, string> = {
  VALIDATION_ERROR:
    'The body is not valid JSON or not a valid request, the Idempotency-Key is malformed, or the processId is not a UUID; `details` lists the problems.',
  UNAUTHORIZED: 'No valid bearer token (signature, issuer, audience, expiry). The JWT authorizer answers it with WWW-Authenticate.',
  NOT_FOUND: "No such process for this user; another user's process is not found either.",
  INVALID_STATE:
    'The process is not in a status this action accepts (retry: FAILED or TIMEOUT; cancel: PENDING or PROCESSING, or already CANCELLED).',
  RETRY_LIMIT_EXCEEDED: `The process was already retried ${API.retryCap} times.`,
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was used by the same user with a different body.',
  PAYLOAD_TOO_LARGE: `The request body is over ${API.maxBodyBytes} bytes (${API.maxBodyBytes / 1024} KiB).`,
  RATE_LIMITED: `More than ${AUTH.rateLimit.requests} requests by this user in ${AUTH.rateLimit.windowSeconds} s; Retry-After says when to try again.`,
  SERVICE_UNAVAILABLE:
    'Step Functions or the database cannot be reached; nothing was started or changed. Retry-After says when to try again.',
  INTERNAL_ERROR: 'An unexpected error; the message is generic (no stack trace or SQL).',
};

export const statusOf = (code: ApiErrorCode): number => ERROR_SAMPLES[code].statusCode;
const headersOf = (code: ApiErrorCode): string[] => Object.keys(ERROR_SAMPLES[code].headers);

/** What every route answers through the HTTP layer (api-handler.ts), besides its own errors. */
const EVERY_ROUTE: readonly ApiErrorCode[] = [
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
];

interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly success: 200 | 202;
  readonly errors: readonly ApiErrorCode[];
  readonly location?: boolean;
  readonly body?: boolean;
}

/** What each route's function does, by the route table's function key. */
const OPERATIONS: Partial<Record<FunctionKey, Operation>> = {
  asyncProcessingHandler: {
    operationId: 'startProcess',
    summary: 'Start a process',
    success: 202,
    location: true,
    body: true,
    description:
      'Creates a process and starts its workflow. With an Idempotency-Key, the same user sending the same body again gets the same process back (no second process, also under concurrent duplicates); the same key with a different body is refused with 422.',
    errors: ['IDEMPOTENCY_KEY_REUSED'],
  },
  statusCheckHandler: {
    operationId: 'getProcess',
    summary: 'Status, progress, result or error of a process',
    success: 200,
    description: 'While the process is PENDING or PROCESSING the response carries Retry-After: when to look again.',
    errors: ['NOT_FOUND'],
  },
  retryHandler: {
    operationId: 'retryProcess',
    summary: 'Restart a FAILED or TIMEOUT process',
    success: 202,
    location: true,
    description: `Starts a new attempt of a FAILED or TIMEOUT process, at most ${API.retryCap} times per process.`,
    errors: ['NOT_FOUND', 'INVALID_STATE', 'RETRY_LIMIT_EXCEEDED'],
  },
  cancelHandler: {
    operationId: 'cancelProcess',
    summary: 'Cancel a PENDING or PROCESSING process',
    success: 200,
    description:
      'Cancels the process and stops its workflow. A process already CANCELLED answers 200 with the process; another finished process answers 409.',
    errors: ['NOT_FOUND', 'INVALID_STATE'],
  },
};

const processError = z.strictObject({ code: z.enum(PROCESS_ERROR_CODES), message: z.string() });

/** The process as `toApiProcess` shows it; its result has the schema of its type. */
const processOf = (type: ProcessType) =>
  z.strictObject({
    processId: z.uuid(),
    type: z.literal(type),
    status: z.enum(PROCESS_STATUSES),
    progress: z.number().int().min(0).max(100),
    result: z.nullable(RESULT_SCHEMAS[type]),
    error: processError.nullable(),
    retryCount: z.number().int().min(0).max(API.retryCap),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  });
const processSchema = z.discriminatedUnion('type', PROCESS_TYPES.map(processOf) as unknown as [ReturnType<typeof processOf>]);

const errorSchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_SAMPLES) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    requestId: z.string(),
    details: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
  }),
});

const pascal = (type: ProcessType) => type.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());

/** components.schemas: the zod schemas, shared ones by reference. */
function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  registry.add(goalSchema, { id: 'Goal' });
  registry.add(subgoalSchema, { id: 'Subgoal' });
  registry.add(actionSchema, { id: 'Action' });
  registry.add(startRequestSchema, { id: 'StartRequest' });
  for (const type of PROCESS_TYPES) registry.add(RESULT_SCHEMAS[type], { id: `${pascal(type)}Result` });
  registry.add(processError, { id: 'ProcessError' });
  registry.add(processSchema, { id: 'Process' });
  registry.add(errorSchema, { id: 'Error' });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, io: 'input' });
  // OpenAPI 3.1's dialect is 2020-12 already; an $id with a fragment is not valid there.
  const stripped = Object.fromEntries(
    Object.entries(schemas).map(([id, s]) => {
      const { $schema: _schema, $id: _id, ...rest } = s as Record<string, unknown>;
      return [id, rest];
    }),
  );
  (stripped.StartRequest as Record<string, unknown>).description =
    `The body of a start request, at most ${API.maxBodyBytes} bytes. Titles are trimmed before their length is checked, and a deadline must be a real calendar date: the API refuses what this schema cannot express.`;
  return stripped;
}

const ref = (kind: 'schemas' | 'headers' | 'parameters' | 'responses', id: string) => ({ $ref: `#/components/${kind}/${id}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });

const HEADERS = {
  Location: {
    description: 'Where the process can be read: `GET` this path.',
    required: true,
    schema: { type: 'string', format: 'uri-reference', example: `${API.basePath}/processes/0b5c5a52-3e2a-4c6e-9a3c-6f1d2e7c9b10` },
  },
  RetryAfter: { description: 'Seconds to wait before trying again.', required: true, schema: { type: 'integer', minimum: 1 } },
  RetryAfterWhileActive: {
    description: `While the process is PENDING or PROCESSING: seconds until it is worth looking again (${DESIGN.statusRetryAfterSeconds}).`,
    required: false,
    schema: { type: 'integer', minimum: 1 },
  },
  WWWAuthenticate: {
    description: 'The authentication scheme, sent by the JWT authorizer (API Gateway, and the local runtime).',
    required: false,
    schema: { type: 'string', example: 'Bearer' },
  },
  CacheControl: {
    description: 'Responses are never cached.',
    required: false,
    schema: { type: 'string', const: JSON_HEADERS['Cache-Control'] },
  },
} as const;

function successResponse(op: Operation) {
  const headers: Record<string, unknown> = {
    'Retry-After': ref('headers', 'RetryAfterWhileActive'),
    'Cache-Control': ref('headers', 'CacheControl'),
  };
  if (op.location) headers.Location = ref('headers', 'Location');
  return {
    description: op.success === 202 ? 'Accepted: the process, committed durably.' : 'The process.',
    headers,
    content: json(ref('schemas', 'Process')),
  };
}

/** One response per status; a status shared by several codes lists them all. */
function errorResponses(codes: readonly ApiErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  const out: Record<string, unknown> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: Record<string, unknown> = { 'Cache-Control': ref('headers', 'CacheControl') };
    if (group.some((c) => headersOf(c).includes('Retry-After'))) headers['Retry-After'] = ref('headers', 'RetryAfter');
    if (group.includes('UNAUTHORIZED')) headers['WWW-Authenticate'] = ref('headers', 'WWWAuthenticate');
    out[String(status)] = {
      description: group.map((c) => `${c}: ${WHEN[c]}`).join(' '),
      headers,
      content: json({ allOf: [ref('schemas', 'Error'), { properties: { error: { properties: { code: { enum: group } } } } }] }),
    };
  }
  return out;
}

function operationOf(routeKey: string, functionKey: FunctionKey) {
  const op = OPERATIONS[functionKey];
  if (!op) throw new Error(`Route ${routeKey} (${functionKey}) has no operation in infra/specs/openapi.ts: describe it there`);
  const parameters: unknown[] = [];
  if (routeKey.includes('{processId}')) parameters.push(ref('parameters', 'ProcessId'));
  if (op.body) parameters.push(ref('parameters', 'IdempotencyKey'));
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: json(ref('schemas', 'StartRequest')) } } : {}),
    responses: { [String(op.success)]: successResponse(op), ...errorResponses([...EVERY_ROUTE, ...op.errors]) },
  };
}

/** The document, as a plain object (stable key order). */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { routeKey, functionKey } of ROUTES) {
    const [method, path] = routeKey.split(' ') as [string, string];
    paths[path] = { ...paths[path], [method.toLowerCase()]: operationOf(routeKey, functionKey) };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'async-ai-pipeline API',
      version,
      description: [
        'Asynchronous AI generation: start a process, follow its status and progress, retry or cancel it (DESIGN.md §4).',
        'Every route needs a bearer JWT; its `sub` claim is the user id, and a user sees only their own processes.',
        `Request bodies are JSON, at most ${API.maxBodyBytes} bytes (${API.maxBodyBytes / 1024} KiB): a larger one gets 413.`,
        `Each user may send ${AUTH.rateLimit.requests} requests per ${AUTH.rateLimit.windowSeconds} s; past that, 429 with Retry-After.`,
        'Every error is `{"error": {"code", "message", "requestId"}}`.',
      ].join(' '),
    },
    servers: [
      {
        url: '/',
        description:
          'The API Gateway stage (`pulumi stack output apiUrl`), CloudFront (`cloudFrontUrl`), or the local runtime of `npm start`.',
      },
    ],
    security: [{ bearerJwt: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `A JWT from the stack's issuer (a Cognito user pool by default), valid ${AUTH.tokenValidityHours} h; \`sub\` is the user id. Checked by API Gateway's JWT authorizer: signature, issuer, audience, expiry.`,
        },
      },
      parameters: {
        ProcessId: { name: 'processId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'Makes the start idempotent for this user: the same key and body return the same process.',
          schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
        },
      },
      headers: Object.fromEntries(Object.entries(HEADERS)),
      schemas: componentSchemas(),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

export function renderOpenApi(): string {
  return `# Generated by \`npm run docs\` from the route table, the zod schemas, the error classes and guide/ (infra/specs/openapi.ts). Do not edit.\n${stringify(openApiDocument(), { lineWidth: 0 })}`;
}

/** The deployed HTTP API's description: which revision of the contract it serves (CloudWatch and the console show it). */
export function apiDescription(document = renderOpenApi()): string {
  const sha = createHash('sha256').update(document).digest('hex').slice(0, 16);
  return `AsyncProcessing API of async-ai-pipeline ${version}: the contract is the OpenAPI 3.1 document ${OPENAPI_PATH} (sha256 ${sha}).`;
}

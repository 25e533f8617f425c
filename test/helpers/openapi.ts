/**
 * Reads a response (or a request) against the OpenAPI document: its status is documented for the
 * route, its body validates against the documented schema (JSON Schema 2020-12, ajv), its error
 * code is one the status lists, its required headers are there and every header it sends is
 * documented with a value its schema allows.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../../infra/specs/openapi';
import type { ParsedResponse } from './events';

type Json = Record<string, any>;

/** Headers every JSON response carries, described by the response's content instead. */
const CONTENT_HEADERS = new Set(['content-type']);

export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<unknown, ValidateFunction>();

  constructor(readonly doc: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi.json', components: doc.components });
  }

  /** `#/components/...` references resolve inside the document. */
  private validator(schema: unknown): ValidateFunction {
    let v = this.compiled.get(schema);
    if (!v) {
      v = this.ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')));
      this.compiled.set(schema, v);
    }
    return v;
  }

  private resolve(node: Json): Json {
    if (typeof node?.$ref !== 'string') return node;
    const path = (node.$ref as string).replace(/^#\//, '').split('/');
    return path.reduce<Json>((n, key) => n[key], this.doc as unknown as Json);
  }

  operation(routeKey: string): Json {
    const [method, path] = routeKey.split(' ') as [string, string];
    const op = (this.doc.paths as Json)[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`The document has no operation for ${routeKey}`);
    return op;
  }

  /** The documented error codes of each status of a route. */
  errorCodes(routeKey: string): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const [status, response] of Object.entries(this.operation(routeKey).responses as Json)) {
      const codes = (response as Json).content['application/json'].schema.allOf?.[1]?.properties.error.properties.code.enum as
        | string[]
        | undefined;
      if (codes) out.set(Number(status), codes);
    }
    return out;
  }

  /** Everything wrong with `res` as an answer of `routeKey`; empty when it is the contract's. */
  problems(routeKey: string, res: ParsedResponse): string[] {
    const response = this.operation(routeKey).responses[String(res.statusCode)] as Json | undefined;
    if (!response) return [`status ${res.statusCode} is not documented for ${routeKey}`];
    const problems: string[] = [];
    const validate = this.validator(response.content['application/json'].schema);
    if (!validate(res.body)) problems.push(...(validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`));
    const documented = new Map(Object.entries((response.headers ?? {}) as Json).map(([name, h]) => [name.toLowerCase(), this.resolve(h)]));
    for (const [name, header] of documented) {
      if (header.required && !Object.keys(res.headers).some((k) => k.toLowerCase() === name))
        problems.push(`required header ${name} is missing`);
    }
    for (const [name, value] of Object.entries(res.headers)) {
      const key = name.toLowerCase();
      if (CONTENT_HEADERS.has(key)) continue;
      const header = documented.get(key);
      if (!header) {
        problems.push(`header ${name} is not documented for ${res.statusCode}`);
        continue;
      }
      const schema = header.schema as Json;
      const typed = schema.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
      const check = this.validator(schema);
      if (!check(typed)) problems.push(`header ${name}: ${JSON.stringify(value)} ${check.errors?.[0]?.message}`);
    }
    return problems;
  }

  /** Whether the document's request body schema of `routeKey` accepts `body`. */
  acceptsBody(routeKey: string, body: unknown): boolean {
    return this.validator(this.operation(routeKey).requestBody.content['application/json'].schema)(body);
  }

  /** Whether a documented parameter (`Idempotency-Key`, `processId`) accepts `value`. */
  acceptsParameter(routeKey: string, name: string, value: string): boolean {
    const parameter = (this.operation(routeKey).parameters as Json[]).map((p) => this.resolve(p)).find((p) => p.name === name);
    if (!parameter) throw new Error(`${routeKey} documents no parameter ${name}`);
    return this.validator(parameter.schema)(value);
  }
}

/**
 * CloudWatch Logs metric filter patterns, the subset our filters use, applied to log lines: the
 * local runtime derives the same metrics from the lines it writes as CloudWatch does on AWS
 * ("Filter pattern syntax for metric filters"):
 *  - JSON: `{ $.status = "401" || ($.latency > 100 && $.route != "GET /x") }`, string values may end
 *    or start with `*`, numbers compare numerically;
 *  - space-delimited: `[name="literal", field, ..., other>=5]`, fields split on whitespace, a
 *    quoted or bracketed group counts as one field, `...` stands for any number of fields;
 *  - terms: `ERROR` (every term must occur), `"exact phrase"`, `?a ?b` (any of them).
 */

export type FilterMatch = { readonly matched: false } | { readonly matched: true; readonly fields: Readonly<Record<string, unknown>> };

const NO: FilterMatch = { matched: false };

/** `*`-wildcards of a metric filter string, as a whole-value regular expression. */
function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function compare(actual: unknown, op: string, expected: string | number): boolean {
  if (actual === undefined || actual === null) return op === '!=';
  if (typeof expected === 'number') {
    const n = typeof actual === 'number' ? actual : Number(actual);
    if (!Number.isFinite(n)) return op === '!=';
    switch (op) {
      case '=':
        return n === expected;
      case '!=':
        return n !== expected;
      case '<':
        return n < expected;
      case '<=':
        return n <= expected;
      case '>':
        return n > expected;
      case '>=':
        return n >= expected;
      default:
        throw new Error(`Unknown operator ${op} in a filter pattern`);
    }
  }
  if (op !== '=' && op !== '!=') throw new Error(`Operator ${op} needs a number in a filter pattern`);
  const equal = wildcard(expected).test(String(actual));
  return op === '=' ? equal : !equal;
}

const literal = (raw: string): string | number => (raw.startsWith('"') ? raw.slice(1, -1) : Number(raw));

// ---- JSON patterns -------------------------------------------------------------------------

const JSON_TOKEN = /\s*(\(|\)|&&|\|\||\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])+|!=|<=|>=|=|<|>|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)/y;

function lookup(doc: unknown, selector: string): unknown {
  let cur: unknown = doc;
  for (const part of selector.slice(1).match(/\.[^.[]+|\[\d+\]/g) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = part.startsWith('[') ? (cur as unknown[])[Number(part.slice(1, -1))] : (cur as Record<string, unknown>)[part.slice(1)];
  }
  return cur;
}

function jsonMatcher(body: string): (doc: unknown) => boolean {
  const tokens: string[] = [];
  JSON_TOKEN.lastIndex = 0;
  while (JSON_TOKEN.lastIndex < body.length) {
    const start = JSON_TOKEN.lastIndex;
    const m = JSON_TOKEN.exec(body);
    if (!m) {
      if (body.slice(start).trim() === '') break;
      throw new Error(`Cannot read the filter pattern at "${body.slice(start, start + 20)}"`);
    }
    tokens.push(m[1]!);
  }
  let i = 0;
  const or = (): ((d: unknown) => boolean) => {
    let left = and();
    while (tokens[i] === '||') {
      i++;
      const l = left,
        r = and();
      left = (d) => l(d) || r(d);
    }
    return left;
  };
  const and = (): ((d: unknown) => boolean) => {
    let left = term();
    while (tokens[i] === '&&') {
      i++;
      const l = left,
        r = term();
      left = (d) => l(d) && r(d);
    }
    return left;
  };
  const term = (): ((d: unknown) => boolean) => {
    if (tokens[i] === '(') {
      i++;
      const inner = or();
      if (tokens[i++] !== ')') throw new Error('Unbalanced parentheses in a filter pattern');
      return inner;
    }
    const [selector, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!selector?.startsWith('$') || !op || value === undefined)
      throw new Error(`Expected "$.field <op> value" in a filter pattern, at ${tokens.slice(i).join(' ')}`);
    i += 3;
    const expected = literal(value);
    return (d) => compare(lookup(d, selector), op, expected);
  };
  const test = or();
  if (i !== tokens.length) throw new Error(`Unexpected "${tokens[i]}" in a filter pattern`);
  return test;
}

// ---- space-delimited patterns ---------------------------------------------------------------

interface FieldSpec {
  readonly name?: string;
  readonly op?: string;
  readonly value?: string | number;
  readonly rest?: boolean;
}

function splitFields(line: string): string[] {
  return line.match(/"[^"]*"|\[[^\]]*\]|\S+/g)?.map((f) => (/^["[]/.test(f) ? f.slice(1, -1) : f)) ?? [];
}

function fieldSpecs(body: string): FieldSpec[] {
  return body
    .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((raw) => raw.trim())
    .map((raw) => {
      if (raw === '...') return { rest: true };
      const m = /^([A-Za-z0-9_]*)\s*(!=|<=|>=|=|<|>)?\s*(".*"|-?\d+(?:\.\d+)?|\S*)?$/.exec(raw);
      if (!m) throw new Error(`Cannot read the field "${raw}" of a filter pattern`);
      const raw3 = m[3];
      const value =
        raw3 === undefined || raw3 === '' ? undefined : raw3.startsWith('"') || /^-?\d+(\.\d+)?$/.test(raw3) ? literal(raw3) : raw3;
      return { name: m[1] || undefined, op: m[2], value };
    });
}

function delimitedMatch(specs: readonly FieldSpec[], fields: readonly string[]): Record<string, unknown> | undefined {
  const go = (s: number, f: number, acc: Record<string, unknown>): Record<string, unknown> | undefined => {
    if (s === specs.length) return f === fields.length ? acc : undefined;
    const spec = specs[s]!;
    if (spec.rest) {
      for (let skip = f; skip <= fields.length; skip++) {
        const found = go(s + 1, skip, acc);
        if (found) return found;
      }
      return undefined;
    }
    const field = fields[f];
    if (field === undefined) return undefined;
    if (spec.op && spec.value !== undefined && !compare(field, spec.op, spec.value)) return undefined;
    return go(s + 1, f + 1, spec.name ? { ...acc, [spec.name]: field } : acc);
  };
  return go(0, 0, {});
}

// ---- the pattern ---------------------------------------------------------------------------

/** Compiles a filter pattern; the matcher answers for one log event (its text). */
export function compileFilterPattern(pattern: string): (line: string) => FilterMatch {
  const p = pattern.trim();
  if (p.startsWith('{')) {
    if (!p.endsWith('}')) throw new Error(`A JSON filter pattern ends with "}": ${pattern}`);
    const test = jsonMatcher(p.slice(1, -1));
    return (line) => {
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch {
        return NO;
      }
      return test(doc) ? { matched: true, fields: doc as Record<string, unknown> } : NO;
    };
  }
  if (p.startsWith('[')) {
    if (!p.endsWith(']')) throw new Error(`A space-delimited filter pattern ends with "]": ${pattern}`);
    const specs = fieldSpecs(p.slice(1, -1));
    return (line) => {
      const fields = delimitedMatch(specs, splitFields(line));
      return fields ? { matched: true, fields } : NO;
    };
  }
  const terms = p.match(/\?"[^"]*"|\?\S+|"[^"]*"|\S+/g) ?? [];
  const optional = terms.filter((t) => t.startsWith('?')).map((t) => t.slice(1).replace(/^"|"$/g, ''));
  const required = terms.filter((t) => !t.startsWith('?')).map((t) => t.replace(/^"|"$/g, ''));
  return (line) => {
    const ok = required.every((t) => line.includes(t)) && (optional.length === 0 || optional.some((t) => line.includes(t)));
    return ok ? { matched: true, fields: {} } : NO;
  };
}

/** The metric value of a matched event: a number, or `$.field` / `$field` of the event. */
export function metricValue(value: string, match: FilterMatch): number | undefined {
  if (!match.matched) return undefined;
  if (!value.startsWith('$')) return Number(value);
  const v = value.startsWith('$.') ? lookup(match.fields, value) : match.fields[value.slice(1)];
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

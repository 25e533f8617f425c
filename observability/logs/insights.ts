/**
 * A small CloudWatch Logs Insights interpreter, enough for the saved queries of the project, run
 * over the JSON lines the functions really write (tests, and the local runtime's views):
 *   fields a, b, @timestamp          (projection; stats ignore it)
 *   filter <expr>                    =, !=, <, <=, >, >=, like /re/ or "substring", not like,
 *                                    and, or, not, (…), ispresent(f)
 *   stats avg(f), max(f), min(f), sum(f), count(*), count(f), count() [as name], … [by f, bin(1h)]
 *   sort <field> [asc|desc]
 *   limit <n>
 * Fields missing from an event compare false (and `!=` true) and are skipped by avg/max/min/sum,
 * as in Logs Insights. `@timestamp` is the event's time (its `timestamp` field unless given),
 * `@message` the raw line.
 */

export interface LogEvent {
  readonly [field: string]: unknown;
}

export type Row = Record<string, unknown>;

type Expr = (e: LogEvent) => unknown;

const TOKEN =
  /\s*(\/(?:[^/\\]|\\.)+\/[a-z]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\d+[smhd](?!\w)|-?\d+(?:\.\d+)?(?![\w.])|!=|<=|>=|=|<|>|\(|\)|,|\*|[@A-Za-z_][\w.@]*)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (text.slice(start).trim() === '') break;
      throw new Error(`Logs Insights: cannot read "${text.slice(start, start + 20)}"`);
    }
    tokens.push(m[1]!);
  }
  return tokens;
}

/** Splits a query into commands at the pipes outside strings and regular expressions. */
function commands(query: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of query) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || (ch === '/' && /\blike\s*$/.test(cur))) quote = ch;
    if (ch === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out.filter(Boolean);
}

const unquote = (t: string): string => t.slice(1, -1).replace(/\\(.)/g, '$1');

function compare(a: unknown, op: string, b: unknown): boolean {
  if (a === undefined || a === null || b === undefined || b === null) return op === '!=';
  const numeric = typeof a === 'number' || typeof b === 'number';
  const [x, y] = numeric ? [Number(a), Number(b)] : [String(a), String(b)];
  switch (op) {
    case '=':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      throw new Error(`Logs Insights: unknown operator ${op}`);
  }
}

function like(value: unknown, pattern: string): boolean {
  if (value === undefined || value === null) return false;
  if (pattern.startsWith('/')) {
    const end = pattern.lastIndexOf('/');
    return new RegExp(pattern.slice(1, end), pattern.slice(end + 1)).test(String(value));
  }
  return String(value).includes(unquote(pattern));
}

/** Parses a filter expression: or > and > not > comparison. */
function parseFilter(text: string): (e: LogEvent) => boolean {
  const t = tokenize(text);
  let i = 0;
  const peek = () => t[i]?.toLowerCase();
  const value = (): Expr => {
    const tok = t[i++];
    if (tok === undefined) throw new Error(`Logs Insights: filter "${text}" ends early`);
    if (tok.startsWith('"') || tok.startsWith("'")) {
      const s = unquote(tok);
      return () => s;
    }
    if (/^-?\d/.test(tok)) return () => Number(tok);
    return (e) => e[tok];
  };
  const primary = (): ((e: LogEvent) => boolean) => {
    if (peek() === 'not') {
      i++;
      const inner = primary();
      return (e) => !inner(e);
    }
    if (t[i] === '(') {
      i++;
      const inner = or();
      if (t[i++] !== ')') throw new Error(`Logs Insights: unbalanced parentheses in "${text}"`);
      return inner;
    }
    if (peek() === 'ispresent' && t[i + 1] === '(') {
      const field = t[i + 2]!;
      if (t[i + 3] !== ')') throw new Error(`Logs Insights: ispresent takes one field, in "${text}"`);
      i += 4;
      return (e) => e[field] !== undefined && e[field] !== null;
    }
    const left = value();
    const negated = peek() === 'not' && t[i + 1]?.toLowerCase() === 'like';
    if (negated) i++;
    if (peek() === 'like') {
      i++;
      const pattern = t[i++]!;
      return negated ? (e) => !like(left(e), pattern) : (e) => like(left(e), pattern);
    }
    const op = t[i++]!;
    const right = value();
    return (e) => compare(left(e), op, right(e));
  };
  const and = (): ((e: LogEvent) => boolean) => {
    let left = primary();
    while (peek() === 'and') {
      i++;
      const l = left,
        r = primary();
      left = (e) => l(e) && r(e);
    }
    return left;
  };
  const or = (): ((e: LogEvent) => boolean) => {
    let left = and();
    while (peek() === 'or') {
      i++;
      const l = left,
        r = and();
      left = (e) => l(e) || r(e);
    }
    return left;
  };
  const test = or();
  if (i !== t.length) throw new Error(`Logs Insights: unexpected "${t[i]}" in filter "${text}"`);
  return test;
}

interface Aggregate {
  readonly fn: string;
  readonly field?: string;
  readonly as: string;
}

const BIN_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseStats(text: string): { aggregates: Aggregate[]; by: { name: string; key: (e: LogEvent) => unknown }[] } {
  const t = tokenize(text);
  let i = 0;
  const aggregates: Aggregate[] = [];
  const by: { name: string; key: (e: LogEvent) => unknown }[] = [];
  while (i < t.length && t[i]!.toLowerCase() !== 'by') {
    if (t[i] === ',') {
      i++;
      continue;
    }
    const fn = t[i]!.toLowerCase();
    if (t[i + 1] !== '(') throw new Error(`Logs Insights: expected an aggregate such as avg(f) in "${text}"`);
    const field = t[i + 2] === ')' ? undefined : t[i + 2];
    i += field === undefined ? 3 : 4;
    let as = `${fn}(${field ?? ''})`;
    if (t[i]?.toLowerCase() === 'as') {
      as = t[i + 1]!;
      i += 2;
    }
    aggregates.push({ fn, field: field === '*' ? undefined : field, as });
  }
  if (t[i]?.toLowerCase() === 'by') i++;
  while (i < t.length) {
    if (t[i] === ',') {
      i++;
      continue;
    }
    if (t[i]!.toLowerCase() === 'bin' && t[i + 1] === '(') {
      const m = /^(\d+)([smhd])$/.exec(t[i + 2] ?? '');
      if (!m) throw new Error(`Logs Insights: bin() takes a period such as 1h, in "${text}"`);
      const width = Number(m[1]) * BIN_UNITS[m[2]!]!;
      const close = t.indexOf(')', i);
      i = close + 1;
      by.push({
        name: `bin(${m[1]}${m[2]})`,
        key: (e) => new Date(Math.floor(Number(new Date(String(e['@timestamp'])).getTime()) / width) * width).toISOString(),
      });
      continue;
    }
    const field = t[i++]!;
    by.push({ name: field, key: (e) => e[field] });
  }
  return { aggregates, by };
}

function aggregate(a: Aggregate, events: readonly LogEvent[]): unknown {
  const values = a.field === undefined ? [] : events.map((e) => e[a.field!]).filter((v) => v !== undefined && v !== null);
  const numbers = values.map(Number).filter(Number.isFinite);
  switch (a.fn) {
    case 'count':
      return a.field === undefined ? events.length : values.length;
    case 'sum':
      return numbers.reduce((s, n) => s + n, 0);
    case 'avg':
      return numbers.length ? numbers.reduce((s, n) => s + n, 0) / numbers.length : undefined;
    case 'max':
      return numbers.length ? Math.max(...numbers) : undefined;
    case 'min':
      return numbers.length ? Math.min(...numbers) : undefined;
    default:
      throw new Error(`Logs Insights: aggregate ${a.fn} is not in this interpreter (avg, max, min, sum, count)`);
  }
}

/** Reads JSON log lines as events (other lines are skipped). */
export function eventsFromLines(lines: readonly string[]): LogEvent[] {
  return lines.flatMap((line) => {
    if (!line.trim().startsWith('{')) return [];
    try {
      const doc = JSON.parse(line) as Record<string, unknown>;
      return [{ '@timestamp': doc.timestamp, '@message': line, ...doc }];
    } catch {
      return [];
    }
  });
}

/** Runs a query over events; returns its result rows. */
export function runInsightsQuery(query: string, events: readonly LogEvent[]): Row[] {
  let rows: Row[] = [...events];
  let projected: string[] | undefined;
  let aggregated = false;
  for (const command of commands(query)) {
    const [, verb = '', rest = ''] = /^(\w+)\s*([\s\S]*)$/.exec(command) ?? [];
    switch (verb.toLowerCase()) {
      case 'fields':
        projected = rest.split(',').map((f) => f.trim());
        break;
      case 'filter': {
        const test = parseFilter(rest);
        rows = rows.filter((r) => test(r));
        break;
      }
      case 'stats': {
        const { aggregates, by } = parseStats(rest);
        const groups = new Map<string, LogEvent[]>();
        for (const r of rows) {
          const key = JSON.stringify(by.map((b) => b.key(r) ?? null));
          groups.set(key, [...(groups.get(key) ?? []), r]);
        }
        rows = [...groups.entries()].map(([key, members]) => {
          const keys = JSON.parse(key) as unknown[];
          return Object.fromEntries([...by.map((b, k) => [b.name, keys[k]]), ...aggregates.map((a) => [a.as, aggregate(a, members)])]);
        });
        aggregated = true;
        break;
      }
      case 'sort': {
        const [field = '@timestamp', direction = 'asc'] = rest.trim().split(/\s+/);
        const sign = direction.toLowerCase() === 'desc' ? -1 : 1;
        rows = [...rows].sort((a, b) => (compare(a[field], '<', b[field]) ? -sign : compare(a[field], '>', b[field]) ? sign : 0));
        break;
      }
      case 'limit':
        rows = rows.slice(0, Number(rest.trim()));
        break;
      default:
        throw new Error(`Logs Insights: command "${verb}" is not in this interpreter (fields, filter, stats, sort, limit)`);
    }
  }
  if (!aggregated && projected) return rows.map((r) => Object.fromEntries(projected!.map((f) => [f, r[f]])));
  return rows;
}

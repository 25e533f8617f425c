/**
 * Metric-math expressions → syntax tree. The grammar is the user guide's ("Metric math syntax
 * and functions"): ids start with a lowercase letter, functions are uppercase, arithmetic
 * `+ - * / ^`, comparisons `== != <= >= < >`, logic `AND`/`&&`, `OR`/`||`, arrays `[a, b]`,
 * strings for METRICS("…"). Precedence, loosest first: OR, AND, comparison, + -, * /, unary -, ^.
 */

export type Node =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ref'; readonly id: string }
  | { readonly type: 'word'; readonly name: string }
  | { readonly type: 'unary'; readonly arg: Node }
  | { readonly type: 'binary'; readonly op: string; readonly left: Node; readonly right: Node }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Node[] }
  | { readonly type: 'array'; readonly items: readonly Node[] };

interface Token {
  readonly kind: 'number' | 'string' | 'name' | 'op';
  readonly text: string;
  readonly at: number;
}

const TOKEN = /(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|"([^"]*)"|“([^”]*)”|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/^<>()[\],]))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (let at = 0; ; at = TOKEN.lastIndex) {
    while (/\s/.test(text[at] ?? '')) at++;
    if (at >= text.length) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) throw new Error(`Metric math "${text}": unexpected character at position ${at + 1}.`);
    if (m[1] !== undefined) tokens.push({ kind: 'number', text: m[1], at });
    else if (m[2] !== undefined || m[3] !== undefined) tokens.push({ kind: 'string', text: m[2] ?? m[3]!, at });
    else if (m[4] !== undefined) tokens.push({ kind: 'name', text: m[4], at });
    else tokens.push({ kind: 'op', text: m[5]!, at });
  }
  return tokens;
}

const LEVELS: readonly (readonly string[])[] = [
  ['OR', '||'],
  ['AND', '&&'],
  ['==', '!=', '<=', '>=', '<', '>'],
  ['+', '-'],
  ['*', '/'],
];

export function parseExpression(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (what: string): never => {
    const t = peek();
    throw new Error(`Metric math "${text}": ${what} ${t ? `at "${t.text}" (position ${t.at + 1})` : 'at the end'}.`);
  };
  const accept = (op: string): boolean => {
    if (peek()?.text !== op || peek()?.kind === 'string') return false;
    pos++;
    return true;
  };
  const expect = (op: string) => accept(op) || fail(`expected "${op}"`);

  const list = (close: string): Node[] => {
    const items: Node[] = [];
    if (accept(close)) return items;
    do items.push(level(0));
    while (accept(','));
    expect(close);
    return items;
  };

  const primary = (): Node => {
    const t = peek() ?? fail('expected a value');
    pos++;
    if (t.kind === 'number') return { type: 'number', value: Number(t.text) };
    if (t.kind === 'string') return { type: 'string', value: t.text };
    if (t.kind === 'name') {
      if (/^[a-z]/.test(t.text)) return { type: 'ref', id: t.text };
      if (accept('(')) return { type: 'call', name: t.text, args: list(')') };
      return { type: 'word', name: t.text };
    }
    if (t.text === '(') {
      const inner = level(0);
      expect(')');
      return inner;
    }
    if (t.text === '[') return { type: 'array', items: list(']') };
    pos--;
    return fail('expected a value');
  };

  const power = (): Node => {
    const base = primary();
    return accept('^') ? { type: 'binary', op: '^', left: base, right: unary() } : base;
  };
  const unary = (): Node => (accept('-') ? { type: 'unary', arg: unary() } : power());

  const level = (n: number): Node => {
    if (n === LEVELS.length) return unary();
    let left = level(n + 1);
    for (;;) {
      const op = LEVELS[n]!.find((o) => peek()?.kind !== 'string' && peek()?.text === o);
      if (!op) return left;
      pos++;
      left = { type: 'binary', op: op === '&&' ? 'AND' : op === '||' ? 'OR' : op, left, right: level(n + 1) };
    }
  };

  const tree = level(0);
  if (pos < tokens.length) fail('unexpected');
  return tree;
}

/** The ids an expression reads (to order the queries and find cycles). */
export function referencedIds(node: Node): string[] {
  switch (node.type) {
    case 'ref':
      return [node.id];
    case 'unary':
      return referencedIds(node.arg);
    case 'binary':
      return [...referencedIds(node.left), ...referencedIds(node.right)];
    case 'call':
      return node.args.flatMap(referencedIds);
    case 'array':
      return node.items.flatMap(referencedIds);
    default:
      return [];
  }
}

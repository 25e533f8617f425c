/**
 * Small readers for stack config values. Each problem becomes one line that names the key, what is
 * wrong, and the `pulumi config set` that fixes it; all problems of a stack are reported together.
 */
export const PROJECT = 'async-ai-pipeline';

export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Stack config is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Collects problems while reading one stack's raw config. */
export class Reader {
  readonly problems: string[] = [];

  constructor(private readonly raw: Readonly<Record<string, unknown>>) {}

  /** Reports a problem with `path` (e.g. `database.minCapacity`), showing how to set it right. */
  fail(path: string, problem: string, example: string): void {
    const [ns, key] = path.includes(':') ? path.split(':', 2) : [PROJECT, path];
    const pathFlag = key!.includes('.') ? '--path ' : '';
    this.problems.push(`${ns}:${key} ${problem}. Fix: pulumi config set ${pathFlag}${ns === PROJECT ? '' : `${ns}:`}${key} ${example}`);
  }

  /** The value at `path`: top-level key, then dotted properties of an object value. */
  get(path: string): unknown {
    const [ns, key] = path.includes(':') ? path.split(':', 2) : [PROJECT, path];
    const [top, ...rest] = key!.split('.');
    let v: unknown = this.raw[`${ns}:${top}`];
    for (const p of rest) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    return v;
  }

  string(path: string, example: string, check?: { pattern: RegExp; what: string }): string {
    const v = this.get(path);
    if (typeof v !== 'string' || v === '') {
      this.fail(path, v === undefined ? 'is not set' : `must be a string, got ${JSON.stringify(v)}`, example);
      return '';
    }
    if (check && !check.pattern.test(v)) this.fail(path, `must be ${check.what}, got ${JSON.stringify(v)}`, example);
    return v;
  }

  optionalString(path: string, example: string, check?: { pattern: RegExp; what: string }): string | undefined {
    return this.get(path) === undefined ? undefined : this.string(path, example, check);
  }

  oneOf<T extends string>(path: string, allowed: readonly T[], fallback?: T): T {
    const v = this.get(path) ?? fallback;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    this.fail(
      path,
      v === undefined ? `is not set (one of ${allowed.join(', ')})` : `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`,
      allowed[0]!,
    );
    return allowed[0]!;
  }

  /** A number in [min, max], a multiple of `step` when given. YAML numbers may arrive as strings. */
  number(path: string, range: { min: number; max: number; step?: number; unit?: string }, fallback?: number): number {
    const raw = this.get(path) ?? fallback;
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    const unit = range.unit ? ` ${range.unit}` : '';
    const stepOk = (x: number) => range.step === undefined || Number.isInteger(Math.round((x / range.step) * 1e9) / 1e9);
    if (typeof n !== 'number' || !Number.isFinite(n) || n < range.min || n > range.max || !stepOk(n)) {
      const steps = range.step ? ` in steps of ${range.step}` : '';
      const got = raw === undefined ? 'it is not set' : `got ${JSON.stringify(raw)}`;
      this.fail(path, `must be a number from ${range.min} to ${range.max}${unit}${steps}; ${got}`, String(range.min));
      return range.min;
    }
    return n;
  }

  boolean(path: string, fallback: boolean): boolean {
    const v = this.get(path);
    if (v === undefined) return fallback;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    this.fail(path, `must be true or false, got ${JSON.stringify(v)}`, String(fallback));
    return fallback;
  }

  stringList(path: string, example: string, check?: (s: string) => boolean, what = 'strings'): string[] {
    const v = this.get(path);
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && (!check || check(s)))) {
      this.fail(path, `must be a list of ${what}, got ${JSON.stringify(v)}`, example);
      return [];
    }
    return v as string[];
  }
}

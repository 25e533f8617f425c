/**
 * Reading values that may be unknown during a preview. The analyzer hands policies their props in
 * a proxy that throws `UnknownValueError` on reading a value the engine does not know yet (an ARN,
 * an id, anything computed from one), and turns that throw into an advisory "can't run policy
 * during preview": the rule loses its teeth. Rules read such values through `read()` instead and
 * decide from what is known: a literal is checked as it is, an unknown is a value computed from a
 * resource of the same run, checked by what it refers to (see graph.ts) and again at `up`.
 */
import { UnknownValueError } from '@pulumi/policy';

/** What `read` returns for a value not known until its resource exists. */
export const UNKNOWN: unique symbol = Symbol('unknown until the resource exists');
export type Unknown = typeof UNKNOWN;
export type Known<T> = T | Unknown;

/** The value `get` reads, or UNKNOWN when it (or an object on its path) is unknown at preview. */
export function read<T>(get: () => T): Known<T> {
  try {
    return get();
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

export const isUnknown = (v: unknown): v is Unknown => v === UNKNOWN;

/** A list as far as it is known: UNKNOWN for the list itself, or its items (each maybe UNKNOWN). */
export function items<T>(get: () => readonly T[] | undefined): Known<Known<T>[]> {
  const list = read(get);
  if (isUnknown(list)) return UNKNOWN;
  if (!Array.isArray(list)) return [];
  return Array.from({ length: list.length }, (_, i) => read(() => list[i]!));
}

/** The known items of a list (unknown ones and an unknown list are left out). */
export const knownItems = <T>(get: () => readonly T[] | undefined): T[] => {
  const list = items(get);
  return isUnknown(list) ? [] : list.filter((x): x is T => !isUnknown(x));
};

/** An object's entries, each value read on its own (keys are always known). */
export function entries<T>(get: () => Record<string, T> | undefined): [string, Known<T>][] {
  const obj = read(get);
  if (isUnknown(obj) || obj === null || typeof obj !== 'object') return [];
  return Object.keys(obj).map((k) => [k, read(() => obj[k]!)]);
}

/** How a value shows in a message: unknown ones as such. */
export const shown = (v: unknown): string => (isUnknown(v) ? '(unknown until created)' : typeof v === 'string' ? v : JSON.stringify(v));

/** A known string, else `fallback` (a name for messages). */
export const knownString = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);

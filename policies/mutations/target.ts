/**
 * The mutation suite's toolkit: one misconfiguration applied to a captured stack (the resource
 * inputs the program registered, and their outputs), as an engineer in a hurry would write it.
 * Mutations work on inputs, never on the program's source, so a refactor of the program that keeps
 * what it deploys keeps the suite working. Resources are found by type and by what AWS would see
 * (a function's name, an alarm's tag), not by Pulumi's logical names.
 */
import { UNKNOWN } from '../lib/capture';
import type { CheckedResource } from '../lib/engine';

/** The mutation needs a value that is unknown at a first preview (it cannot be written there). */
export class TargetUnknown extends Error {}
/** The stack has no resource the mutation applies to: the catalog is out of date. */
export class MissingTarget extends Error {}

type Props = Record<string, any>;
type Mutable = { -readonly [K in keyof CheckedResource]: CheckedResource[K] } & { inputs: Props; outputs: Props };

const steps = (path: string): string[] => path.split('.');

/** A deep copy of plain data; other objects (assets, archives) are shared, as nothing mutates them. */
function copy<T>(x: T): T {
  if (Array.isArray(x)) return x.map(copy) as T;
  if (x === null || typeof x !== 'object' || Object.getPrototypeOf(x) !== Object.prototype) return x;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, copy(v)])) as T;
}

/** The value at `path`; throws TargetUnknown when it, or an object on the way, is unknown. */
function valueAt(obj: Props, path: string): unknown {
  let at: unknown = obj;
  for (const k of steps(path)) {
    if (at === UNKNOWN) throw new TargetUnknown(path);
    at = at === null || typeof at !== 'object' ? undefined : (at as Props)[k];
  }
  if (at === UNKNOWN) throw new TargetUnknown(path);
  return at;
}

function setAt(obj: Props, path: string, value: unknown): void {
  const keys = steps(path);
  let at: any = obj;
  for (const k of keys.slice(0, -1)) {
    if (at[k] === UNKNOWN) throw new TargetUnknown(path);
    if (at[k] === undefined || at[k] === null) at[k] = {};
    at = at[k];
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
}

export class StackUnderMutation {
  readonly resources: Mutable[];

  constructor(resources: readonly CheckedResource[]) {
    this.resources = copy(resources as CheckedResource[]) as Mutable[];
  }

  /** Every resource of `type` whose outputs satisfy `where`. */
  all(type: string, where: (props: Props) => boolean = () => true): Mutable[] {
    return this.resources.filter((r) => r.type === type && where(r.outputs));
  }

  /** The one resource of `type` the mutation means; `what` names it in the error when it is gone. */
  one(type: string, what: string, where: (props: Props) => boolean = () => true): Mutable {
    const found = this.all(type, where);
    if (found.length === 0) throw new MissingTarget(`No ${type} is ${what}`);
    return found[0]!;
  }

  /** The current value at `path` of a resource's inputs. */
  get(r: Mutable, path: string): any {
    return valueAt(r.inputs, path);
  }

  /**
   * Sets `path` in the inputs and the outputs (undefined removes it). A literal no longer comes from
   * another resource, so the engine would record no dependency for it: the property's are dropped.
   */
  set(r: Mutable, path: string, value: unknown): void {
    setAt(r.inputs, path, value);
    setAt(r.outputs, path, value);
    const top = steps(path)[0]!;
    if (value !== UNKNOWN && path === top) r.propertyDependencies = { ...r.propertyDependencies, [top]: [] };
  }

  /** Replaces the value at `path` by what `change` makes of it (throws TargetUnknown at preview if unknown). */
  edit<T>(r: Mutable, path: string, change: (current: T) => T): void {
    const next = change(copy(this.get(r, path)) as T);
    setAt(r.inputs, path, next);
    setAt(r.outputs, path, next);
  }

  /** Edits a JSON document property (an IAM or resource policy) in place. */
  editDocument(r: Mutable, path: string, change: (doc: { Statement: Props[] }) => void): void {
    this.edit<string>(r, path, (text) => {
      const doc = JSON.parse(text) as { Statement: Props[] };
      change(doc);
      return JSON.stringify(doc);
    });
  }

  /**
   * Drops `target` from list property `prop` (an alarm's actions): from its value, by ARN where it is
   * known and by its place among the property's dependencies at preview, and from the dependencies.
   */
  dropReference(r: Mutable, prop: string, target: Mutable): void {
    const deps = r.propertyDependencies?.[prop] ?? [];
    const place = deps.indexOf(target.urn);
    r.propertyDependencies = { ...r.propertyDependencies, [prop]: deps.filter((u) => u !== target.urn) };
    const arn = target.outputs.arn;
    for (const side of [r.inputs, r.outputs]) {
      const list = side[prop];
      if (!Array.isArray(list)) continue;
      const byValue = arn !== UNKNOWN ? list.indexOf(arn) : -1;
      const i = byValue >= 0 ? byValue : place;
      if (i >= 0) side[prop] = list.filter((_, k) => k !== i);
    }
  }

  remove(...rs: Mutable[]): void {
    for (const r of rs) this.resources.splice(this.resources.indexOf(r), 1);
  }

  /** Adds a resource the engineer wrote, as the engine would register it. */
  add(type: string, name: string, props: Props, like?: Mutable): Mutable {
    const r: Mutable = {
      type,
      name,
      urn: `${like?.urn.replace(/::[^:]+::[^:]+$/, '') ?? 'urn:pulumi:prod::async-ai-pipeline'}::${type}::${name}`,
      inputs: copy(props),
      outputs: copy(props),
      parent: like?.parent,
      protect: false,
      dependencies: [],
      propertyDependencies: {},
    };
    this.resources.push(r);
    return r;
  }
}

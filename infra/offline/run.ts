/**
 * Runs the Pulumi program under mocks with a stack's real `Pulumi.<stack>.yaml`, and returns what
 * it would create: every resource (type, name, inputs, parent component) and the stack outputs.
 * Used by `npm run plan` and by the component tests; each call is one fresh run.
 */
import * as pulumi from '@pulumi/pulumi';
import { OFFLINE_CONFIG, OFFLINE_SECRETS } from '../config/alerting';
import { PROJECT } from '../config/reader';
import { loadStackConfig } from '../config/stack-file';
import { RecordingMocks, type RecordedResource } from './mocks';

export interface PlannedResource extends RecordedResource {
  /** Type of the component (or other resource) it was created under, if any. */
  readonly parentType?: string;
  /** URNs of the resources it waits for (`dependsOn` and the resources its inputs come from). */
  readonly dependsOn?: string[];
  /** Its URN, as the engine names it. */
  readonly urn?: string;
  /** The URN of the resource it was created under. */
  readonly parentUrn?: string;
  /** The `protect` option as registered (inherited from the parent when not set). */
  readonly protect?: boolean;
  /** The `retainOnDelete` option as registered. */
  readonly retainOnDelete?: boolean;
  /** The provider reference it was registered with (`<provider urn>::<id>`; empty for the default provider). */
  readonly provider?: string;
  /** Per input property, the URNs of the resources its value comes from (what the analyzer gets). */
  readonly propertyDependencies?: Record<string, string[]>;
}

export interface OfflineRun {
  readonly stack: string;
  readonly resources: PlannedResource[];
  readonly outputs: Record<string, unknown>;
}

/** Shown for a stack output not known until the resources exist (preview). */
export const UNKNOWN_OUTPUT = '[unknown until created]';

async function resolve(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    // During a preview, `apply` never runs on an unknown value.
    const output = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
    if (!(await output.isKnown)) return UNKNOWN_OUTPUT;
    // Not `apply`: an output that failed would never call it back.
    return output.promise();
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolve));
  return value;
}

/** `urn:pulumi:stack::project::Parent$Type::name` → parent type per `type::name`. */
function parentTypes(): Map<string, string | undefined> {
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
  const parents = new Map<string, string | undefined>();
  for (const urn of monitor.getRegisteredResources().keys()) {
    const [, , typeChain = '', name = ''] = urn.split('::');
    const types = typeChain.split('$');
    parents.set(`${types[types.length - 1]}::${name}`, types.length > 1 ? types[types.length - 2] : undefined);
  }
  return parents;
}

export interface OfflineOptions {
  /** Replace top-level config values (`ns:key`), e.g. to test a config variant. */
  readonly overrides?: Record<string, unknown>;
  /** Where `Pulumi.<stack>.yaml` lives. @default the repository root */
  readonly configDir?: string;
  /**
   * Run as a first `pulumi preview`: outputs AWS computes (ids, ARNs, endpoints) are unknown, and
   * so is every input computed from them. @default false
   */
  readonly preview?: boolean;
}

/**
 * The stack's config, with stand-ins for the `pulumi config set --secret` values a real stack
 * holds (the alerting secrets) and the placeholder marker (alerting settings prod must set for
 * real): nothing offline reaches them.
 */
export async function runOffline(stack: string, { overrides = {}, configDir, preview = false }: OfflineOptions = {}): Promise<OfflineRun> {
  const config: Record<string, string> = { ...OFFLINE_CONFIG, ...loadStackConfig(stack, configDir) };
  for (const [k, v] of Object.entries(overrides)) config[k] = typeof v === 'string' ? v : JSON.stringify(v);
  const mocks = new RecordingMocks(config['aws:region'] ?? 'ap-northeast-1', undefined, { preview });
  pulumi.runtime.setAllConfig(config, Object.keys(OFFLINE_SECRETS));
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, preview);
  const registrations = recordRegistrations();

  const outputs = await failingOnLeakedErrors(async () => {
    const main = require('../index') as () => Promise<Record<string, unknown>>;
    const raw = await main();
    const resolved: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) resolved[k] = await resolve(v);
    await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
    return resolved;
  });

  if (mocks.unmockedCalls.length) throw new Error(`The program made unmocked invokes: ${mocks.unmockedCalls.join(', ')}`);
  const parents = parentTypes();
  const resources = mocks.resources.map((r): PlannedResource => {
    const registered = registrations.get(`${r.type}::${r.name}`);
    return { ...r, parentType: parents.get(`${r.type}::${r.name}`), dependsOn: registered?.dependencies ?? [], ...registered?.options };
  });
  return { stack, resources, outputs };
}

/**
 * Runs the program so that an error thrown inside an `apply` (e.g. a secret's validation) fails the
 * run like one thrown by a constructor, as the Pulumi CLI reports both: under mocks the SDK would
 * only reject the failed resource's registration promise, which nobody awaits. The SDK wraps that
 * promise with `debuggablePromise(…, "resource:<name>[<type>]")`; the wrapper records its failure.
 */
async function failingOnLeakedErrors<T>(run: () => Promise<T>): Promise<T> {
  const debuggable = require('@pulumi/pulumi/runtime/debuggable') as { debuggablePromise: <P>(p: Promise<P>, ctx: unknown) => Promise<P> };
  const original = debuggable.debuggablePromise;
  const failed: unknown[] = [];
  debuggable.debuggablePromise = (p, ctx) => {
    const tracked = original(p, ctx);
    if (typeof ctx === 'string' && ctx.startsWith('resource:')) tracked.catch((e: unknown) => failed.push(e));
    return tracked;
  };
  // Once the program failed, its other promises (the failed resource's outputs) reject too: the
  // run reports the first failure, the rest is noise that would crash the process.
  const afterFailure = (reason: unknown) => {
    if (failed.length === 0) throw reason;
  };
  process.on('unhandledRejection', afterFailure);
  try {
    const result = await run();
    if (failed.length) throw failed[0];
    process.off('unhandledRejection', afterFailure);
    return result;
  } catch (e) {
    if (failed.length === 0) failed.push(e);
    throw e;
  } finally {
    debuggable.debuggablePromise = original;
  }
}

interface Registration {
  readonly dependencies: string[];
  readonly options: Pick<PlannedResource, 'parentUrn' | 'protect' | 'retainOnDelete' | 'provider' | 'propertyDependencies'>;
}

/**
 * The mock monitor keeps neither what a resource waits for nor its options; read them off each
 * registration request, as the engine would pass them on to the policy analyzer.
 */
function recordRegistrations(): Map<string, Registration> {
  type Request = {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProtect(): boolean | undefined;
    getDependenciesList(): string[];
    getProvider(): string;
    getRetainondelete(): boolean | undefined;
    getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> };
  };
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: Request, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  const recorded = new Map<string, Registration>();
  monitor.registerResource = (req, cb) => {
    const propertyDependencies = Object.fromEntries([...req.getPropertydependenciesMap().entries()].map(([k, v]) => [k, v.getUrnsList()]));
    recorded.set(`${req.getType()}::${req.getName()}`, {
      dependencies: req.getDependenciesList(),
      options: {
        parentUrn: req.getParent() || undefined,
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        provider: req.getProvider(),
        propertyDependencies,
      },
    });
    return register(req, cb);
  };
  return recorded;
}

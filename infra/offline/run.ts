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
  /** The registration's resource options that the mocks do not see (issue 15: tags, protection). */
  readonly options?: RegisteredOptions;
}

/** What the SDK sent the monitor besides inputs: the provider reference (`urn::id`), protect, retainOnDelete. */
export interface RegisteredOptions {
  readonly provider: string;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

export interface OfflineRun {
  readonly stack: string;
  readonly resources: PlannedResource[];
  readonly outputs: Record<string, unknown>;
}

async function resolve(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) return new Promise((ok) => (value as pulumi.Output<unknown>).apply(ok));
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
}

/**
 * The stack's config, with stand-ins for the `pulumi config set --secret` values a real stack
 * holds (the alerting secrets) and the placeholder marker (alerting settings prod must set for
 * real): nothing offline reaches them.
 */
export async function runOffline(stack: string, { overrides = {}, configDir }: OfflineOptions = {}): Promise<OfflineRun> {
  const config: Record<string, string> = { ...OFFLINE_CONFIG, ...loadStackConfig(stack, configDir) };
  for (const [k, v] of Object.entries(overrides)) config[k] = typeof v === 'string' ? v : JSON.stringify(v);
  const mocks = new RecordingMocks(config['aws:region'] ?? 'ap-northeast-1');
  pulumi.runtime.setAllConfig(config, Object.keys(OFFLINE_SECRETS));
  await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);
  const { dependencies, options } = recordRegistrations();

  const main = require('../index') as () => Promise<Record<string, unknown>>;
  const raw = await main();
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) outputs[k] = await resolve(v);
  await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();

  if (mocks.unmockedCalls.length) throw new Error(`The program made unmocked invokes: ${mocks.unmockedCalls.join(', ')}`);
  const parents = parentTypes();
  const resources = mocks.resources.map((r) => ({
    ...r, parentType: parents.get(`${r.type}::${r.name}`), dependsOn: dependencies.get(`${r.type}::${r.name}`) ?? [],
    options: options.get(`${r.type}::${r.name}`),
  }));
  return { stack, resources, outputs };
}

/** The mock monitor does not keep what a resource waits for, nor its options; read them off each registration. */
function recordRegistrations(): { dependencies: Map<string, string[]>; options: Map<string, RegisteredOptions> } {
  type Request = {
    getType(): string; getName(): string; getDependenciesList(): string[];
    getProvider(): string; getProtect(): boolean; getRetainondelete(): boolean;
  };
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: Request, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  const dependencies = new Map<string, string[]>();
  const options = new Map<string, RegisteredOptions>();
  monitor.registerResource = (req, cb) => {
    const key = `${req.getType()}::${req.getName()}`;
    dependencies.set(key, req.getDependenciesList());
    options.set(key, { provider: req.getProvider(), protect: req.getProtect(), retainOnDelete: req.getRetainondelete() });
    return register(req, cb);
  };
  return { dependencies, options };
}

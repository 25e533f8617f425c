/**
 * The pack as the Pulumi CLI runs it: `policies/index.ts` started as its own process (it serves
 * @pulumi/policy's gRPC analyzer and prints its port), configured and called over gRPC the way
 * the CLI's engine does (Configure with the schema defaults filled in, Analyze per resource with
 * its inputs, AnalyzeStack with every resource's outputs, options and dependencies). Tests compare
 * what it reports with the offline engine's report over the same captured stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { PolicyPackConfig } from '@pulumi/policy';
import * as pulumi from '@pulumi/pulumi';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import { configOf, enforcementOf, type CheckedResource } from '../../../../policies/lib/engine';
import { POLICIES } from '../../../../policies/rules';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proto = require('@pulumi/pulumi/proto/analyzer_pb');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AnalyzerClient } = require('@pulumi/pulumi/proto/analyzer_grpc_pb');

const POLICIES_DIR = join(__dirname, '..', '..', '..', '..', 'policies');
const LEVELS: Record<number, string> = { [proto.EnforcementLevel.ADVISORY]: 'advisory', [proto.EnforcementLevel.MANDATORY]: 'mandatory' };

export interface Diagnostic {
  readonly policyName: string;
  readonly enforcementLevel: string;
  readonly message: string;
  readonly urn: string;
}

/** A captured value on the wire: plain data as is, archives as Pulumi's archive signature. */
function wire(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(wire);
  if (x === null || typeof x !== 'object') return x;
  if (Object.getPrototypeOf(x) !== Object.prototype)
    return { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialArchiveSig, path: 'bundle' };
  // The engine sends no property for an undefined value.
  return Object.fromEntries(
    Object.entries(x)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, wire(v)]),
  );
}

const struct = (props: Record<string, unknown>) => Struct.fromJavaScript(wire(props) as Record<string, never>);

function options(r: CheckedResource) {
  const o = new proto.AnalyzerResourceOptions();
  o.setProtect(r.protect ?? false);
  if (r.parent) o.setParent(r.parent);
  return o;
}

export class Analyzer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
  ) {}

  /** Starts the pack's analyzer process and connects to it. */
  static async start(): Promise<Analyzer> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'index.ts'], { cwd: POLICIES_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<string>((ok, fail) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = /^(\d+)\n/.exec(out);
        if (line) ok(line[1]!);
      });
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.on('exit', (code) => fail(new Error(`The policy pack exited (${code}) before serving: ${err}`)));
    });
    const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new Analyzer(child, client);
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((ok, fail) => this.client[method](request, (e: Error | null, r: T) => (e ? fail(e) : ok(r))));
  }

  /** Configure, as the CLI does: every policy's enforcement level and its settings with the schema's defaults. */
  async configure(config: PolicyPackConfig): Promise<void> {
    const req = new proto.ConfigureAnalyzerRequest();
    for (const p of POLICIES) {
      const c = new proto.PolicyConfig();
      const level = enforcementOf(p, config);
      c.setEnforcementlevel(
        level === 'disabled'
          ? proto.EnforcementLevel.DISABLED
          : level === 'advisory'
            ? proto.EnforcementLevel.ADVISORY
            : proto.EnforcementLevel.MANDATORY,
      );
      c.setProperties(Struct.fromJavaScript(configOf(p, config) as Record<string, never>));
      req.getPolicyconfigMap().set(p.name, c);
    }
    await this.call('configure', req);
  }

  /** Every diagnostic for the stack: Analyze on each resource's inputs, then AnalyzeStack on the outputs. */
  async analyze(resources: readonly CheckedResource[]): Promise<Diagnostic[]> {
    const found: Diagnostic[] = [];
    // The analyzer sends "<description>\n<message>" for a violation; the CLI prints them apart.
    const messageOf = (d: any): string => {
      const full: string = d.getMessage();
      const description: string = d.getDescription();
      return full.startsWith(`${description}\n`) ? full.slice(description.length + 1) : full;
    };
    const collect = (resp: any, urn?: string) => {
      for (const d of resp.getDiagnosticsList()) {
        found.push({
          policyName: d.getPolicyname(),
          enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? String(d.getEnforcementlevel()),
          message: messageOf(d),
          urn: d.getUrn() || urn || '',
        });
      }
    };
    for (const r of resources) {
      const req = new proto.AnalyzeRequest();
      req.setType(r.type);
      req.setProperties(struct(r.inputs));
      req.setUrn(r.urn);
      req.setName(r.name);
      req.setOptions(options(r));
      collect(await this.call('analyze', req), r.urn);
    }
    const stack = new proto.AnalyzeStackRequest();
    stack.setResourcesList(
      resources.map((r) => {
        const a = new proto.AnalyzerResource();
        a.setType(r.type);
        a.setProperties(struct(r.outputs));
        a.setUrn(r.urn);
        a.setName(r.name);
        a.setOptions(options(r));
        if (r.parent) a.setParent(r.parent);
        a.setDependenciesList([...(r.dependencies ?? [])]);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
          const deps = new proto.AnalyzerPropertyDependencies();
          deps.setUrnsList([...urns]);
          a.getPropertydependenciesMap().set(k, deps);
        }
        return a;
      }),
    );
    collect(await this.call('analyzeStack', stack));
    return found;
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }
}

/**
 * The OpenTelemetry SDK of the local runtime. The functions open spans through
 * `@opentelemetry/api` (no-ops until an SDK is registered: on AWS the ADOT layer registers one);
 * here one tracer provider with an AsyncLocalStorage context manager hands every finished span to
 * the TraceStore (its span processor), so one process's whole path (the API call, the workflow's states, each worker
 * step, each model call, each SQL statement) can be drawn as a waterfall.
 */
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { TRACES_FILE, TraceStore } from './store';

export { TRACES_FILE, TraceStore, type SpanRecord } from './store';

export interface LocalTracing {
  readonly store: TraceStore;
  shutdown(): Promise<void>;
}

/** Registers the SDK globally (once per process) and returns where its spans go. */
export function registerTracing(opts: { dataDir?: string } = {}): LocalTracing {
  const store = new TraceStore({ file: opts.dataDir ? join(opts.dataDir, TRACES_FILE) : undefined });
  const provider = new BasicTracerProvider({ spanProcessors: [store] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    store,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

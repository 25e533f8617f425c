/**
 * A local Amazon Bedrock Runtime endpoint speaking the Converse API (REST-JSON,
 * `POST /model/{modelId}/converse`), answering from the deterministic generator, with the fault
 * control of DESIGN.md §5: the next N calls throttle, fail, hang or answer garbage, and every call
 * may take extra latency. The worker reaches it with the unchanged BedrockRuntimeClient.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSliceRequest } from '../functions/src/ai/prompts';
import { generateSlice } from './generator';

export const FAULT_MODES = ['none', 'throttle', 'error', 'timeout', 'invalid-output'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSetting {
  mode: FaultMode;
  /** Model calls still to fail this way. */
  count: number;
  latencyMs: number;
}

export class FaultControl {
  private setting: FaultSetting = { mode: 'none', count: 0, latencyMs: 0 };
  calls = 0;

  /** Validates and applies `{mode, count?, latencyMs?}`; returns the setting in force. */
  set(body: unknown): FaultSetting {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b !== 'object' || Array.isArray(b)) throw new Error('body must be a JSON object');
    const mode = b.mode ?? 'none';
    if (!FAULT_MODES.includes(mode as FaultMode)) throw new Error(`mode must be one of ${FAULT_MODES.join(', ')}`);
    const count = b.count ?? (mode === 'none' ? 0 : 1);
    const latencyMs = b.latencyMs ?? 0;
    if (!Number.isInteger(count) || (count as number) < 0) throw new Error('count must be a non-negative integer');
    if (!Number.isInteger(latencyMs) || (latencyMs as number) < 0 || (latencyMs as number) > 600_000)
      throw new Error('latencyMs must be an integer between 0 and 600000');
    this.setting = { mode: mode as FaultMode, count: mode === 'none' ? 0 : (count as number), latencyMs: latencyMs as number };
    return this.get();
  }

  get(): FaultSetting {
    return { ...this.setting };
  }

  /** The fault for this call, counting it down. */
  take(): { mode: FaultMode; latencyMs: number } {
    this.calls++;
    const { mode, count, latencyMs } = this.setting;
    if (mode === 'none' || count <= 0) return { mode: 'none', latencyMs };
    this.setting = { ...this.setting, count: count - 1, mode: count - 1 > 0 ? mode : 'none' };
    return { mode, latencyMs };
  }
}

function sendError(res: ServerResponse, status: number, type: string, message: string) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': type, 'x-amzn-RequestId': crypto.randomUUID() });
  res.end(JSON.stringify({ message }));
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

export interface LocalBedrock {
  server: Server;
  endpoint: string;
  faults: FaultControl;
  close(): Promise<void>;
}

export async function startLocalBedrock(opts: { host?: string; port?: number; faults?: FaultControl } = {}): Promise<LocalBedrock> {
  const faults = opts.faults ?? new FaultControl();
  const hanging = new Set<ServerResponse>();
  let errorToggle = 0;

  const server = createServer(async (req, res) => {
    const match = /^\/model\/([^/]+)\/converse$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match)
      return sendError(res, 404, 'UnknownOperationException', `No such operation: ${req.method} ${req.url}`);
    let body: any;
    try {
      body = await readJson(req);
    } catch {
      return sendError(res, 400, 'ValidationException', 'Malformed JSON body');
    }
    const { mode, latencyMs } = faults.take();
    if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
    switch (mode) {
      case 'throttle':
        return sendError(res, 429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
      case 'error':
        return errorToggle++ % 2 === 0
          ? sendError(res, 500, 'InternalServerException', 'The server encountered an internal error.')
          : sendError(res, 503, 'ServiceUnavailableException', 'The service is temporarily unavailable.');
      case 'timeout': {
        // Never answer in time: the caller's step timeout fires first. Closed on shutdown.
        hanging.add(res);
        const timer = setTimeout(() => {
          hanging.delete(res);
          sendError(res, 408, 'ModelTimeoutException', 'The model did not answer in time.');
        }, 600_000);
        res.on('close', () => {
          clearTimeout(timer);
          hanging.delete(res);
        });
        return;
      }
    }
    const prompt: string = (body?.messages ?? []).flatMap((m: any) => (m.content ?? []).map((c: any) => c.text ?? '')).join('\n');
    const request = parseSliceRequest(prompt);
    if (!request)
      return sendError(res, 400, 'ValidationException', 'The local model only answers prompts built by functions/src/ai/prompts.ts');
    const answer =
      mode === 'invalid-output'
        ? 'Sure! Here are some great ideas for your goal: 1. Work hard 2. Stay focused.'
        : JSON.stringify(generateSlice(request));
    const inputTokens = Math.ceil(prompt.length / 4);
    const outputTokens = Math.ceil(answer.length / 4);
    res.writeHead(200, { 'Content-Type': 'application/json', 'x-amzn-RequestId': crypto.randomUUID() });
    res.end(
      JSON.stringify({
        output: { message: { role: 'assistant', content: [{ text: answer }] } },
        stopReason: 'end_turn',
        usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
        metrics: { latencyMs: latencyMs || 1 },
      }),
    );
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    endpoint: `http://127.0.0.1:${port}`,
    faults,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

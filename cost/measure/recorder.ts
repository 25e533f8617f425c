/**
 * Watches every model call from outside the runtime: a Converse endpoint in this process that
 * forwards to the local Bedrock endpoint (local/bedrock-server.ts, the one `npm start` runs) and
 * records each request and answer. The runtime reaches it as "real" Bedrock
 * (`AIP_BEDROCK=aws`, `BEDROCK_ENDPOINT`), so nothing in the runtime changes for the measurement.
 *
 * Tokens: the local endpoint's `usage` is characters / 4, which is far off for Japanese and JSON.
 * Each call's system prompt, user prompt and answer are counted again with Anthropic's published
 * tokenizer (@anthropic-ai/tokenizer). Anthropic says it is exact for its older models and an
 * approximation for Claude 3; it is the closest count available without calling Bedrock.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getTokenizer } from '@anthropic-ai/tokenizer';
import { parseSliceRequest, type SliceRequest } from '../../functions/src/ai/prompts';
import { FaultControl, startLocalBedrock, type LocalBedrock } from '../../local/bedrock-server';

export const TOKENIZER = '@anthropic-ai/tokenizer 0.0.4 (system + user prompt; answer text)';

export type SliceKind = SliceRequest['kind'];

export interface ModelCall {
  /** What the prompt asked for (subgoals, actions, tasks): tells the process type apart. */
  readonly kind?: SliceKind;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly localInputTokens: number;
  readonly localOutputTokens: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly ok: boolean;
}

export interface Recorder {
  readonly endpoint: string;
  readonly faults: FaultControl;
  /**
   * Holds each call this long before forwarding it, by what it asks for: the model's latency per
   * type (the scale suite), where the fault control's `latencyMs` is one figure for every call.
   */
  setLatency(ms: (kind: SliceKind | undefined) => number): void;
  /** Calls recorded since the last `take()`. */
  take(): ModelCall[];
  close(): Promise<void>;
}

/** One tokenizer for the recorder's life: building one loads its ranks (~0.2 s), which `countTokens` does per call. */
function tokenCounter(): { count(text: string): number; free(): void } {
  const tokenizer = getTokenizer();
  return { count: (text) => tokenizer.encode(text.normalize('NFKC'), 'all').length, free: () => tokenizer.free() };
}

const texts = (blocks: unknown): string => ((blocks as { text?: string }[] | undefined) ?? []).map((b) => b.text ?? '').join('\n');

export async function startRecorder(): Promise<Recorder> {
  const faults = new FaultControl();
  const bedrock: LocalBedrock = await startLocalBedrock({ faults });
  const tokens = tokenCounter();
  let calls: ModelCall[] = [];
  let latency: (kind: SliceKind | undefined) => number = () => 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    try {
      const request = JSON.parse(body.toString('utf8') || '{}');
      const prompt = [texts(request.system), ...((request.messages ?? []) as { content?: unknown }[]).map((m) => texts(m.content))].join(
        '\n',
      );
      const kind = parseSliceRequest(prompt)?.kind;
      const wait = latency(kind);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const upstream = await fetch(`${bedrock.endpoint}${req.url}`, {
        method: req.method,
        body,
        headers: { 'content-type': 'application/json' },
      });
      const answer = Buffer.from(await upstream.arrayBuffer());
      const headers: Record<string, string> = {};
      upstream.headers.forEach((v, k) => (headers[k] = v));
      delete headers['content-length'];
      delete headers['transfer-encoding'];
      res.writeHead(upstream.status, headers);
      res.end(answer);
      const reply = upstream.ok ? JSON.parse(answer.toString('utf8')) : undefined;
      const output = texts(reply?.output?.message?.content);
      calls.push({
        kind,
        inputTokens: tokens.count(prompt),
        outputTokens: upstream.ok ? tokens.count(output) : 0,
        localInputTokens: reply?.usage?.inputTokens ?? 0,
        localOutputTokens: reply?.usage?.outputTokens ?? 0,
        requestBytes: body.length,
        responseBytes: answer.length,
        ok: upstream.ok,
      });
    } catch (err) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'InternalServerException' });
      res.end(JSON.stringify({ message: `recorder: ${(err as Error).message}` }));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    setLatency(ms) {
      latency = ms;
    },
    take() {
      const out = calls;
      calls = [];
      return out;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await bedrock.close();
      tokens.free();
    },
  };
}

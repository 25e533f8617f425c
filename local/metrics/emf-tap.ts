/**
 * The custom metrics: the functions print them as CloudWatch EMF on stdout, exactly as in Lambda,
 * where CloudWatch Logs extracts them. Locally the tap reads the same lines from the process's
 * stdout and stores their samples; the lines still reach the terminal.
 */
import { samplesFromEmfDocument } from '../../observability/evaluator';
import type { MetricStore } from './store';

/** Stores the samples of every EMF line written to `stream` from now on; returns the function that stops it. */
export function tapEmf(store: MetricStore, stream: NodeJS.WriteStream = process.stdout): () => void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let partial = '';
  const tapped = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text =
      typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"_aws"')) continue;
      try {
        store.put(samplesFromEmfDocument(JSON.parse(line)));
      } catch {
        // Not an EMF document after all (a log line quoting one): CloudWatch would not extract it either.
      }
    }
    return write(chunk, ...rest);
  };
  stream.write = tapped as typeof stream.write;
  return () => {
    stream.write = write as typeof stream.write;
  };
}

/**
 * `AIP_LOG_FORMAT=pretty`: the handlers' JSON log lines and EMF metric lines, rewritten for a
 * human on a terminal. The default (`json`) leaves every line exactly as Lambda would log it.
 */
const LEVEL_COLOUR: Record<string, string> = { ERROR: '\x1b[31m', WARN: '\x1b[33m', INFO: '\x1b[36m', DEBUG: '\x1b[90m' };
const RESET = '\x1b[0m';
const SKIP = new Set(['timestamp', 'level', 'message', 'service', 'sampling_rate']);

export function prettyLine(line: string, colour = true): string {
  let value: any;
  try {
    value = JSON.parse(line);
  } catch {
    return line;
  }
  if (!value || typeof value !== 'object') return line;
  if (value._aws?.CloudWatchMetrics) {
    const names: string[] = value._aws.CloudWatchMetrics.flatMap((m: any) => m.Metrics.map((x: any) => x.Name));
    const dims = value.type ? ` type=${value.type}` : '';
    return `${colour ? '\x1b[90m' : ''}metric ${names.map((n) => `${n}=${value[n]}`).join(' ')}${dims}${colour ? RESET : ''}`;
  }
  if (!value.level || !value.message) return line;
  const time = String(value.timestamp ?? '').slice(11, 23);
  const level = String(value.level).padEnd(5);
  const fields = Object.entries(value)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(' ');
  const c = colour ? (LEVEL_COLOUR[value.level] ?? '') : '';
  return `${time} ${c}${level}${colour ? RESET : ''} ${value.message}${fields ? `  ${colour ? '\x1b[90m' : ''}${fields}${colour ? RESET : ''}` : ''}`;
}

/** Rewrites every line written to stdout/stderr from now on. */
export function installPrettyLogs(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: any, ...rest: any[]) => boolean;
    const colour = stream.isTTY === true;
    (stream as any).write = (chunk: any, ...rest: any[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const out = text
        .split('\n')
        .map((l) => (l.trim() ? prettyLine(l, colour) : l))
        .join('\n');
      return write(out, ...rest);
    };
  }
}

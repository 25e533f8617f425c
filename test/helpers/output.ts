/** Captures what the process writes to stdout and stderr (Powertools' JSON logs and EMF). */
export interface CapturedOutput {
  /** Every written line that parses as JSON, in order, with the stream it went to. */
  json(): { stream: 'stdout' | 'stderr'; entry: Record<string, any> }[];
  restore(): void;
}

export function captureOutput(): CapturedOutput {
  const written: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  const spies = (['stdout', 'stderr'] as const).map((stream) =>
    jest.spyOn(process[stream], 'write').mockImplementation(((chunk: string | Uint8Array) => {
      written.push({ stream, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
      return true;
    }) as typeof process.stdout.write),
  );
  return {
    json() {
      return written.flatMap(({ stream, text }) =>
        text
          .split('\n')
          .filter((l) => l.trim().startsWith('{'))
          .map((l) => ({ stream, entry: JSON.parse(l) as Record<string, any> })),
      );
    },
    restore() {
      spies.forEach((s) => s.mockRestore());
    },
  };
}

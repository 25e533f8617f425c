/** The log commands on the local runtime: its log file (local/log-file.ts), filtered as CloudWatch's pattern would. */
import { existsSync } from 'node:fs';
import { matches, selectLines, type LogLine, type LogQuery, type LogSource } from '../../functions/src/reports/logs';
import { readLogDocuments } from '../log-file';

export class LocalLogSource implements LogSource {
  readonly label: string;
  constructor(private readonly path: string) {
    this.label = `local log file ${path}`;
  }

  async query(q: LogQuery): Promise<readonly LogLine[]> {
    if (!existsSync(this.path)) {
      throw new Error(
        `No log file at ${this.path}: start the runtime with npm start (it writes one), or name another data folder with AIP_DATA_DIR.`,
      );
    }
    const lines: LogLine[] = [];
    for (const fields of readLogDocuments(this.path)) {
      const at = Date.parse(String(fields.timestamp ?? ''));
      if (Number.isNaN(at) || !matches(fields, q, at)) continue;
      // The runtime runs every function in one process; Powertools names the service, not the function.
      const origin = String(fields.function_name ?? fields.service ?? 'local-runtime');
      if (q.functions.length && fields.function_name !== undefined && !q.functions.includes(String(fields.function_name))) continue;
      lines.push({ timestamp: new Date(at).toISOString(), origin, fields });
    }
    return selectLines(lines, q);
  }
}

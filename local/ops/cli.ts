/**
 * `npm run ops -- <command>`: finds the command (one word, or two for `logs errors|trace`), parses
 * its flags, runs it, and turns every error into a message that says what to do and an exit code
 * (2: the command line, 1: something to start or set).
 */
import { COMMANDS, type Command, type Io } from './commands';
import { OpsError, parse, UsageError } from './args';
import { resolveTargets, type Env } from './targets';

const PREFIX = 'npm run --silent ops --';

export interface RunIo {
  readonly env: Env;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly now?: () => Date;
}

export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `usage: ${PREFIX} <command> [flags]   (${PREFIX} <command> --help for its flags)`,
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'They find the running local runtime (npm start) through <AIP_DATA_DIR>/runtime.json; DATABASE_URL, AIP_PG_PORT,',
    'PORT and AIP_URL override it, as they do for npm start.',
    '',
  ].join('\n');
}

export const commandHelp = (c: Command): string =>
  [`usage: ${PREFIX} ${c.usage}`, '', c.summary, '', ...c.help.map((l) => `  ${l}`), ''].join('\n');

function find(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  for (const c of COMMANDS) {
    const words = c.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command: c, rest: argv.slice(words.length) };
  }
  return undefined;
}

export async function runOps(argv: readonly string[], io: RunIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.err : io.out)(overview());
    return argv.length === 0 ? 2 : 0;
  }
  const found = find(argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `)).map((c) => c.name);
    io.err(
      `ops: unknown command ${JSON.stringify(argv.slice(0, group.length ? 2 : 1).join(' '))}${group.length ? `: use ${group.join(' or ')}` : ''}\n\n${overview()}`,
    );
    return 2;
  }
  const { command, rest } = found;
  let targets: ReturnType<typeof resolveTargets> | undefined;
  const cmdIo: Io = { env: io.env, out: io.out, now: io.now ?? (() => new Date()), targets: () => (targets ??= resolveTargets(io.env)) };
  try {
    const { values, positionals } = parse(command.name, rest, command.options, command.positionals ?? 0);
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    await command.run(values, positionals, cmdIo);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`ops ${err.command}: ${err.message}\nusage: ${PREFIX} ${command.usage}   (--help for more)\n`);
      return 2;
    }
    if (err instanceof OpsError) {
      io.err(`ops ${command.name}: ${err.message}\n`);
      return 1;
    }
    io.err(`ops ${command.name}: ${(err as Error).message}\n`);
    return 1;
  }
}

/**
 * `npm run preflight -- --stack <stack>`: checks the stack file and the target account before the
 * first `pulumi up`, and prints each finding with its fix. Without AWS credentials it runs the
 * stack-file checks and prints the checklist of the account checks, with how to do each by hand.
 *
 * Exit codes: 0 nothing failed (warnings allowed); 1 a check failed; 2 usage error (unknown
 * option, no --stack, no such stack file); 3 no AWS credentials: the account was not checked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { REPO_ROOT } from '../build/bundle';
import { stackConfigPath } from '../config/stack-file';
import { awsChecks, checkIdentity } from './aws-checks';
import { checklist, formatChecklist } from './checklist';
import { createClients, type SharedClientConfig } from './clients';
import { errorName, fail, formatFindings, type Finding } from './findings';
import { localChecks, type StackFileConfig } from './local-checks';

export const EXIT = { ok: 0, failed: 1, usage: 2, noCredentials: 3 } as const;

const USAGE = `Usage: npm run preflight -- --stack <dev|prod|…> [--slack-workspace-id T…] [--checklist] [--json]

Checks Pulumi.<stack>.yaml and, with AWS credentials (the normal SDK chain: AWS_PROFILE, SSO,
environment), the target account before the first pulumi up. Exit: 0 ok, 1 a check failed,
2 usage error, 3 no AWS credentials (the checklist is printed instead).`;

export interface PreflightDeps {
  /** Where Pulumi.<stack>.yaml lives. @default the repository root */
  readonly configDir?: string;
  /** Extra client config (tests: recorded answers, static credentials). */
  readonly clientConfig?: SharedClientConfig;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => Date;
  readonly out?: (line: string) => void;
}

const NO_CREDENTIALS = /CredentialsProviderError|CredentialsError|ExpiredToken|UnrecognizedClient|InvalidClientTokenId/;

const parseOptions = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: false,
    options: {
      stack: { type: 'string' },
      'slack-workspace-id': { type: 'string' },
      checklist: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  }).values;

export async function runPreflight(argv: readonly string[], deps: PreflightDeps = {}): Promise<number> {
  const out = deps.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  let args: ReturnType<typeof parseOptions>;
  try {
    args = parseOptions(argv);
  } catch (err) {
    out(`${(err as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    out(USAGE);
    return EXIT.ok;
  }
  if (!args.stack) {
    out(`--stack is required\n\n${USAGE}`);
    return EXIT.usage;
  }
  const stack = args.stack;
  const file = stackConfigPath(stack, deps.configDir ?? REPO_ROOT);
  if (!existsSync(file)) {
    out(`No stack file ${file}: create it (pulumi stack init ${stack}) or pick one of the committed stacks (dev, prod)`);
    return EXIT.usage;
  }
  const raw = ((parse(readFileSync(file, 'utf8')) as { config?: StackFileConfig } | null)?.config ?? {}) as StackFileConfig;
  const local = localChecks(stack, raw);
  const findings: Finding[] = [...local.findings];
  const report = (extra: string[] = []): number => {
    const failed = findings.some((f) => f.status === 'fail');
    if (args.json)
      out(JSON.stringify({ stack, findings, ...(extra.length ? { checklist: checklist(local.config, local.alerting) } : {}) }, null, 2));
    else {
      out(`Preflight of stack ${stack}\n`);
      out(formatFindings(findings));
      for (const e of extra) out(`\n${e}`);
      out(
        `\n${failed ? 'Fix the ❌ findings before pulumi up.' : extra.length ? 'The stack file is ready; check the account by hand (above) or run again with credentials.' : 'Ready for pulumi up.'}`,
      );
    }
    return failed ? EXIT.failed : extra.length ? EXIT.noCredentials : EXIT.ok;
  };

  if (args.checklist) return report([`Account checks (by hand):\n${formatChecklist(checklist(local.config, local.alerting))}`]);
  if (!local.config || !local.alerting) return report();

  const clients = createClients({ region: local.config.region, chatbotRegion: local.alerting.chatbotRegion }, deps.clientConfig);
  try {
    findings.push(await checkIdentity(clients));
  } catch (err) {
    if (NO_CREDENTIALS.test(errorName(err))) {
      return report([
        `No AWS credentials (${errorName(err)}): the account was not checked. What the preflight would check, and how by hand:\n${formatChecklist(checklist(local.config, local.alerting))}`,
      ]);
    }
    findings.push(
      fail(
        'account',
        `sts:GetCallerIdentity failed: ${errorName(err)}: ${(err as Error).message}`,
        'check the credentials and the network',
      ),
    );
    return report();
  }
  const env = deps.env ?? process.env;
  findings.push(
    ...(await awsChecks(clients, {
      stack,
      config: local.config,
      alerting: local.alerting,
      now: (deps.now ?? (() => new Date()))(),
      slackWorkspaceId: args['slack-workspace-id'] ?? env.SLACK_WORKSPACE_ID,
    })),
  );
  return report();
}

if (require.main === module) {
  runPreflight(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`preflight: ${(err as Error).stack ?? err}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}

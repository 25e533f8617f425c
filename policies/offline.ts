/**
 * `npm run policy -- --stack dev|prod`: the policy pack over the mocked program, no credentials
 * needed. See lib/cli.ts for the options and exit codes.
 */
import { EXIT, runPolicyCli } from './lib/cli';

runPolicyCli(process.argv.slice(2), console).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A policy or the harness itself failed: say which, without a stack trace (set DEBUG=1 for it).
    console.error(`The policy run failed: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.DEBUG) console.error(err);
    process.exit(EXIT.program);
  },
);

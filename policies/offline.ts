/**
 * `npm run policy -- --stack dev|prod`: the policy pack over the mocked program, no credentials
 * needed. See lib/cli.ts for the options and exit codes.
 */
import { runPolicyCli } from './lib/cli';

runPolicyCli(process.argv.slice(2), console).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(3);
  },
);

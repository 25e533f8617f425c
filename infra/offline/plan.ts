/**
 * `npm run plan -- --stack dev|prod [--json]`: what `pulumi up` would create for that stack,
 * grouped by component, computed under Pulumi's mocks (no credentials, no Pulumi CLI).
 */
import { runPlan } from './plan-cli';

runPlan(process.argv.slice(2), console).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(3);
  },
);

/**
 * Lambda functions (cdk-nag L1 and secrets rules in spirit): no secret in an environment variable
 * (anyone who may read the function's configuration reads it, and it is in the Pulumi state), and
 * no runtime past AWS's deprecation date.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { entries, isUnknown, read } from '../../lib/known';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';
import { RUNTIME_DEPRECATION } from './runtimes';

/** Names that say the value is a secret (`DB_PASSWORD`, `SLACK_TOKEN`, `AWS_SECRET_ACCESS_KEY`); `DB_SECRET_ARN` names a reference. */
const SECRET_NAME =
  /(PASSWORD|PASSWD|PASSPHRASE|(^|_)PASS|(^|_)PWD|SECRET|SECRET_?KEY|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)$/i;
/** A reference to a secret rather than the secret itself. */
const ARN = /^arn:aws[\w-]*:(secretsmanager|ssm|kms):/;
/** Values that are secrets whatever their name. */
const SECRET_VALUES: readonly [RegExp, string][] = [
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with a password in it'],
  [/^xox[abpr]-[\w-]+$/, 'a Slack token'],
  [/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/, 'a JWT'],
  [/^https:\/\/hooks\.slack\.com\/services\//, 'a Slack webhook URL'],
  [/^https:\/\/events\.(eu\.)?pagerduty\.com\/integration\/[^/]+\//, 'a PagerDuty integration URL'],
  [/[?&](token|key|secret|sig|signature|password|access_token)=[^&\s]{8,}/i, 'a URL with a credential in its query'],
];

export const lambdaEnvNoSecrets: PackResourcePolicy = {
  name: 'lambda-env-no-secrets',
  description:
    "No Lambda environment variable holds a secret (a password, token, key or credential, by its name or its value): environment variables are readable by anyone who may read the function's configuration and are stored in the Pulumi state. Pass the secret's ARN (…_SECRET_ARN) and read it from Secrets Manager.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
    const name = `Lambda "${displayName(fn, args.name)}"`;
    for (const [key, value] of entries(() => fn.environment?.variables as Record<string, string> | undefined)) {
      const known = isUnknown(value) ? undefined : String(value);
      const looks = known === undefined ? undefined : SECRET_VALUES.find(([re]) => re.test(known));
      if (looks) {
        report(`${name} has ${looks[1]} in environment variable ${key}: keep it in Secrets Manager and pass the secret's ARN.`);
      } else if (SECRET_NAME.test(key) && !(known !== undefined && ARN.test(known))) {
        report(
          `${name} passes a secret in environment variable ${key}: keep it in Secrets Manager and pass its ARN instead (e.g. ${key.replace(/_?$/, '')}_SECRET_ARN).`,
        );
      }
    }
  }),
};

export const lambdaRuntimeSupported: PackResourcePolicy = {
  name: 'lambda-runtime-supported',
  description:
    "Every Lambda function runs on a runtime AWS still supports (policies/rules/security/runtimes.ts, with AWS's deprecation dates): a deprecated runtime gets no security patches, and soon cannot be updated.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
    if (read(() => fn.packageType) === 'Image') return;
    const name = `Lambda "${displayName(fn, args.name)}"`;
    const runtime = read(() => fn.runtime);
    if (isUnknown(runtime)) return;
    const deprecated = runtime ? RUNTIME_DEPRECATION[runtime] : undefined;
    const today = new Date().toISOString().slice(0, 10);
    if (!runtime) report(`${name} names no runtime: set runtime, e.g. nodejs22.x.`);
    else if (!deprecated)
      report(
        `${name} runs on ${runtime}, which is not a Lambda runtime this pack knows: use a supported one, or add it with its deprecation date to policies/rules/security/runtimes.ts.`,
      );
    else if (deprecated <= today)
      report(
        `${name} runs on ${runtime}, deprecated by AWS since ${deprecated}: move to a supported runtime (${Object.entries(
          RUNTIME_DEPRECATION,
        )
          .filter(([r, d]) => d > today && r.startsWith(runtime.replace(/[\d.]+x?$/, '')))
          .map(([r]) => r)
          .join(', ')}).`,
      );
  }),
};

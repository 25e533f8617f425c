/**
 * Checks of the stack file that need no AWS: the config the program validates, the secrets the
 * observability component requires, and placeholders that would deploy but reach nobody.
 */
import { NOTIFICATIONS } from '../../guide';
import { parseStackConfig, type StackConfig } from '../config';
import { DEFAULT_TAGS } from '../specs/conventions';
import { StackConfigError, PROJECT } from '../config/reader';
import { parseAlertingSettings, placeholdersAllowed, type AlertingSettings } from '../config/alerting';
import { parseSecurityContacts, placeholderContacts, setContactCommand } from '../config/security';
import { PAGERDUTY_TOKEN_KEY, SECRET_KEYS } from '../../observability/alert-routing';
import { fail, ok, warn, type Finding } from './findings';

/** A stack file's `config:` map as YAML gives it (objects stay objects, secrets are `{ secure }`). */
export type StackFileConfig = Readonly<Record<string, unknown>>;

/** What each secret holds (README: Set the secrets). */
const SECRET_EXAMPLES: Record<(typeof SECRET_KEYS)[number] | typeof PAGERDUTY_TOKEN_KEY, string> = {
  slackWorkspaceId: '<Slack workspace id, T…>',
  slackChannelId: '<id of #async-processing-alerts, C…>',
  [PAGERDUTY_TOKEN_KEY]: '<PagerDuty API token>',
};

/** A secret's full key: ours are in the project's namespace, the PagerDuty provider's in its own. */
const fullKey = (key: string): string => (key.includes(':') ? key : `${PROJECT}:${key}`);

const isSecure = (v: unknown): boolean => typeof v === 'object' && v !== null && 'secure' in v;

export interface LocalResult {
  readonly findings: Finding[];
  /** Undefined when the config is invalid (the AWS checks then have nothing to check against). */
  readonly config?: StackConfig;
  readonly alerting?: AlertingSettings;
}

export function localChecks(stack: string, raw: StackFileConfig): LocalResult {
  const findings: Finding[] = [];
  const plain = Object.fromEntries(Object.entries(raw).filter(([, v]) => !isSecure(v)));
  let config: StackConfig | undefined;
  try {
    config = parseStackConfig(plain, stack);
    findings.push(ok('config', `Pulumi.${stack}.yaml is valid (region ${config.region}, model ${config.bedrockModelId})`));
  } catch (err) {
    if (!(err instanceof StackConfigError)) throw err;
    for (const problem of err.problems)
      findings.push(fail('config', problem.replace(/\. Fix: .*$/, ''), /Fix: (.*)$/.exec(problem)?.[1] ?? 'see the message'));
  }

  for (const key of [...SECRET_KEYS, PAGERDUTY_TOKEN_KEY] as const) {
    const v = raw[fullKey(key)];
    if (v === undefined) {
      findings.push(
        fail(
          'secrets',
          `${fullKey(key)} is not set: pulumi up stops at the observability component`,
          `pulumi config set --secret ${key} ${SECRET_EXAMPLES[key]} --stack ${stack}`,
        ),
      );
    } else if (!isSecure(v)) {
      findings.push(
        fail(
          'secrets',
          `${fullKey(key)} is in the stack file in plain text`,
          `pulumi config rm ${key} --stack ${stack} && pulumi config set --secret ${key} ${SECRET_EXAMPLES[key]} --stack ${stack}`,
        ),
      );
    } else {
      findings.push(ok('secrets', `${fullKey(key)} is set (encrypted; its form is checked by pulumi preview)`));
    }
  }

  let alerting: AlertingSettings | undefined;
  try {
    alerting = parseAlertingSettings(plain, { placeholders: placeholdersAllowed(plain) });
    if (alerting.email === NOTIFICATIONS.email) {
      findings.push(
        warn(
          'alerting',
          `alerts e-mail the guide's placeholder ${NOTIFICATIONS.email}`,
          `pulumi config set --path alerting.email <your ops list> --stack ${stack}`,
        ),
      );
    }
  } catch (err) {
    if (!(err instanceof StackConfigError)) throw err;
    for (const problem of err.problems)
      findings.push(fail('alerting', problem.replace(/\. Fix: .*$/, ''), /Fix: (.*)$/.exec(problem)?.[1] ?? 'see the message'));
  }

  try {
    const placeholders = placeholderContacts(parseSecurityContacts(plain));
    if (placeholders.length === 0)
      findings.push(ok('security-contacts', 'the security-incident contacts are set (docs/runbook.md#security-incident)'));
    else {
      findings.push(
        warn(
          'security-contacts',
          `the security-incident contacts ${placeholders.join(', ')} are the guide's placeholders`,
          placeholders.map((k) => `${setContactCommand(k)} --stack ${stack}`).join(' && '),
        ),
      );
    }
  } catch (err) {
    if (!(err instanceof StackConfigError)) throw err;
    for (const problem of err.problems)
      findings.push(fail('security-contacts', problem.replace(/\. Fix: .*$/, ''), /Fix: (.*)$/.exec(problem)?.[1] ?? 'see the message'));
  }

  if (config && config.tags.costCentre === DEFAULT_TAGS.costCentre) {
    findings.push(
      warn(
        'tags',
        `resources are tagged costCentre=${DEFAULT_TAGS.costCentre}`,
        `pulumi config set --path tags.costCentre <your cost centre> --stack ${stack}`,
      ),
    );
  }
  return { findings, config, alerting };
}

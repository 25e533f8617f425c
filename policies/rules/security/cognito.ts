/**
 * Sign-in (API認証): the Cognito user pool offers MFA. Its users sign in with e-mail and password
 * (SRP) to a web app, so a second factor is what stands between a leaked password and the
 * account's goals and plans. MFA is OPTIONAL by default (users opt in with an authenticator app);
 * a stack may require ON. OFF is refused: it leaves no way to protect an account at all.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { isUnknown, read } from '../../lib/known';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

export const MFA_LEVELS = ['OPTIONAL', 'ON'] as const;

export interface MfaConfig {
  readonly minimum: (typeof MFA_LEVELS)[number];
}

export const cognitoMfa: PackResourcePolicy = {
  name: 'cognito-mfa',
  description:
    'The user pool offers multi-factor sign-in with an authenticator app (mfaConfiguration OPTIONAL or ON, software tokens enabled): users sign in with e-mail and password, and MFA is what protects an account whose password leaked. OFF is refused; `minimum: ON` requires it for everyone.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  configSchema: {
    properties: {
      minimum: {
        type: 'string',
        enum: [...MFA_LEVELS],
        default: 'OPTIONAL',
        description: 'Least MFA setting: OPTIONAL (offered) or ON (required).',
      },
    },
  },
  validateResource: validateResourceOfType(aws.cognito.UserPool, (pool, args, report) => {
    const name = `Cognito user pool "${displayName(pool, args.name)}"`;
    const { minimum } = args.getConfig<MfaConfig>();
    const mfa = read(() => pool.mfaConfiguration) ?? 'OFF';
    if (isUnknown(mfa)) return;
    if (MFA_LEVELS.indexOf(mfa as (typeof MFA_LEVELS)[number]) < MFA_LEVELS.indexOf(minimum)) {
      report(
        `${name} has MFA ${mfa}; this stack requires at least ${minimum}: set mfaConfiguration ${minimum} with softwareTokenMfaConfiguration { enabled: true }.`,
      );
    } else if (read(() => pool.softwareTokenMfaConfiguration?.enabled) !== true && read(() => pool.smsConfiguration) === undefined) {
      report(`${name} has MFA ${mfa} but no second factor to use: set softwareTokenMfaConfiguration { enabled: true }.`);
    }
  }),
};

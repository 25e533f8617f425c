/**
 * Log levels (ログレベル): ERROR, WARN and INFO everywhere, DEBUG in development only. A prod
 * function at DEBUG writes every model prompt and SQL parameter to CloudWatch (cost, personal
 * data); one above INFO drops the INFO completion lines the guide's duration query reads.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType } from '@pulumi/policy';
import { LOG_LEVELS } from '../../../guide';
import { isUnknown, read } from '../../lib/known';
import { displayName, type PackResourcePolicy } from '../../lib/pack-policy';

/** The environment variables the functions' loggers read (Powertools, Lambda's own, ours). */
const LEVEL_VARIABLES = ['LOG_LEVEL', 'POWERTOOLS_LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL'];
const VERBOSITY = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'];

export interface LogLevelConfig {
  /** The most verbose level allowed: the guide's prod level, or DEBUG where the stack is development. */
  readonly mostVerbose: string;
}

export const lambdaLogLevel: PackResourcePolicy = {
  name: 'lambda-log-level',
  description: `Functions log at the guide's levels (ERROR/WARN/INFO; DEBUG in development only): in prod at ${LOG_LEVELS.prod} exactly, through every setting a logger reads (${LEVEL_VARIABLES.join(', ')}, loggingConfig.applicationLogLevel). DEBUG in prod writes prompts and SQL parameters to the logs; above INFO loses the lines the guide's duration query reads.`,
  enforcementLevel: 'mandatory',
  tags: ['guide'],
  configSchema: {
    properties: {
      mostVerbose: {
        type: 'string',
        enum: [LOG_LEVELS.prod, LOG_LEVELS.dev],
        default: LOG_LEVELS.prod,
        description: 'Most verbose level allowed (DEBUG for a development stack).',
      },
    },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
    const name = `Lambda "${displayName(fn, args.name)}"`;
    const { mostVerbose } = args.getConfig<LogLevelConfig>();
    const allowed = VERBOSITY.slice(VERBOSITY.indexOf(LOG_LEVELS.prod), VERBOSITY.indexOf(mostVerbose) + 1);
    const settings: [string, unknown][] = [
      ...LEVEL_VARIABLES.map((v): [string, unknown] => [`environment variable ${v}`, read(() => fn.environment?.variables?.[v])]),
      ['loggingConfig.applicationLogLevel', read(() => fn.loggingConfig?.applicationLogLevel)],
    ];
    for (const [where, value] of settings) {
      if (value === undefined || isUnknown(value)) continue;
      const level = String(value).toUpperCase();
      if (!allowed.includes(level)) {
        const why =
          VERBOSITY.indexOf(level) > VERBOSITY.indexOf(mostVerbose)
            ? `more verbose than this stack allows (${mostVerbose}; DEBUG is for development only)`
            : "above INFO, which drops the INFO lines the guide's queries read";
        report(`${name} logs at ${value} (${where}), ${why}: set ${allowed.join(' or ')}.`);
      }
    }
  }),
};

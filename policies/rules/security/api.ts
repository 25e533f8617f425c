/**
 * The API Gateway stage (cdk-nag APIG rules in spirit): it writes access logs, throttles within
 * bounds and publishes the route metrics the SLO alarms read; a custom domain serves it with TLS
 * 1.2 and then its default execute-api endpoint is off, so WAF cannot be bypassed.
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type PolicyResource } from '@pulumi/policy';
import { referenced } from '../../lib/graph';
import { isUnknown, knownString, read } from '../../lib/known';
import { displayName, type PackResourcePolicy, type PackStackPolicy } from '../../lib/pack-policy';

const LOG_GROUP_ARN = /^arn:aws[\w-]*:logs:[\w-]+:\d{12}:log-group:[^:*]+(:\*)?$/;

function accessLogProblem(settings: { destinationArn?: string; format?: string } | undefined): string | undefined {
  if (!settings) return 'writes no access logs: set accessLogSettings with a log group ARN (destinationArn) and a format';
  // Unknown at preview: the ARN of the log group created with it.
  const destination = read(() => settings.destinationArn);
  if (!destination) return 'writes access logs nowhere: set accessLogSettings.destinationArn to a log group ARN';
  if (!isUnknown(destination) && !LOG_GROUP_ARN.test(destination))
    return `writes access logs to "${destination}", which is not a CloudWatch log group ARN`;
  if (!read(() => settings.format)) return 'writes access logs without a format (accessLogSettings.format)';
  return undefined;
}

export const apiAccessLogging: PackResourcePolicy = {
  name: 'api-access-logging',
  description:
    "Every API stage writes access logs with a format to a CloudWatch log group: the guide's daily security checks (auth failures, rate limiting) and the monthly access-log audit read them.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateResource: [
    validateResourceOfType(aws.apigatewayv2.Stage, (stage, args, report) => {
      const problem = accessLogProblem(read(() => stage.accessLogSettings) as never);
      if (problem)
        report(
          `API stage "${knownString(
            read(() => stage.name),
            args.name,
          )}" ${problem}.`,
        );
    }),
    validateResourceOfType(aws.apigateway.Stage, (stage, args, report) => {
      const problem = accessLogProblem(read(() => stage.accessLogSettings) as never);
      if (problem)
        report(
          `API stage "${knownString(
            read(() => stage.stageName),
            args.name,
          )}" ${problem}.`,
        );
    }),
  ],
};

export interface StageSettingsConfig {
  readonly maxRateLimit: number;
  readonly maxBurstLimit: number;
}

interface RouteSettings {
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
  readonly detailedMetricsEnabled?: boolean;
  readonly routeKey?: string;
}

export const apiStageSettings: PackResourcePolicy = {
  name: 'api-stage-settings',
  description:
    "Every HTTP API stage throttles (a rate and a burst above 0 and within maxRateLimit / maxBurstLimit, on the stage and on any route), or one client could exhaust the functions' reserved concurrency past WAF, and publishes detailed route metrics, which the start and status API latency SLO alarms read.",
  enforcementLevel: 'mandatory',
  tags: ['security'],
  configSchema: {
    properties: {
      maxRateLimit: {
        type: 'number',
        minimum: 1,
        default: 1000,
        description: 'Highest steady request rate a stage or route may allow, per second.',
      },
      maxBurstLimit: { type: 'integer', minimum: 1, default: 2000, description: 'Highest burst a stage or route may allow.' },
    },
  },
  validateResource: validateResourceOfType(aws.apigatewayv2.Stage, (stage, args, report) => {
    const name = `API stage "${knownString(
      read(() => stage.name),
      args.name,
    )}"`;
    const { maxRateLimit, maxBurstLimit } = args.getConfig<StageSettingsConfig>();
    const check = (where: string, s: RouteSettings | undefined, isDefault: boolean) => {
      const rate = read(() => s?.throttlingRateLimit);
      const burst = read(() => s?.throttlingBurstLimit);
      if (isDefault && (rate === undefined || burst === undefined)) {
        report(
          `${name} ${where} sets no throttling (throttlingRateLimit and throttlingBurstLimit): it would take the account's 10 000 requests/s; set both, at most ${maxRateLimit} and ${maxBurstLimit}.`,
        );
      }
      if (typeof rate === 'number' && (rate <= 0 || rate > maxRateLimit))
        report(`${name} ${where} allows ${rate} requests/s; allow more than 0 and at most ${maxRateLimit} (api.throttlingRateLimit).`);
      if (typeof burst === 'number' && (burst <= 0 || burst > maxBurstLimit))
        report(`${name} ${where} allows bursts of ${burst}; allow more than 0 and at most ${maxBurstLimit} (api.throttlingBurstLimit).`);
    };
    const defaults = read(() => stage.defaultRouteSettings) as RouteSettings | undefined;
    if (isUnknown(defaults)) return;
    check('by default', defaults, true);
    if (read(() => defaults?.detailedMetricsEnabled) !== true) {
      report(
        `${name} publishes no route metrics: the SLO latency alarms read per-route Latency; set defaultRouteSettings.detailedMetricsEnabled true.`,
      );
    }
    for (const route of (read(() => stage.routeSettings) ?? []) as RouteSettings[]) {
      if (!isUnknown(route)) check(`on route ${route.routeKey}`, route, false);
    }
  }),
};

const TLS_1_2 = 'TLS_1_2';
const regionOf = (arn: string): string | undefined => arn.split(':')[3];

export const apiCustomDomain: PackStackPolicy = {
  name: 'api-custom-domain',
  description:
    'An API served on a custom domain uses TLS 1.2 and a regional ACM certificate of its own region there, and turns its default execute-api endpoint off (disableExecuteApiEndpoint): otherwise callers reach it past CloudFront and WAF.',
  enforcementLevel: 'mandatory',
  tags: ['security'],
  validateStack: (args, report) => {
    const { resources } = args;
    const domains = resources.filter((r) => r.isType(aws.apigatewayv2.DomainName));
    for (const domain of domains) {
      const name = `API domain "${knownString(
        read(() => domain.props.domainName),
        domain.name,
      )}"`;
      const config = read(() => domain.props.domainNameConfiguration) as
        | { securityPolicy?: string; endpointType?: string; certificateArn?: string }
        | undefined;
      if (isUnknown(config) || !config) continue;
      if (config.securityPolicy !== TLS_1_2)
        report(`${name} accepts ${config.securityPolicy ?? 'TLS_1_0'}: set domainNameConfiguration.securityPolicy ${TLS_1_2}.`, domain.urn);
      if (config.endpointType !== 'REGIONAL')
        report(
          `${name} is ${config.endpointType ?? 'not'} REGIONAL: HTTP APIs serve custom domains from a regional endpoint (CloudFront is in front).`,
          domain.urn,
        );
      const cert = read(() => config.certificateArn);
      const region = read(() => domain.props.region);
      if (typeof cert === 'string' && typeof region === 'string' && regionOf(cert) !== region) {
        report(
          `${name} uses certificate "${cert}" from ${regionOf(cert)}; a regional API domain needs an ACM certificate in ${region} (domain.apiCertificateArn).`,
          domain.urn,
        );
      }
    }
    const mappings = resources.filter((r) => r.isType(aws.apigatewayv2.ApiMapping));
    for (const api of resources.filter((r) => r.isType(aws.apigatewayv2.Api))) {
      const mapped = mappings.filter((m) => referenced(resources, m, 'apiId', aws.apigatewayv2.Api).includes(api));
      if (mapped.length === 0) continue;
      if (read(() => api.props.disableExecuteApiEndpoint) !== true) {
        const on = mapped
          .flatMap((m) => referenced(resources, m, 'domainName', aws.apigatewayv2.DomainName))
          .map((d: PolicyResource) => read(() => d.props.domainName));
        report(
          `API "${displayName(api.props, api.name)}" is served on ${on.filter((d) => typeof d === 'string').join(', ') || 'a custom domain'} but keeps its execute-api endpoint: set disableExecuteApiEndpoint true, so every call goes through CloudFront and WAF.`,
          api.urn,
        );
      }
    }
  },
};

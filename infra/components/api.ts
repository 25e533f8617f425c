/**
 * API: an API Gateway HTTP API with the contract's routes, a JWT authorizer (JWT認証必須), stage
 * throttling and JSON access logs. By default a Cognito user pool issues the tokens, valid 24 h
 * (トークン有効期限); an external issuer/audience can be configured instead. With a custom domain
 * the API is served on its own name (TLS 1.2, regional certificate) and its default execute-api
 * endpoint is off, so every call comes through CloudFront and WAF.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AUTH, RETENTION, type FunctionKey } from '../../guide';
import type { CustomDomain, Stage, StackConfig } from '../config';
import { ROUTES } from '../../functions/src/http/route-table';
import { ACCESS_LOG_FORMAT, apiAccessLogGroupName, routeSlug, routeSourceArn } from '../specs/api-naming';
import { apiDescription, openApiDocument } from '../specs/openapi';
import type { DeployedFunction } from './functions';

export const API_TYPE = 'async-ai-pipeline:infra:Api';

/** HTTP APIs cap an integration at 30 s. */
const MAX_INTEGRATION_MS = 30_000;

export interface ApiArgs {
  readonly stage: Stage;
  readonly api: StackConfig['api'];
  readonly region: string;
  readonly functions: Record<FunctionKey, DeployedFunction>;
  /** The stack's custom domain: the API is served on `apiName` only. @default none (execute-api URL) */
  readonly domain?: CustomDomain;
}

/** API Gateway's TLS policy for a custom domain name: TLS 1.2 (policies: api-custom-domain). */
export const API_TLS_POLICY = 'TLS_1_2';

export class Api extends pulumi.ComponentResource {
  readonly apiId: pulumi.Output<string>;
  readonly apiEndpoint: pulumi.Output<string>;
  readonly stageName = '$default';
  readonly accessLogGroupName: string;
  readonly accessLogGroup: aws.cloudwatch.LogGroup;
  readonly issuer: pulumi.Output<string>;
  readonly userPoolId?: pulumi.Output<string>;
  readonly userPoolClientId?: pulumi.Output<string>;
  /** Where the API domain's DNS record points (its regional target), when there is a custom domain. */
  readonly domainTarget?: pulumi.Output<string>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super(API_TYPE, name, {}, opts);
    this.accessLogGroupName = apiAccessLogGroupName(args.stage);
    let audience: pulumi.Input<string>[];
    if (args.api.jwt) {
      this.issuer = pulumi.output(args.api.jwt.issuer);
      audience = [...args.api.jwt.audience];
    } else {
      const { pool, client } = this.createUserPool(name, args);
      this.userPoolId = pool.id;
      this.userPoolClientId = client.id;
      this.issuer = pulumi.interpolate`https://cognito-idp.${args.region}.amazonaws.com/${pool.id}`;
      audience = [client.id];
    }
    const http = new aws.apigatewayv2.Api(
      `${name}-http`,
      {
        name: `async-ai-pipeline-${args.stage}`,
        protocolType: 'HTTP',
        // The contract it serves (docs/openapi.yaml): its revision, so the console and a reviewer can tell.
        description: apiDescription(),
        version: openApiDocument().info.version,
        // Without a domain of its own, the execute-api URL is what CloudFront reaches.
        disableExecuteApiEndpoint: args.domain !== undefined,
      },
      { parent: this },
    );
    const authorizer = new aws.apigatewayv2.Authorizer(
      `${name}-jwt`,
      {
        apiId: http.id,
        authorizerType: 'JWT',
        name: 'jwt',
        identitySources: ['$request.header.Authorization'],
        jwtConfiguration: { issuer: this.issuer, audiences: audience },
      },
      { parent: this },
    );
    this.createRoutes(name, args, http, authorizer);
    const { stage, logs } = this.createStage(name, args, http);
    this.accessLogGroup = logs;
    this.apiId = http.id;
    this.apiEndpoint = http.apiEndpoint;
    if (args.domain) {
      this.domainTarget = this.createDomain(name, args.domain, http, stage);
      this.apiEndpoint = pulumi.output(`https://${args.domain.apiName}`);
    }
    this.registerOutputs({ apiId: this.apiId, apiEndpoint: this.apiEndpoint });
  }

  private createUserPool(name: string, args: ApiArgs) {
    const pool = new aws.cognito.UserPool(
      `${name}-users`,
      {
        name: `async-ai-pipeline-${args.stage}`,
        usernameAttributes: ['email'],
        autoVerifiedAttributes: ['email'],
        mfaConfiguration: 'OPTIONAL',
        softwareTokenMfaConfiguration: { enabled: true },
        deletionProtection: args.stage === 'prod' ? 'ACTIVE' : 'INACTIVE',
      },
      { parent: this },
    );
    const hours = AUTH.tokenValidityHours;
    const client = new aws.cognito.UserPoolClient(
      `${name}-client`,
      {
        name: `async-ai-pipeline-${args.stage}-web`,
        userPoolId: pool.id,
        generateSecret: false,
        explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        preventUserExistenceErrors: 'ENABLED',
        enableTokenRevocation: true,
        // The refresh token ends with the others: a session lasts the guide's 24 h, not Cognito's default 30 days.
        accessTokenValidity: hours,
        idTokenValidity: hours,
        refreshTokenValidity: hours,
        tokenValidityUnits: { accessToken: 'hours', idToken: 'hours', refreshToken: 'hours' },
      },
      { parent: this },
    );
    return { pool, client };
  }

  private createRoutes(name: string, args: ApiArgs, http: aws.apigatewayv2.Api, authorizer: aws.apigatewayv2.Authorizer): void {
    for (const route of ROUTES) {
      const fn = args.functions[route.functionKey];
      const slug = `${name}-${routeSlug(route.routeKey)}`;
      const integration = new aws.apigatewayv2.Integration(
        slug,
        {
          apiId: http.id,
          integrationType: 'AWS_PROXY',
          integrationUri: fn.targetArn,
          payloadFormatVersion: '2.0',
          timeoutMilliseconds: Math.min(fn.plan.timeoutSeconds * 1000, MAX_INTEGRATION_MS),
        },
        { parent: this },
      );
      new aws.apigatewayv2.Route(
        slug,
        {
          apiId: http.id,
          routeKey: route.routeKey,
          authorizationType: 'JWT',
          authorizerId: authorizer.id,
          target: pulumi.interpolate`integrations/${integration.id}`,
        },
        { parent: this },
      );
      new aws.lambda.Permission(
        `${slug}-invoke`,
        {
          action: 'lambda:InvokeFunction',
          principal: 'apigateway.amazonaws.com',
          function: fn.resource.name,
          qualifier: fn.qualifier,
          sourceArn: http.executionArn.apply((arn) => routeSourceArn(arn, route.routeKey)),
        },
        { parent: this },
      );
    }
  }

  /** The API's own name, TLS 1.2 with its regional certificate, mapped to the stage; returns the DNS target. */
  private createDomain(
    name: string,
    domain: CustomDomain,
    http: aws.apigatewayv2.Api,
    stage: aws.apigatewayv2.Stage,
  ): pulumi.Output<string> {
    const apiDomain = new aws.apigatewayv2.DomainName(
      `${name}-domain`,
      {
        domainName: domain.apiName,
        domainNameConfiguration: { certificateArn: domain.apiCertificateArn, endpointType: 'REGIONAL', securityPolicy: API_TLS_POLICY },
      },
      { parent: this },
    );
    new aws.apigatewayv2.ApiMapping(
      `${name}-domain-mapping`,
      { apiId: http.id, domainName: apiDomain.id, stage: stage.id },
      { parent: this },
    );
    return apiDomain.domainNameConfiguration.targetDomainName;
  }

  private createStage(
    name: string,
    args: ApiArgs,
    http: aws.apigatewayv2.Api,
  ): { stage: aws.apigatewayv2.Stage; logs: aws.cloudwatch.LogGroup } {
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-access-logs`,
      {
        name: this.accessLogGroupName,
        retentionInDays: RETENTION.logsDays,
      },
      { parent: this },
    );
    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: http.id,
        name: this.stageName,
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.api.throttlingRateLimit,
          throttlingBurstLimit: args.api.throttlingBurstLimit,
          detailedMetricsEnabled: true,
        },
        accessLogSettings: { destinationArn: logs.arn, format: ACCESS_LOG_FORMAT },
      },
      { parent: this },
    );
    return { stage, logs };
  }
}

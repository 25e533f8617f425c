/**
 * Conventions every resource of the program follows (issue 15), as pure data and functions:
 * - tags: stack, component, service and cost centre on every taggable resource, through each
 *   component's AWS provider (`defaultTags`), so no resource can forget them and Cost Explorer can
 *   split the bill by stack and component;
 * - protection: in prod, every resource that holds data the stack cannot recreate is `protect`ed
 *   (pulumi destroy refuses) and `retainOnDelete` (removing it from the program leaves it in AWS).
 */
import type * as pulumi from '@pulumi/pulumi';
import { METRIC_DIMENSIONS } from '../../guide';

/** Tag keys, as Cost Explorer and the cost allocation tags in Billing show them. */
export const TAG_KEYS = { stack: 'stack', component: 'component', service: 'service', costCentre: 'costCentre' } as const;

export interface TagSettings {
  /** @default the service name the metrics carry (async-ai-pipeline) */
  readonly service: string;
  /** @default `unassigned` (the preflight warns: set your organisation's cost centre) */
  readonly costCentre: string;
}

export const DEFAULT_TAGS: TagSettings = { service: METRIC_DIMENSIONS.service, costCentre: 'unassigned' };

/** The default tags of one component's provider. */
export const componentTags = (stack: string, component: string, settings: TagSettings): Record<string, string> => ({
  [TAG_KEYS.stack]: stack,
  [TAG_KEYS.component]: component,
  [TAG_KEYS.service]: settings.service,
  [TAG_KEYS.costCentre]: settings.costCentre,
});

/** What is stateful: losing it loses data (records, users, backups, logs) or access to it (keys). */
export const STATEFUL: readonly { readonly type: string; readonly name?: RegExp; readonly why: string }[] = [
  { type: 'aws:rds/cluster:Cluster', why: 'processing_state' },
  { type: 'aws:rds/clusterInstance:ClusterInstance', why: 'the database’s compute; its replacement means downtime' },
  { type: 'aws:backup/vault:Vault', why: 'the recovery points (RPO 24 h)' },
  { type: 'aws:s3/bucket:Bucket', why: 'the archived logs the monthly audit reads; the site users load' },
  { type: 'aws:cloudwatch/logGroup:LogGroup', why: 'the last 30 days of logs' },
  { type: 'aws:cognito/userPool:UserPool', why: 'the users and their passwords' },
  { type: 'aws:kms/key:Key', why: 'what it encrypted is unreadable once it is deleted' },
  { type: 'aws:ssmincidents/replicationSet:ReplicationSet', why: 'deleting it deletes every incident record' },
];

export const isStateful = (type: string, name: string): boolean => STATEFUL.some((s) => s.type === type && (s.name?.test(name) ?? true));

/**
 * A component transformation: stateful resources of a prod stack get `protect` and
 * `retainOnDelete`. Applied to every component, so a new stateful resource is covered by its type.
 */
export function protectStateful(stage: string): pulumi.ResourceTransformation {
  return (args) => {
    if (stage !== 'prod' || !isStateful(args.type, args.name)) return undefined;
    return { props: args.props, opts: { ...args.opts, protect: true, retainOnDelete: true } };
  };
}

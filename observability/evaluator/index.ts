/**
 * A CloudWatch-faithful alarm evaluator: the alarms the Pulumi program deploys, evaluated over
 * samples (EMF lines, PutMetricData-like values) on a clock the caller advances. See README.md.
 */
export { AlarmEvaluator, type EvaluatorOptions, type Step } from './evaluator';
export { replay, type ReplayOptions, type ReplayResult } from './replay';
export { samplesFromEmf, samplesFromEmfDocument, type EmfOptions } from './samples/emf';
export { metricIdentity, identityOf } from './samples/store';
export { alarmsFromResources, type ActionTarget, type AdaptedAlarms, type AdapterOptions, type CapturedResource } from './adapters/pulumi';
export type * from './types';

/**
 * A stack's config: `stack.ts` (Pulumi.<stack>.yaml, typed and validated), `alerting.ts` (the
 * alerting settings and secrets), `stack-file.ts` (reading a stack file without the Pulumi CLI)
 * and `reader.ts` (the readers whose errors name the key and its fix).
 */
export * from './stack';

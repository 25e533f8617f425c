/** The contract's route table, the one infra deploys; each route invokes its function's handler module. */
import { FUNCTIONS } from '../guide';
import { ROUTES } from '../functions/src/http/route-table';
// Handler modules read their configuration on first invocation, after the caller has set it.
import * as start from '../functions/src/handlers/async-processing-handler';
import * as status from '../functions/src/handlers/status-check-handler';
import * as retry from '../functions/src/handlers/retry-handler';
import * as cancel from '../functions/src/handlers/cancel-handler';
import type { LambdaHandler, RouteSpec } from './api-gateway';

/**
 * `asLambda` runs a handler as Lambda would (the runtime adds its timeout, on the runtime's clock,
 * and AWS/Lambda metrics); by default the handler as it is. The integration's own timeout is the
 * function's, in real time.
 */
export function apiRoutes(
  asLambda: (key: keyof typeof FUNCTIONS, handler: LambdaHandler) => LambdaHandler = (_key, handler) => handler,
): RouteSpec[] {
  const handlers: Partial<Record<keyof typeof FUNCTIONS, LambdaHandler>> = {
    asyncProcessingHandler: asLambda('asyncProcessingHandler', start.handler),
    statusCheckHandler: asLambda('statusCheckHandler', status.handler),
    retryHandler: asLambda('retryHandler', retry.handler),
    cancelHandler: asLambda('cancelHandler', cancel.handler),
  };
  return ROUTES.map(({ routeKey, functionKey }) => {
    const [method, path] = routeKey.split(' ') as [string, string];
    const { name, timeoutSeconds } = FUNCTIONS[functionKey];
    const handler = handlers[functionKey];
    if (!handler) throw new Error(`No local handler module for route ${routeKey} (${functionKey})`);
    return { method, path, functionName: name, timeoutSeconds, handler };
  });
}

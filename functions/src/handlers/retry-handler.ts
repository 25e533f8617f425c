/** RetryHandler: POST /v1/processes/{processId}/retry. */
import { apiHandler } from '../http/api-handler';
import { retryRoute } from '../http/routes';

export const handler = apiHandler(retryRoute, 'retry');

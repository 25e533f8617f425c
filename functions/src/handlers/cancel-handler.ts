/** CancelHandler: POST /v1/processes/{processId}/cancel. */
import { apiHandler } from '../http/api-handler';
import { cancelRoute } from '../http/routes';

export const handler = apiHandler(cancelRoute, 'cancel');

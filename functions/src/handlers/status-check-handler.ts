/** StatusCheckHandler: GET /v1/processes/{processId}. */
import { apiHandler } from '../http/api-handler';
import { statusRoute } from '../http/routes';

export const handler = apiHandler(statusRoute, 'status');

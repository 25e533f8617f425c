/** AsyncProcessingHandler: POST /v1/processes. */
import { apiHandler } from '../http/api-handler';
import { startRoute } from '../http/routes';

export const handler = apiHandler(startRoute, 'start');

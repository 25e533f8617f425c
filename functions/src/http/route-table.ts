/**
 * The API contract's route table (DESIGN.md §4): each API Gateway route key and the guide function
 * that serves it. The Pulumi program deploys exactly these routes and the local runtime serves
 * them; `routes.ts` holds what each route does.
 */
import { API, type FunctionKey } from '../../../guide';

export interface ApiRoute {
  /** API Gateway route key: `METHOD /path`. */
  readonly routeKey: string;
  readonly functionKey: FunctionKey;
}

export const ROUTES: readonly ApiRoute[] = [
  { routeKey: `POST ${API.basePath}/processes`, functionKey: 'asyncProcessingHandler' },
  { routeKey: `GET ${API.basePath}/processes/{processId}`, functionKey: 'statusCheckHandler' },
  { routeKey: `POST ${API.basePath}/processes/{processId}/retry`, functionKey: 'retryHandler' },
  { routeKey: `POST ${API.basePath}/processes/{processId}/cancel`, functionKey: 'cancelHandler' },
];

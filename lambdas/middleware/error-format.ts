import type { APIGatewayProxyEvent } from 'aws-lambda';
import { routeTable, type Route } from '../api/route-table.js';
import type { ErrorFormat } from '../formats/error-body.js';

/**
 * The error format of a request: its route's, or for a request no route claims (the fallback's 404 and 405) that of
 * the routes under whose path it falls, so `GET /v1/messages` or `POST /v1/messages/batches` answers like
 * Anthropic's API as `POST /v1/messages` does, and an @anthropic-ai/sdk client reads the error.
 */
export function errorFormatOf(
  route: Pick<Route<string>, 'errorFormat'> | undefined,
  event: Pick<APIGatewayProxyEvent, 'path'> | undefined,
  table: readonly Route<string>[] = routeTable,
): ErrorFormat {
  if (route !== undefined) return route.errorFormat ?? 'openai';
  const path = event?.path;
  if (typeof path !== 'string') return 'openai';
  const owner = table.find((r) => r.errorFormat !== undefined && (path === r.path || path.startsWith(`${r.path}/`)));
  return owner?.errorFormat ?? 'openai';
}

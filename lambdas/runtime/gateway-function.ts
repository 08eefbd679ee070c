import middy from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { z } from 'zod';
import { routeKey, routes, type RouteSpec } from '../api/routes.js';
import { gatewayConfig } from '../config/load.js';
import { badRequest, notFound } from '../core/errors.js';
import { accessControl } from '../middleware/access-control.js';
import { cors } from '../middleware/cors.js';
import { errorResponse } from '../middleware/error-response.js';
import { jsonBody } from '../middleware/json-body.js';
import { requestContext } from '../middleware/request-context.js';
import { gatewayRequestOf } from './request-state.js';
import { executionModeWatchedStreamifyResponse } from './streaming-mode.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayRequest, GatewayResult, RouteHandler } from './types.js';

interface GatewayFunctionOptions {
  /** Lambda response streaming (API Gateway STREAM mode); the local server runs it through the same path. */
  readonly streaming?: boolean;
  /** Serves requests no route handler of this function claims (the fallback function's 404/405). */
  readonly otherwise?: RouteHandler;
  /** The route table the handlers belong to (tests build functions on tables of their own). */
  readonly routes?: readonly RouteSpec<string>[];
}

const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

const maxRequestBytes = (): number => {
  const loaded = gatewayConfig();
  return loaded.ok ? loaded.config.limits.maxRequestBytes : DEFAULT_MAX_REQUEST_BYTES;
};

/**
 * One Lambda function serving the routes named in `handlers` ("GET /health/live" → handler), wrapped in the
 * standard Middy pipeline: request context (id, logger, X-Request-Id) → CORS headers → access → JSON body → handler, with every error
 * leaving through the one error middleware.
 */
export function gatewayFunction(
  handlers: Readonly<Record<string, RouteHandler>>,
  options: GatewayFunctionOptions = {},
) {
  const table = options.routes ?? routes;
  const routesByKey: ReadonlyMap<string, RouteSpec<string>> = new Map(
    table.map((r) => [routeKey(r.method, r.path), r]),
  );
  for (const key of Object.keys(handlers)) {
    if (!routesByKey.has(key)) throw new Error(`Handler for "${key}" has no entry in the route table`);
  }
  return middy<APIGatewayProxyEvent, GatewayResult, Error, Context>(
    options.streaming ? { executionMode: executionModeWatchedStreamifyResponse } : {},
  )
    .use(requestContext(routesByKey))
    .use(cors())
    .use(errorResponse())
    .use(accessControl())
    .use(jsonBody(maxRequestBytes))
    .handler(async (event: APIGatewayProxyEvent): Promise<GatewayResult> => {
      const gateway = gatewayRequestOf(event);
      if (gateway === undefined) throw new Error('the request context middleware did not run');
      const handle = handlers[routeKey(event.httpMethod, event.resource)] ?? options.otherwise;
      if (handle === undefined) throw notFound(`No route for ${event.httpMethod} ${event.path}.`);
      return handle(gateway);
    });
}

/**
 * The validated JSON body of a request whose route declares `schema` as its body. Passing another schema than the
 * route's is a programming error, so the cast below is backed by the middleware's validation.
 */
export function bodyOf<S extends z.ZodType>(request: GatewayRequest, schema: S): z.output<S> {
  if (request.route?.body !== schema)
    throw new Error(`bodyOf: route ${request.route?.operationId} does not declare this schema`);
  return request.body as z.output<S>;
}

/**
 * The query parameters of a request whose route declares `schema` as its query, validated: a parameter the schema
 * does not name, one given twice, or a value it refuses is a 400 `invalid_query` naming the parameter.
 */
export function queryOf<S extends z.ZodObject>(request: GatewayRequest, schema: S): z.output<S> {
  if (request.route?.query !== schema)
    throw new Error(`queryOf: route ${request.route?.operationId} does not declare this schema`);
  const { queryStringParameters, multiValueQueryStringParameters } = request.event;
  for (const [name, values] of Object.entries(multiValueQueryStringParameters ?? {})) {
    if ((values?.length ?? 0) > 1)
      throw badRequest(`The query parameter "${name}" is given more than once.`, 'invalid_query', name);
  }
  const parsed = schema.safeParse(queryStringParameters ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const name = issue.keys[0] ?? '';
    throw badRequest(`Unknown query parameter "${name.slice(0, 64)}".`, 'invalid_query', name.slice(0, 64));
  }
  const name = issue?.path[0] === undefined ? null : String(issue.path[0]);
  throw badRequest(
    `Invalid query parameter${name === null ? '' : ` ${name}`}: ${issue?.message ?? 'invalid'}.`,
    'invalid_query',
    name,
  );
}

/** The caller's key on a `key` route; the access middleware has already rejected requests without one. */
export function principalOfRequest(request: GatewayRequest): Principal {
  if (request.principal === undefined) throw new Error(`route ${request.route?.operationId} has no key access`);
  return request.principal;
}

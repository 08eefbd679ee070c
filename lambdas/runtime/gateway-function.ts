import middy from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Route, RouteSpec } from '../api/route-spec.js';
import { routeKey, routeTable } from '../api/route-table.js';
import { gatewayConfig, prepareConfig } from '../config/current.js';
import { notFound } from '../core/errors.js';
import { accessControl } from '../middleware/access-control.js';
import { cors } from '../middleware/cors.js';
import { errorResponse } from '../middleware/error-response.js';
import { jsonBody } from '../middleware/json-body.js';
import { queryParams } from '../middleware/query-params.js';
import { requestContext } from '../middleware/request-context.js';
import { gatewayRequestOf } from './request-state.js';
import { splitTable } from './route-schema-source.js';
import { executionModeWatchedStreamifyResponse } from './streaming-mode.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayRequest, GatewayResult, RouteHandler, SchemaSource } from './types.js';

interface GatewayFunctionOptions {
  /** Lambda response streaming (API Gateway STREAM mode); the local server runs it through the same path. */
  readonly streaming?: boolean;
  /** Serves requests no route handler of this function claims (the fallback function's 404/405). */
  readonly otherwise?: RouteHandler;
  /**
   * Where the body and query schemas of the gateway's routes come from (`lazyRouteSchemas`): only functions with such
   * routes pass it, so the others' bundles hold no zod.
   */
  readonly schemas?: SchemaSource;
  /** The route table the handlers belong to, with its schemas (tests build functions on tables of their own). */
  readonly routes?: readonly RouteSpec<string>[];
}

/** For functions whose routes have neither body nor query. */
const noSchemas: SchemaSource = async () => undefined;

const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

const maxRequestBytes = (): number => {
  const loaded = gatewayConfig();
  return loaded.ok ? loaded.config.limits.maxRequestBytes : DEFAULT_MAX_REQUEST_BYTES;
};

/**
 * One Lambda function serving the routes named in `handlers` ("GET /health/live" → handler), wrapped in the
 * standard Middy pipeline: the configuration made readable (config/current.ts) → request context (id, logger, X-Request-Id) → CORS headers → access → JSON body → query →
 * handler, with every error
 * leaving through the one error middleware.
 */
export function gatewayFunction(
  handlers: Readonly<Record<string, RouteHandler>>,
  options: GatewayFunctionOptions = {},
) {
  const { routes: table, schemasOf } =
    options.routes === undefined
      ? { routes: routeTable, schemasOf: options.schemas ?? noSchemas }
      : splitTable(options.routes);
  const routesByKey: ReadonlyMap<string, Route<string>> = new Map(table.map((r) => [routeKey(r.method, r.path), r]));
  for (const key of Object.keys(handlers)) {
    if (!routesByKey.has(key)) throw new Error(`Handler for "${key}" has no entry in the route table`);
  }
  return middy<APIGatewayProxyEvent, GatewayResult, Error, Context>(
    options.streaming ? { executionMode: executionModeWatchedStreamifyResponse } : {},
  )
    .use({ name: 'prepareConfig', before: prepareConfig })
    .use(requestContext(routesByKey))
    .use(cors())
    .use(errorResponse())
    .use(accessControl())
    .use(jsonBody(maxRequestBytes, schemasOf))
    .use(queryParams(schemasOf))
    .handler(async (event: APIGatewayProxyEvent): Promise<GatewayResult> => {
      const gateway = gatewayRequestOf(event);
      if (gateway === undefined) throw new Error('the request context middleware did not run');
      const handle = handlers[routeKey(event.httpMethod, event.resource)] ?? options.otherwise;
      if (handle === undefined) throw notFound(`No route for ${event.httpMethod} ${event.path}.`);
      return handle(gateway);
    });
}

/**
 * The validated JSON body of a request whose route has a body schema (the middleware validated it), typed by that
 * schema: `bodyOf<typeof chatRequestSchema>(request)`, with a type-only import so the handler loads no zod at init.
 */
export function bodyOf<S extends z.ZodType>(request: GatewayRequest): z.output<S> {
  if (request.route?.hasBody !== true)
    throw new Error(`bodyOf: route ${request.route?.operationId} has no body schema`);
  return request.body as z.output<S>;
}

/** The validated query parameters of a request whose route has a query schema (middleware/query-params.ts). */
export function queryOf<S extends z.ZodObject>(request: GatewayRequest): z.output<S> {
  if (request.route?.hasQuery !== true)
    throw new Error(`queryOf: route ${request.route?.operationId} has no query schema`);
  return request.query as z.output<S>;
}

/** The caller's key on a `key` route; the access middleware has already rejected requests without one. */
export function principalOfRequest(request: GatewayRequest): Principal {
  if (request.principal === undefined) throw new Error(`route ${request.route?.operationId} has no key access`);
  return request.principal;
}

import type { ZodObject, ZodType } from 'zod';
import type { ErrorFormat } from '../formats/error-body.js';
import type { Scope } from './scopes.js';

/** What a route of the route table (route-table.ts) is: its method and path, its function, its access. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** The Lambda functions that serve routes. */
export type RouteFunctionName = 'health' | 'docs' | 'fallback' | 'chat' | 'admin' | 'usage';
/**
 * Every Lambda function of the gateway: the route functions, the API Gateway authorizer, the scheduled sweeper and the
 * ledger's aggregator (fed by the table's stream).
 */
export type FunctionName = RouteFunctionName | 'authorizer' | 'sweeper' | 'ledger-aggregator';

/**
 * Who may call a route. `open`: anyone. `key`: a gateway key (checked by the authorizer at the edge) holding `scope`.
 * `admin`: IAM (SigV4) in AWS, the admin key locally.
 */
export type Access =
  { readonly kind: 'open' } | { readonly kind: 'key'; readonly scope: Scope } | { readonly kind: 'admin' };

/**
 * A route without its schemas: what the functions read at init (request context, access, error format, 404/405).
 * Zod-free, so no function pays for zod at init; the schemas are kept by operationId (route-schemas.ts) and loaded
 * by the body and query middlewares on first use.
 */
export interface Route<F extends string = RouteFunctionName> {
  readonly method: HttpMethod;
  /** API Gateway resource path; `{name}` is a path parameter. */
  readonly path: string;
  readonly fn: F;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  /** The route has a JSON body schema: it requires `Content-Type: application/json`. */
  readonly hasBody?: boolean;
  /** The route has a query schema: the handler reads the parameters with `queryOf` (400 for anything else). */
  readonly hasQuery?: boolean;
  /** Left out of /openapi.json (static assets of the docs UI). */
  readonly hidden?: boolean;
  /** The shape of this route's error bodies (default `openai`); errors API Gateway answers itself keep OpenAI's. */
  readonly errorFormat?: ErrorFormat;
}

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: ZodType;
  /** Defaults to application/json. */
  readonly contentType?: string;
}

/** A route's schemas: its request's (validated by the middlewares) and its answers' (documented in /openapi.json). */
export interface RouteSchemas {
  /** JSON body schema; a route with one requires `Content-Type: application/json`. */
  readonly body?: ZodType;
  /** Query parameters, one field each; the handler reads them with `queryOf` (400 for anything else). */
  readonly query?: ZodObject;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

/** A route with its schemas: the stack, the local server and /openapi.json read these (routes.ts). */
export interface RouteSpec<F extends string = RouteFunctionName> extends Route<F>, RouteSchemas {}

export const OPEN: Access = { kind: 'open' };
export const ADMIN: Access = { kind: 'admin' };

import type { ZodObject, ZodType } from 'zod';
import type { ErrorFormat } from '../formats/error-body.js';
import type { Scope } from './key-schemas.js';
import { errorResponseSchema } from './schemas.js';
import { anthropicErrorResponseSchema } from './messages-schemas.js';

/** What a route of the route table (routes.ts) is: its method and path, its function, its access, its documentation. */
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

export interface ResponseSpec {
  readonly description: string;
  readonly schema?: ZodType;
  /** Defaults to application/json. */
  readonly contentType?: string;
}

export interface RouteSpec<F extends string = RouteFunctionName> {
  readonly method: HttpMethod;
  /** API Gateway resource path; `{name}` is a path parameter. */
  readonly path: string;
  readonly fn: F;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  /** JSON body schema; a route with one requires `Content-Type: application/json`. */
  readonly body?: ZodType;
  /** Query parameters, one field each; the handler reads them with `queryOf` (400 for anything else). */
  readonly query?: ZodObject;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Left out of /openapi.json (static assets of the docs UI). */
  readonly hidden?: boolean;
  /** The shape of this route's error bodies (default `openai`); errors API Gateway answers itself keep OpenAI's. */
  readonly errorFormat?: ErrorFormat;
}

export const error = (description: string): ResponseSpec => ({ description, schema: errorResponseSchema });
export const anthropicError = (description: string): ResponseSpec => ({
  description,
  schema: anthropicErrorResponseSchema,
});
export const OPEN: Access = { kind: 'open' };
export const ADMIN: Access = { kind: 'admin' };
export const keyErrors = {
  401: error('Missing, unknown, revoked or expired key (invalid_api_key)'),
  403: error('The key lacks the scope or the model'),
  429: error('Throttled or over the plan quota'),
};
export const adminErrors = { 403: error('Not an administrator') };

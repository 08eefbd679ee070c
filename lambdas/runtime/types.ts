import type { Readable } from 'node:stream';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { MiddlewareObj, Request } from '@middy/core';
import type { Route, RouteSchemas } from '../api/route-spec.js';
import type { Principal } from '../auth/principal.js';
import type { RequestLog } from '../core/request-log.js';

/** What every route handler receives, set up by the standard middlewares. */
export interface GatewayRequest {
  readonly event: APIGatewayProxyEvent;
  readonly lambdaContext: Context;
  /** The X-Request-Id of this request (the client's when safe, else fresh). */
  readonly requestId: string;
  readonly log: RequestLog;
  /** The route table entry that matched (undefined only on the fallback function's catch-all). */
  readonly route: Route<string> | undefined;
  /** The caller's gateway key, on routes with `key` access (set by the access middleware). */
  readonly principal?: Principal;
  /** The JSON body, already validated against the route's body schema; read it with `bodyOf`. */
  readonly body: unknown;
  /** The query parameters, already validated against the route's query schema; read them with `queryOf`. */
  readonly query?: unknown;
  readonly startedAt: number;
}

/** A function's answer: API Gateway's proxy result, whose body a streaming function may give as a Readable. */
export interface GatewayResult extends Omit<APIGatewayProxyResult, 'body'> {
  body: string | Readable;
}

export type RouteHandler = (request: GatewayRequest) => Promise<GatewayResult>;

export type MiddyRequest = Request<APIGatewayProxyEvent, GatewayResult, Error, Context>;
export type GatewayMiddleware = MiddlewareObj<APIGatewayProxyEvent, GatewayResult, Error, Context>;

/** Where the body and query middlewares find a route's schemas (loaded on first use: no zod at init). */
export type SchemaSource = (route: Route<string>) => Promise<Pick<RouteSchemas, 'body' | 'query'> | undefined>;

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { routeKey, routes as gatewayRoutes, type RouteSpec } from '../lambdas/api/routes.js';
import { SECURITY_HEADERS } from '../lambdas/core/http.js';
import { logger } from '../lambdas/core/logger.js';
import { REQUEST_ID_HEADER } from '../lambdas/core/request-id.js';
import { requestLog } from '../lambdas/core/request-log.js';
import { whenAfterResponsesDone } from '../lambdas/runtime/after-response.js';
import { isStreamingHandler } from './awslambda-shim.js';
import type { LocalEdge } from './edge.js';
import { lambdaContext } from './lambda-context.js';
import { noteInvocation } from './log-format.js';
import { toProxyEvent } from './proxy-event.js';
import { SocketResponseStream, writeResult } from './response-writer.js';
import { createRouteMatcher } from './route-match.js';
import { phaseEnd, phaseMark } from '../lambdas/observability/phase-marks.js';
import {
  answerClientError,
  badGateway,
  badRequestTarget,
  gatewayResponse,
  incompleteBody,
  tooLarge,
} from './gateway-answers.js';

/** API Gateway's own hard limit on a request payload. */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const FUNCTION_TIMEOUT_MS = 15 * 60_000;
/**
 * Lambda's limit on the response of a buffered (synchronous) invocation, its JSON as a whole: past it the invocation
 * fails and API Gateway answers 502, before its own 10 MB limit on a buffered answer could apply. Streaming
 * functions (chat) have no such limit here: API Gateway's STREAM mode passes 10 MB (throttled to 2 MB/s past it)
 * and Lambda streams up to 200 MB.
 */
const LAMBDA_MAX_BUFFERED_RESPONSE = 6 * 1024 * 1024;

export type BufferedHandler = (event: unknown, context: unknown) => Promise<APIGatewayProxyResult>;
/** Exported `handler` of each function module, by function name. */
export type Handlers = Readonly<Record<string, unknown>>;

export interface HttpServerOptions {
  readonly handlers: Handlers;
  readonly port: number;
  readonly host: string;
  /** Defaults to the gateway's route table. */
  readonly routes?: readonly RouteSpec<string>[];
  /** Authorizer, usage plans and admin auth in front of the functions; none: every route is open. */
  readonly edge?: LocalEdge;
}

export interface HttpServerHandle {
  readonly server: Server;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then closes what is left. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The request target as a URL: a path (`/v1/x?y`) is taken whole (`//host/x` stays a path, not a host), an
 * absolute form (`http://h/x`) as such; anything else (`*`, a path no URL parser takes) is undefined (a 400).
 */
export function requestTarget(raw: string | undefined): URL | undefined {
  try {
    if (raw === undefined) return undefined;
    return raw.startsWith('/') ? new URL(`http://local${raw}`) : /^https?:\/\//i.test(raw) ? new URL(raw) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The body, or why there is none: past API Gateway's limit, or cut short (the client closed before Content-Length
 * bytes or the last chunk came: an incomplete request, a 400 should anyone still read it).
 */
function readBody(req: IncomingMessage): Promise<Buffer | 'too_large' | 'incomplete'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > API_GATEWAY_MAX_BODY) {
        req.off('data', onData);
        req.resume();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.once('error', () => resolve('incomplete'));
  });
}

/** The size Lambda measures a buffered result by (its JSON); only worked out for bodies that could come near it. */
function bufferedPayloadBytes(result: APIGatewayProxyResult): number {
  return result.body.length < LAMBDA_MAX_BUFFERED_RESPONSE / 16 ? 0 : Buffer.byteLength(JSON.stringify(result));
}

/**
 * The local stand-in for API Gateway: each HTTP request becomes a REST proxy event for the function the route
 * table names, and the function's result (buffered, or streamed through the awslambda shim) goes back on the socket.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const { handlers, port, host } = options;
  const table = options.routes ?? gatewayRoutes;
  const match = createRouteMatcher(table);
  const specs = new Map(table.map((route) => [routeKey(route.method, route.path), route]));
  let inflight = 0;
  let idle: (() => void) | undefined;

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    phaseMark?.('edge in');
    const url = requestTarget(req.url);
    const body = await readBody(req);
    phaseMark?.('body read');
    if (body === 'too_large') {
      gatewayResponse(res, req, tooLarge, undefined, options.edge?.refusalCors(req.headers.origin));
      return;
    }
    if (body === 'incomplete' || url === undefined) {
      gatewayResponse(
        res,
        req,
        body === 'incomplete' ? incompleteBody : badRequestTarget,
        undefined,
        options.edge?.refusalCors(req.headers.origin),
      );
      return;
    }
    const preflight = options.edge?.preflight(req.method, req.headers.origin);
    if (preflight !== undefined) {
      res.writeHead(204, { ...SECURITY_HEADERS, [REQUEST_ID_HEADER]: randomUUID(), ...preflight }).end();
      return;
    }
    const route = match(req.method ?? 'GET', url.pathname);
    const event = toProxyEvent(req, url, route, body.length > 0 ? body.toString('utf8') : null);
    phaseMark?.('proxy event');
    const refusal = await options.edge?.admit(specs.get(routeKey(event.httpMethod, route.resource)), event);
    phaseMark?.('edge admitted');
    if (refusal !== undefined) {
      gatewayResponse(res, req, refusal, event.requestContext.requestId, options.edge?.refusalCors(req.headers.origin));
      return;
    }
    const context = lambdaContext(route.fn, FUNCTION_TIMEOUT_MS);
    noteInvocation(context.awsRequestId, event.httpMethod, event.path);
    const handler = handlers[route.fn];
    if (typeof handler !== 'function') throw new Error(`no handler loaded for function ${route.fn}`);
    if (isStreamingHandler(handler)) {
      const stream = new SocketResponseStream(res);
      phaseMark?.('invoke');
      await handler(event, stream, context);
      phaseEnd?.();
    } else {
      // The readers (usage, feedback, admin) see what a client was answered: the bookings a streaming function makes
      // after its responses (lambdas/runtime/after-response.ts) are in the store first. In AWS they land a moment
      // later; locally, where the next request is often a test's read, the wait keeps answers repeatable.
      await whenAfterResponsesDone();
      const result = await (handler as BufferedHandler)(event, context);
      const bytes = bufferedPayloadBytes(result);
      if (bytes > LAMBDA_MAX_BUFFERED_RESPONSE) {
        requestLog(event.requestContext.requestId, context.awsRequestId).error(
          'buffered response over the Lambda limit: 502',
          { bytes, limit: LAMBDA_MAX_BUFFERED_RESPONSE },
        );
        gatewayResponse(
          res,
          req,
          badGateway,
          event.requestContext.requestId,
          options.edge?.refusalCors(req.headers.origin),
        );
        return;
      }
      writeResult(res, result);
    }
  };

  // One async frame per request around serve (rather than a catch and a finally closure, and their promises).
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    inflight += 1;
    try {
      await serve(req, res);
    } catch (err) {
      // API Gateway logs its own 5xx in the execution log; here the one trace of what failed.
      logger.error('local server failed to serve the request', {
        error: err,
        method: req.method,
        path: req.url?.slice(0, 200),
      });
      if (!res.headersSent)
        gatewayResponse(res, req, badGateway, undefined, options.edge?.refusalCors(req.headers.origin));
      else res.destroy();
    } finally {
      inflight -= 1;
      if (inflight === 0) idle?.();
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.on('clientError', answerClientError);
  // CONNECT asks for a tunnel, which no route offers: answered like any request Node's parser set aside.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) =>
    answerClientError(Object.assign(new Error('CONNECT'), { code: 'CONNECT' }), socket),
  );
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

  const stop = async (graceMs = 10_000): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inflight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => {
          idle = resolve;
        }),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    server.closeAllConnections();
    await closed;
  };
  return { server, port: (server.address() as AddressInfo).port, stop };
}

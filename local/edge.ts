import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { edgeCorsHeaders, preflightHeaders } from '../lambdas/api/cors.js';
import { edgeErrors, type EdgeError } from '../lambdas/api/edge-errors.js';
import type { RouteSpec } from '../lambdas/api/routes.js';
import { presentedKey } from '../lambdas/auth/authenticate.js';
import { keyIntakeOf } from '../lambdas/auth/key-intake.js';
import type { CorsConfig } from '../lambdas/config/cors-schema.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';
import { AuthorizerEmulator, type AuthorizerHandler } from './authorizer-emulation.js';
import { UsagePlanEmulator } from './usage-plans.js';

/** The local identity of the admin key, standing in for the IAM caller API Gateway would authenticate. */
export const LOCAL_ADMIN_ARN = 'arn:aws:iam::000000000000:user/local-admin';

/** A server error of the edge (authorizer failure), shaped like the stack's DEFAULT_5XX response. */
const authorizerFailure: EdgeError = {
  responseType: 'AUTHORIZER_FAILURE',
  status: 500,
  type: 'api_error',
  code: 'authorizer_failure',
  message: 'The authorizer failed; retry the request.',
};

/**
 * The authorizer timed out or its store stayed unavailable: a burst on a busy store, answered as an overloaded
 * service (503, Retry-After) rather than a server error. (API Gateway answers every authorizer failure with a 500;
 * the authorizer retries its store within a budget so a passing overload does not reach that.)
 */
export const authorizerUnavailable: EdgeError = {
  responseType: 'AUTHORIZER_FAILURE',
  status: 503,
  type: 'service_unavailable',
  code: 'authorizer_unavailable',
  message: 'The gateway is busy; retry the request.',
};

/** Retry-After (seconds) of the edge errors that carry one. */
export const edgeRetryAfter = (error: EdgeError): string | undefined =>
  error.code === authorizerUnavailable.code ? '1' : undefined;

export interface LocalEdgeOptions {
  readonly config: GatewayConfig;
  readonly authorizer: AuthorizerHandler;
  readonly adminKey: string;
  readonly now?: () => number;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * What API Gateway does before a function runs, for the local server: the REQUEST authorizer (with its result
 * cache) and usage plans on `key` routes, IAM auth (here: the admin key) on `admin` routes. On success the event
 * gets what API Gateway would add (requestContext.authorizer, identity); otherwise the edge error to answer.
 */
export class LocalEdge {
  private readonly authorizer: AuthorizerEmulator;
  private readonly usagePlans: UsagePlanEmulator;
  private readonly adminDigest: Buffer;
  private readonly cacheTtlSeconds: number;
  private readonly cors: CorsConfig;

  constructor(options: LocalEdgeOptions) {
    this.cacheTtlSeconds = options.config.auth.cacheTtlSeconds;
    this.cors = options.config.cors;
    this.authorizer = new AuthorizerEmulator(options.authorizer, options.config.auth.cacheTtlSeconds, options.now);
    this.usagePlans = new UsagePlanEmulator(options.config.plans, options.now);
    this.adminDigest = digest(options.adminKey);
  }

  /**
   * A preflight answered here without a key, as the stack's OPTIONS methods answer it: while CORS is on, every
   * OPTIONS request gets a 204 (with the allow headers only for a listed origin); undefined while it is off.
   */
  preflight(method: string | undefined, origin: string | undefined): Record<string, string> | undefined {
    return method === 'OPTIONS' ? preflightHeaders(this.cors, origin) : undefined;
  }

  /** The CORS headers of an answer the edge gives itself (a refusal), as the stack's gateway responses carry them. */
  refusalCors(origin: string | undefined): Record<string, string> {
    return edgeCorsHeaders(this.cors, origin);
  }

  async admit(route: RouteSpec<string> | undefined, event: APIGatewayProxyEvent): Promise<EdgeError | undefined> {
    if (route === undefined || route.access.kind === 'open') return undefined;
    if (route.access.kind === 'admin') return this.admitAdmin(event);

    const outcome = await this.authorizer.authorize(event, keyIntakeOf(route, this.cacheTtlSeconds));
    if (outcome.kind === 'unauthorized') return edgeErrors.unauthorized;
    if (outcome.kind === 'denied') return edgeErrors.accessDenied;
    if (outcome.kind === 'unavailable') return authorizerUnavailable;
    if (outcome.kind === 'failed') return authorizerFailure;
    if (outcome.usageKey !== undefined) {
      const verdict = this.usagePlans.admit(outcome.usageKey, outcome.context.plan ?? '');
      if (verdict === 'throttled') return edgeErrors.throttled;
      if (verdict === 'quota') return edgeErrors.quotaExceeded;
    }
    event.requestContext.authorizer = { ...outcome.context, principalId: outcome.principalId };
    event.requestContext.identity.apiKey = outcome.usageKey ?? null;
    return undefined;
  }

  private admitAdmin(event: APIGatewayProxyEvent): EdgeError | undefined {
    // Nothing caches this check, so the admin key may come in either header.
    const presented = presentedKey(event.headers, 'bearer-or-x-api-key', event.multiValueHeaders);
    if (presented === undefined || !timingSafeEqual(digest(presented), this.adminDigest))
      return edgeErrors.adminRequired;
    event.requestContext.identity.userArn = LOCAL_ADMIN_ARN;
    event.requestContext.identity.caller = 'local-admin';
    return undefined;
  }
}

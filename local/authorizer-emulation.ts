import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { KeyIntake } from '../lambdas/auth/key-intake.js';
import { header } from '../lambdas/core/http.js';
import { lambdaContext } from './lambda-context.js';

export type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEvent,
  context: unknown,
) => Promise<APIGatewayAuthorizerResult>;

export type AuthorizerOutcome =
  | {
      readonly kind: 'allow';
      readonly principalId: string;
      readonly context: Record<string, string>;
      readonly usageKey: string | undefined;
    }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'denied' }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'failed' };

interface CacheEntry {
  readonly outcome: AuthorizerOutcome;
  readonly until: number;
}

const IDENTITY_HEADER = 'Authorization';

/**
 * Authorizer errors that say the store was too busy, not that the authorizer is broken: Middy's timeout (the function
 * ran out of time waiting) and the authorizer's StoreUnavailableError (its key lookup's retries spent).
 */
const OVERLOAD: ReadonlySet<string> = new Set(['TimeoutError', 'StoreUnavailableError']);

/**
 * API Gateway's two REQUEST authorizers (lib/key-authorizer.ts), emulated per route as the stack assigns them by the
 * route's key intake (lambdas/auth/key-intake.ts):
 *
 * - `bearer` with a cache TTL: the Authorization header is the identity source (missing → 401 without calling the
 *   function) and the cache key; decisions are reused until the TTL passes, for every route of that intake.
 * - `bearer-or-x-api-key` (or TTL 0): no cache here, the function is called for every request (it caches per key
 *   itself).
 *
 * The authorizer event's requestTimeEpoch is this emulator's clock, as API Gateway's is its own.
 */
export class AuthorizerEmulator {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly handler: AuthorizerHandler,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async authorize(event: APIGatewayProxyEvent, intake: KeyIntake): Promise<AuthorizerOutcome> {
    if (this.ttlSeconds === 0 || intake !== 'bearer') return this.invoke(event);
    const identity = header(event, IDENTITY_HEADER);
    if (identity === undefined || identity.trim() === '') return { kind: 'unauthorized' };
    const cached = this.cache.get(identity);
    if (cached !== undefined && cached.until > this.now()) return cached.outcome;
    const outcome = await this.invoke(event);
    if (outcome.kind === 'allow' || outcome.kind === 'denied') {
      this.cache.set(identity, { outcome, until: this.now() + this.ttlSeconds * 1000 });
    }
    return outcome;
  }

  private async invoke(event: APIGatewayProxyEvent): Promise<AuthorizerOutcome> {
    const methodArn = `arn:aws:execute-api:local:000000000000:local/${event.requestContext.stage}/${event.httpMethod}${event.path}`;
    const request: APIGatewayRequestAuthorizerEvent = {
      type: 'REQUEST',
      methodArn,
      resource: event.resource,
      path: event.path,
      httpMethod: event.httpMethod,
      headers: event.headers,
      multiValueHeaders: event.multiValueHeaders,
      pathParameters: event.pathParameters,
      queryStringParameters: event.queryStringParameters,
      multiValueQueryStringParameters: event.multiValueQueryStringParameters,
      stageVariables: event.stageVariables,
      requestContext: { ...event.requestContext, requestTimeEpoch: this.now(), authorizer: undefined },
    };
    let result: APIGatewayAuthorizerResult;
    try {
      result = await this.handler(request, lambdaContext('authorizer', 10_000));
    } catch (err) {
      if (!(err instanceof Error)) return { kind: 'failed' };
      if (err.message === 'Unauthorized') return { kind: 'unauthorized' };
      return OVERLOAD.has(err.name) ? { kind: 'unavailable' } : { kind: 'failed' };
    }
    const allowed = result.policyDocument.Statement.some(
      (statement) => 'Effect' in statement && statement.Effect === 'Allow',
    );
    if (!allowed) return { kind: 'denied' };
    const context: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.context ?? {})) {
      if (value !== undefined && value !== null) context[name] = String(value);
    }
    return {
      kind: 'allow',
      principalId: result.principalId,
      context,
      usageKey: result.usageIdentifierKey ?? undefined,
    };
  }
}

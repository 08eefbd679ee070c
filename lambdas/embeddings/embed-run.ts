import type { ChatRequest } from '../api/chat-schemas.js';
import type { EmbeddingInput } from '../api/embeddings-schemas.js';
import { ATTEMPTS_HEADER, LEDGER_ID_HEADER, MODEL_HEADER, PROVIDER_HEADER } from '../chat/answer-headers.js';
import type { Books } from '../chat/chat-scope.js';
import { meterChat, type ChatOutcome, type MeterScope } from '../chat/metering.js';
import { policyHeaders } from '../chat/policy-gate.js';
import { providerFor } from '../chat/registry.js';
import { RequestLifetime } from '../chat/request-lifetime.js';
import { GatewayError, withHeaders } from '../core/errors.js';
import { traceAttempt, type UpstreamTracer } from '../observability/upstream-tracer.js';
import type { ChatProvider } from '../providers/types.js';
import type { RoutePolicy } from '../routing/router.js';
import type { ProviderKeys } from '../secrets/provider-keys.js';
import { estimatedInput } from './embed-usage.js';
import type { EmbeddingTarget } from './embed-resolve.js';

/**
 * An embeddings request as metering and the request report read it: the alias, not streamed, and its inputs as user
 * messages (the prompt of a `logging.prompts` line); token arrays appear as their count.
 */
export function chatView(alias: string, input: readonly EmbeddingInput[]): ChatRequest {
  return {
    model: alias,
    messages: input.map((item) => ({
      role: 'user' as const,
      content: typeof item === 'string' ? item : `[${item.length} token ids]`,
    })),
  };
}

/** What an embeddings request is routed with, once its policies, targets, keys, quota hold and books are settled. */
export interface EmbedPlan {
  readonly input: readonly EmbeddingInput[];
  readonly targets: readonly EmbeddingTarget[];
  readonly policy: RoutePolicy;
  readonly keys: ProviderKeys;
  readonly books: Books;
  readonly tracer: UpstreamTracer;
}

/**
 * One embeddings request past its gates, as chat-run.ts runs a chat request: its AbortController (the client going
 * away, the alias's deadline), the router's events (fallbacks counted), the upstream calls counted and traced, and
 * the books closed once with what they saw.
 */
export class EmbedRun {
  /** The request's AbortController (deadline, client gone) and the router's dependencies (request-lifetime.ts). */
  readonly lifetime: RequestLifetime;
  private attempts = 0;
  private tried: EmbeddingTarget | undefined;

  constructor(
    readonly scope: MeterScope,
    readonly plan: EmbedPlan,
  ) {
    this.lifetime = new RequestLifetime(scope.gateway, scope.request.model, plan.policy.timeouts.requestMs);
  }

  provider(target: EmbeddingTarget): ChatProvider {
    return providerFor(target.providerName, target.provider, this.plan.keys);
  }

  /** One upstream call of the router, counted and traced. */
  attempt<T>(target: EmbeddingTarget, run: () => Promise<T>): Promise<T> {
    this.attempts += 1;
    this.tried = target;
    const info = {
      alias: this.scope.request.model,
      provider: target.providerName,
      model: target.model,
      attempt: this.attempts,
      stream: false,
    };
    return traceAttempt(this.plan.tracer, info, run);
  }

  meter(outcome: Omit<ChatOutcome, 'fallbacks' | 'attempts'>): Promise<void> {
    return meterChat(this.scope, this.plan.books, {
      ...outcome,
      fallbacks: this.lifetime.fallbacks,
      attempts: this.attempts,
    });
  }

  headersOf(target: EmbeddingTarget, attempts: number): Record<string, string> {
    return {
      ...this.plan.books.hold?.headers,
      [PROVIDER_HEADER]: target.providerName,
      [MODEL_HEADER]: target.model,
      [ATTEMPTS_HEADER]: String(attempts),
      [LEDGER_ID_HEADER]: this.plan.books.ledgerId,
      ...policyHeaders(this.scope.trail.policy),
    };
  }

  /**
   * A request that failed before its answer: booked with its error's status (the deadline's 504, a client gone's 499,
   * or the router's error; a client gone owes the input of the call it left, estimated), and thrown with the ledger
   * id and what policies did.
   */
  async fail(err: unknown): Promise<never> {
    const error = this.lifetime.failure(err);
    if (!(error instanceof GatewayError)) throw error;
    const tried = this.tried;
    const owed =
      this.lifetime.clientGone && tried !== undefined
        ? { provider: tried.providerName, model: tried.model, metered: estimatedInput(this.plan.input) }
        : {};
    await this.meter({ status: error.status, ...owed });
    const { ledgerId } = this.plan.books;
    throw withHeaders(error, { [LEDGER_ID_HEADER]: ledgerId, ...policyHeaders(this.scope.trail.policy) });
  }
}

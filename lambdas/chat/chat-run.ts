import type { ChatRequest } from '../api/chat-schemas.js';
import { GatewayError, withHeaders } from '../core/errors.js';
import type { AnswerMeta, ChatEncoding } from '../formats/chat-encoding.js';
import { traceAttempt, upstreamTracer, type UpstreamTracer } from '../observability/upstream-tracer.js';
import type { PoliciesConfig } from '../policies/config.js';
import type { ChatProvider } from '../providers/types.js';
import type { RequestCut } from '../routing/committed-stream.js';
import type { RoutePolicy, RouterDeps } from '../routing/router.js';
import type { GatewayRequest } from '../runtime/types.js';
import { providerKeySource, type ProviderKeys } from '../secrets/provider-keys.js';
import { ATTEMPTS_HEADER, LEDGER_ID_HEADER, MODEL_HEADER, PROVIDER_HEADER } from './answer-headers.js';
import type { Books, ChatScope, Trail } from './chat-scope.js';
import { hostedDropped, hostedFor, hostedTargets } from './hosted-gate.js';
import { ignoredHeaders } from './ignored-fields.js';
import { meterChat, newLedgerId, type ChatOutcome } from './metering.js';
import { planOf, policeRequest, policyHeaders } from './policy-gate.js';
import { holdQuota } from './quota-gate.js';
import { assertAliasUsable } from './alias-usability.js';
import { loadProviders, providerFor } from './registry.js';
import { RequestLifetime } from './request-lifetime.js';
import { resolveTargets, type ResolvedTarget } from './resolve.js';
import { phaseMark } from '../observability/phase-marks.js';

/** What a request is routed with, once its policies, targets, keys, quota hold and books are settled. */
interface RunPlan {
  readonly policies: PoliciesConfig | undefined;
  readonly targets: ResolvedTarget[];
  readonly policy: RoutePolicy;
  readonly keys: ProviderKeys;
  readonly books: Books;
  readonly tracer: UpstreamTracer;
}

/** A chat request past the plan's request policies and the alias's allowlist, its targets resolved. */
export interface GatedChat {
  readonly policies: PoliciesConfig | undefined;
  readonly request: ChatRequest;
  readonly targets: ResolvedTarget[];
  readonly policy: RoutePolicy;
}

/**
 * The gates before anything is spent: the plan's policies first (a refused request costs no quota and never goes
 * upstream), then alias → targets (unknown alias, a key not allowed it; those without a required hosted tool left out,
 * hosted-gate.ts). The response cache looks up after these.
 */
export function gateChat(scope: ChatScope): GatedChat {
  const { config, principal } = scope;
  const policies = planOf(config, principal.plan)?.policies;
  const request = policeRequest(scope, policies);
  const { targets, policy } = resolveTargets(config, principal, request);
  return { policies, request, targets: hostedTargets(targets, scope.hosted), policy };
}

/**
 * One chat request past its gates, as its JSON path (json-answer.ts) and its stream path (stream-answer.ts) run it:
 * the scope with the request as the policies made it, the targets and routing policy, the books, and the request's
 * AbortController, which ends everything: the client going away (the response body is destroyed) or the alias's
 * deadline. It counts the upstream calls started and the fallbacks, and meters the request with them.
 */
export class ChatRun {
  readonly policies: PoliciesConfig | undefined;
  readonly targets: ResolvedTarget[];
  readonly policy: RoutePolicy;
  readonly books: Books;
  /** The request's AbortController (deadline, client gone) and the router's dependencies (request-lifetime.ts). */
  readonly lifetime: RequestLifetime;
  /** The answer's id carries the ledger id (chatcmpl-req_…, msg_req_…), so a client can refer to the request later. */
  readonly meta: AnswerMeta;
  private readonly keys: ProviderKeys;
  private readonly tracer: UpstreamTracer;
  // Upstream calls started (retries, fallbacks and hedges included), counted as the router starts them.
  private attempts = 0;
  // The target of the latest try: a request aborted before its answer owes that call's input (an estimate).
  private tried: ResolvedTarget | undefined;

  /**
   * Past its gates (gateChat, unless the caller ran them): the provider keys, and the quotas: nothing goes upstream
   * without a reservation (429 insufficient_quota when it does not fit).
   */
  static async open(scope: ChatScope, gated: GatedChat = gateChat(scope)): Promise<ChatRun> {
    const { policies, request, targets, policy } = gated;
    const [keys] = await Promise.all([
      providerKeySource(scope.config).keys(),
      loadProviders(targets.map((target) => target.provider.type)),
    ]);
    assertAliasUsable(scope.config, scope.request.model, keys);
    phaseMark?.('keys + providers');
    const hold = await holdQuota(scope, targets, policy.timeouts.requestMs);
    phaseMark?.('quota hold');
    const books: Books = { ledgerId: newLedgerId(), createdAt: new Date().toISOString(), hold, trail: scope.trail };
    const tracer = await upstreamTracer();
    const run = new ChatRun({ ...scope, request }, { policies, targets, policy, keys, books, tracer });
    phaseMark?.('run open');
    return run;
  }

  private constructor(
    readonly scope: ChatScope,
    plan: RunPlan,
  ) {
    ({
      policies: this.policies,
      targets: this.targets,
      policy: this.policy,
      keys: this.keys,
      books: this.books,
      tracer: this.tracer,
    } = plan);
    this.lifetime = new RequestLifetime(scope.gateway, scope.request.model, this.policy.timeouts.requestMs);
    this.meta = {
      id: `${scope.encoding.idPrefix}${this.books.ledgerId}`,
      created: Math.floor(Date.now() / 1000),
      alias: scope.request.model,
      requestId: scope.gateway.requestId,
    };
  }

  get controller(): AbortController {
    return this.lifetime.controller;
  }
  get deps(): RouterDeps {
    return this.lifetime.deps;
  }
  get gateway(): GatewayRequest {
    return this.scope.gateway;
  }
  get request(): ChatRequest {
    return this.scope.request;
  }
  get encoding(): ChatEncoding {
    return this.scope.encoding;
  }
  get trail(): Trail {
    return this.scope.trail;
  }

  provider(target: ResolvedTarget): ChatProvider {
    return providerFor(target.providerName, target.provider, this.keys);
  }

  call(target: ResolvedTarget) {
    const { betas, native } = this.scope;
    const hosted = hostedFor(target.provider, this.scope.hosted);
    return {
      request: target.request,
      model: target.model,
      requestId: this.gateway.requestId,
      ...(betas === undefined ? {} : { betas }),
      ...(native === undefined ? {} : { native }),
      ...(hosted === undefined ? {} : { hosted }),
      ...(target.region === undefined ? {} : { region: target.region }),
      ...(target.guardrail === undefined ? {} : { guardrail: target.guardrail }),
    };
  }

  /** One upstream call of the router, counted and traced. */
  attempt<T>(target: ResolvedTarget, run: () => Promise<T>): Promise<T> {
    this.attempts += 1;
    this.tried = target;
    const info = {
      alias: this.request.model,
      provider: target.providerName,
      model: target.model,
      attempt: this.attempts,
      stream: this.request.stream === true,
    };
    return traceAttempt(this.tracer, info, run);
  }

  meter(outcome: Omit<ChatOutcome, 'fallbacks' | 'attempts'>): Promise<void> {
    return meterChat(this.scope, this.books, {
      ...outcome,
      fallbacks: this.lifetime.fallbacks,
      attempts: this.attempts,
    });
  }

  headersOf(target: ResolvedTarget, attempts: number): Record<string, string> {
    return {
      ...this.books.hold?.headers,
      [PROVIDER_HEADER]: target.providerName,
      [MODEL_HEADER]: target.model,
      [ATTEMPTS_HEADER]: String(attempts),
      [LEDGER_ID_HEADER]: this.books.ledgerId,
      ...ignoredHeaders(
        this.provider(target),
        target.request,
        target.model,
        this.scope.native,
        hostedDropped(target.provider, this.scope.hosted),
      ),
      ...policyHeaders(this.trail.policy),
    };
  }

  cut(): RequestCut {
    return this.lifetime.cut();
  }

  settle(): void {
    this.lifetime.settle();
  }

  stopUpstream(): void {
    this.lifetime.stopUpstream();
  }

  /**
   * A request that failed before its answer: booked with its error's status (the deadline's 504, a client gone's 499,
   * or the router's error), and thrown with the ledger id (a failed request is in the ledger and may get feedback)
   * and what policies did.
   */
  async fail(err: unknown): Promise<never> {
    const error = this.lifetime.failure(err);
    if (!(error instanceof GatewayError)) throw error;
    const tried = this.tried;
    const owed =
      this.lifetime.clientGone && tried !== undefined
        ? { provider: tried.providerName, model: tried.model, produced: { text: '', toolCalls: [] } }
        : {};
    await this.meter({ status: error.status, ...owed });
    throw withHeaders(error, { [LEDGER_ID_HEADER]: this.books.ledgerId, ...policyHeaders(this.trail.policy) });
  }
}

import { inputList } from '../api/embedding-inputs.js';
import type { EmbeddingInput, EmbeddingsRequest } from '../api/embeddings-schemas.js';
import type { Principal } from '../auth/principal.js';
import type { Trail } from '../chat/chat-scope.js';
import { newLedgerId, reportUnbooked, type MeterScope } from '../chat/metering.js';
import { planOf, policyHeaders } from '../chat/policy-gate.js';
import { holdReservation } from '../chat/quota-gate.js';
import type { GatewayConfig } from '../config/schema.js';
import { GatewayError, withHeaders } from '../core/errors.js';
import { json } from '../core/http.js';
import { dimensionsOf, embeddingList } from '../formats/openai-embeddings/embedding-list.js';
import { upstreamTracer } from '../observability/upstream-tracer.js';
import { PolicyViolation } from '../policies/violation.js';
import type { EmbedCall, EmbedResult } from '../providers/embedding-types.js';
import type { ChatProvider } from '../providers/types.js';
import { withinConnect } from '../routing/connect.js';
import { route } from '../routing/router.js';
import type { GatewayRequest, GatewayResult } from '../runtime/types.js';
import { providerKeySource } from '../secrets/provider-keys.js';
import { assertAliasUsable } from '../chat/alias-usability.js';
import { lookUpEmbeddings, withEmbedCacheHeader, type EmbedCache } from '../cache/embed-cache.js';
import { applyEmbeddingPolicies } from './embed-policies.js';
import { loadProviders } from '../chat/registry.js';
import { resolveEmbeddingTargets, type EmbeddingTarget } from './embed-resolve.js';
import { chatView, EmbedRun } from './embed-run.js';
import { embeddingReservation, meterEmbedding } from './embed-usage.js';

/**
 * POST /v1/embeddings, as the chat service serves a JSON chat request: the plan's input policies → the embedding
 * alias → its targets → quota reservation → the router (retries, failover, breakers, hedging, deadline) → the
 * provider's `embed` → one booking (input tokens at the model's price, no output) → OpenAI's embedding list in the
 * encoding asked for. Every request ends with one "request completed" line, those refused before routing included.
 */
export async function serveEmbeddings(
  gateway: GatewayRequest,
  config: GatewayConfig,
  principal: Principal,
  request: EmbeddingsRequest,
): Promise<GatewayResult> {
  const trail: Trail = { policy: [], reported: false };
  const scope: MeterScope = {
    gateway,
    config,
    principal,
    request: chatView(request.model, inputList(request.input)),
    trail,
  };
  let run: EmbedRun;
  let cache: EmbedCache;
  try {
    const gated = gate(scope, request);
    cache = await lookUpEmbeddings(scope, request, gated.input);
    if ('hit' in cache) return cache.hit;
    run = await open({ ...scope, cache: cache.slot }, request, gated);
  } catch (err) {
    await reportUnbooked(scope, err instanceof GatewayError ? err.status : 500);
    throw err;
  }
  try {
    return withEmbedCacheHeader(await answer(run, request), cache);
  } catch (err) {
    return await run.fail(err);
  }
}

type Gated = { input: readonly EmbeddingInput[] } & ReturnType<typeof resolveEmbeddingTargets>;

/** The gates: policies (nothing else runs for a refused request), then the alias. The response cache looks up next. */
function gate(scope: MeterScope, request: EmbeddingsRequest): Gated {
  const { config, principal } = scope;
  const alias = request.model;
  const input = policeInput(scope, request);
  const resolved = resolveEmbeddingTargets(config, principal, alias);
  const { dimensions } = resolved;
  if (request.dimensions !== undefined && request.dimensions > dimensions) {
    throw new GatewayError({
      code: 'unsupported_parameter',
      param: 'dimensions',
      message: `dimensions may be at most ${dimensions} for the model "${alias}".`,
    });
  }
  return { input, ...resolved };
}

/** Past the gates and the cache: the provider keys, then the quota reservation. */
async function open(scope: MeterScope, request: EmbeddingsRequest, gated: Gated): Promise<EmbedRun> {
  const { config, trail } = scope;
  const alias = request.model;
  const { input, targets, policy } = gated;
  const [keys] = await Promise.all([
    providerKeySource(config).keys(),
    loadProviders(targets.map((target) => target.provider.type)),
  ]);
  assertAliasUsable(config, alias, keys);
  const hold = await holdReservation(
    scope,
    () => embeddingReservation(config, targets, input),
    policy.timeouts.requestMs,
  );
  const books = { ledgerId: newLedgerId(), createdAt: new Date().toISOString(), hold, trail };
  return new EmbedRun(
    { ...scope, request: chatView(alias, input) },
    { input, targets, policy, keys, books, tracer: await upstreamTracer() },
  );
}

/** The plan's input policies (embed-policies.ts): the inputs to send, or the violation with its policy header. */
function policeInput(scope: MeterScope, request: EmbeddingsRequest): readonly EmbeddingInput[] {
  const { gateway, config, principal, trail } = scope;
  const policies = planOf(config, principal.plan)?.policies;
  try {
    const policed = applyEmbeddingPolicies(request.model, inputList(request.input), policies, principal.plan);
    trail.policy.push(...policed.decisions);
    return policed.input;
  } catch (err) {
    if (!(err instanceof PolicyViolation)) throw err;
    trail.policy.push(err.decision);
    gateway.log.warn('request refused by policy', { plan: principal.plan, policy: [err.decision], status: err.status });
    throw withHeaders(err, policyHeaders([err.decision]));
  }
}

async function answer(run: EmbedRun, request: EmbeddingsRequest): Promise<GatewayResult> {
  const { policy, input } = run.plan;
  const encoding = request.encoding_format ?? 'float';
  const routed = await route(
    request.model,
    run.plan.targets,
    policy,
    (target, signal) =>
      run.attempt(target, () =>
        withinConnect(target.providerName, policy.timeouts.connectMs, signal, (connected, onConnectionOpen) =>
          embedOn(run.provider(target), target, {
            input,
            model: target.model,
            dimensions: request.dimensions,
            targetDimensions: target.dimensions,
            encodingFormat: encoding,
            user: request.user,
            requestId: run.scope.gateway.requestId,
            signal: connected,
            onConnectionOpen,
            ...(target.region === undefined ? {} : { region: target.region }),
          }),
        ),
      ),
    run.lifetime.controller.signal,
    run.lifetime.deps,
    () => undefined,
  );
  routed.winner.dispose();
  run.lifetime.settle();
  const metered = meterEmbedding(routed.value.inputTokens, input);
  await run.meter({ status: 200, provider: routed.target.providerName, model: routed.target.model, metered });
  const by = { provider: routed.target.providerName, model: routed.target.model };
  const { inputTokens } = metered.usage;
  await run.scope.cache?.keep({
    kind: 'embeddings',
    vectors: routed.value.vectors,
    inputTokens,
    estimated: metered.estimated,
    by,
  });
  const body = embeddingList(routed.value.vectors, encoding, request.model, metered.usage.inputTokens);
  return json(200, body, run.headersOf(routed.target, routed.attempts));
}

/**
 * One try: the provider's `embed`, its vectors checked to have the length the alias promises (the client's
 * `dimensions`, else the target's): a target answering otherwise is at fault, and the router tries again or moves on.
 */
async function embedOn(provider: ChatProvider, target: EmbeddingTarget, call: EmbedCall): Promise<EmbedResult> {
  if (provider.embed === undefined) {
    throw new GatewayError({
      code: 'embeddings_unsupported',
      message: `Provider ${provider.name} serves no embeddings.`,
    });
  }
  const result = await provider.embed(call);
  const expected = call.dimensions ?? target.dimensions;
  const wrong = result.vectors.find((vector) => dimensionsOf(vector) !== expected);
  if (wrong !== undefined) {
    throw new GatewayError({
      code: 'upstream_invalid_response',
      message: `Provider ${provider.name} answered vectors of ${dimensionsOf(wrong)} dimensions; ${expected} were expected.`,
    });
  }
  return result;
}

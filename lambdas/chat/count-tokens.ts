import type { ChatRequest } from '../api/chat-schemas.js';
import { TOKEN_COUNT_HEADER } from '../api/token-count-header.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import { json } from '../core/http.js';
import { providerKeySource } from '../secrets/provider-keys.js';
import type { GatewayRequest, GatewayResult } from '../runtime/types.js';
import { estimateInputTokens } from '../usage/estimate.js';
import { retrieveModel } from './models.js';
import { planOf, policeRequest, policyHeaders } from './policy-gate.js';
import { loadProviders, providerFor } from './registry.js';
import { resolveTargets, type ResolvedTarget } from './resolve.js';

type Counted = { readonly tokens: number; readonly by: 'provider' | 'estimate' };

/**
 * POST /v1/messages/count_tokens: the request's input tokens on the alias's first target. An alias the key may not
 * use answers as one that does not exist (404). The plan's request policies apply (the text may go upstream); then
 * a target whose provider counts (Anthropic's count_tokens) answers with the provider's count, any other target, or
 * a provider count that fails, with the gateway's estimate (usage/estimate.ts); the header says which. Cheap on
 * purpose: no ledger entry, no quota or budget reservation, no store write, no retries, no breaker verdicts.
 */
export async function countTokens(
  gateway: GatewayRequest,
  config: GatewayConfig,
  principal: Principal,
  request: ChatRequest,
): Promise<GatewayResult> {
  retrieveModel(config, principal, request.model);
  const trail = { policy: [], reported: false };
  const policed = policeRequest({ request, principal, trail, gateway }, planOf(config, principal.plan)?.policies);
  const { targets, policy } = resolveTargets(config, principal, policed);
  const target = targets[0];
  if (target === undefined) throw new Error(`alias ${request.model} has no targets`);
  const counted = await providerCount(gateway, config, target, policy.timeouts.firstByteMs);
  return json(
    200,
    { input_tokens: counted.tokens },
    { [TOKEN_COUNT_HEADER]: counted.by, ...policyHeaders(trail.policy) },
  );
}

async function providerCount(
  gateway: GatewayRequest,
  config: GatewayConfig,
  target: ResolvedTarget,
  timeoutMs: number,
): Promise<Counted> {
  const estimate: Counted = { tokens: estimateInputTokens(target.request), by: 'estimate' };
  if (target.provider.type !== 'anthropic') return estimate;
  try {
    const [keys] = await Promise.all([providerKeySource(config).keys(), loadProviders([target.provider.type])]);
    const provider = providerFor(target.providerName, target.provider, keys);
    if (provider.countTokens === undefined) return estimate;
    const tokens = await provider.countTokens({
      request: target.request,
      model: target.model,
      requestId: gateway.requestId,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { tokens, by: 'provider' };
  } catch (err) {
    gateway.log.warn('provider token count failed: answered with the estimate', {
      provider: target.providerName,
      error: err instanceof Error ? err.message : String(err),
    });
    return estimate;
  }
}

import { chatRequestCheckLoaded, checkChatRequest } from '../api/chat-request-check.js';
import type { ChatRequest } from '../api/chat-schemas.js';
import { assertModelAllowed } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayConfig, ProviderConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import type { RoutePolicy } from '../routing/router.js';
import { assertModelKind } from './model-kind.js';

export interface ResolvedTarget {
  readonly alias: string;
  readonly providerName: string;
  readonly provider: ProviderConfig;
  /** The upstream model name. */
  readonly model: string;
  readonly weight: number | undefined;
  /** The client's request with the target's parameter overrides applied. */
  readonly request: ChatRequest;
  /** Bedrock targets: the target's region (else the provider's) and Guardrail (ProviderCall.region, .guardrail). */
  readonly region?: string | undefined;
  readonly guardrail?: { readonly identifier: string; readonly version: string } | undefined;
}

/**
 * The alias's targets, each with its parameter overrides applied, in the order the alias tries them. 404 for an
 * unknown alias (`model_not_found`, as OpenAI answers), 403 for one the key may not use, 400 for an embedding alias.
 */
export function resolveTargets(
  config: GatewayConfig,
  principal: Principal,
  request: ChatRequest,
): { targets: ResolvedTarget[]; policy: RoutePolicy } {
  const alias = request.model;
  const model = Object.hasOwn(config.models, alias) ? config.models[alias] : undefined;
  if (model === undefined) {
    throw new GatewayError({
      message: `The model "${alias.slice(0, 64)}" does not exist. GET /v1/models lists the ones this key may use.`,
      code: 'model_not_found',
      param: 'model',
    });
  }
  assertModelAllowed(principal, alias);
  assertModelKind(alias, model.kind, 'chat');
  const policy: RoutePolicy = {
    strategy: model.strategy,
    retry: model.retry,
    timeouts: model.timeouts,
    breaker: model.breaker,
    hedge: model.hedge,
  };
  const targets = model.targets.map((target) => {
    const provider = Object.hasOwn(config.providers, target.provider) ? config.providers[target.provider] : undefined;
    if (provider === undefined) throw new Error(`alias ${alias} names unknown provider ${target.provider}`);
    return {
      alias,
      providerName: target.provider,
      provider,
      model: target.model,
      weight: target.weight,
      request: withOverrides(request, target.params, alias),
      ...(target.region === undefined ? {} : { region: target.region }),
      ...(target.guardrail === undefined ? {} : { guardrail: target.guardrail }),
    };
  });
  return { targets, policy };
}

const overridesByConfig = new WeakMap<GatewayConfig, boolean>();
let checkLoading: Promise<unknown> | undefined;

/** Whether any alias of the configuration has a target with parameter overrides (a policy may change the alias). */
function hasOverrides(config: GatewayConfig): boolean {
  let known = overridesByConfig.get(config);
  if (known === undefined) {
    known = Object.values(config.models).some((model) => model.targets.some((target) => target.params !== undefined));
    overridesByConfig.set(config, known);
  }
  return known;
}

/**
 * What resolveTargets needs loaded first: the chat request check (zod's schema) when the configuration has parameter
 * overrides and the body came through the zod-free check; undefined when nothing is to wait for.
 */
export function overridesCheckLoading(config: GatewayConfig): Promise<unknown> | undefined {
  if (!hasOverrides(config) || chatRequestCheckLoaded()) return undefined;
  // chat-schemas.ts registers the check as it loads; a dynamic import keeps zod off init (a lazy initialiser).
  checkLoading ??= import('../api/chat-schemas.js');
  return checkLoading;
}

function withOverrides(request: ChatRequest, params: Record<string, unknown> | undefined, alias: string): ChatRequest {
  if (params === undefined) return request;
  // Loaded by now: by the body's validation, or by overridesCheckLoading (no zod import here: none at init).
  const merged = checkChatRequest({ ...request, ...params, model: request.model }) as ChatRequest | undefined;
  if (merged === undefined) {
    throw new GatewayError({
      message: `The parameter overrides of alias "${alias}" do not form a valid request.`,
      code: 'invalid_target_params',
    });
  }
  return merged;
}

/** The target that answered, as the response cache keeps it. */
export const byOf = (target: ResolvedTarget): { provider: string; model: string } => ({
  provider: target.providerName,
  model: target.model,
});

import { assertModelAllowed } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { assertModelKind } from '../chat/model-kind.js';
import type { GatewayConfig, ProviderConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import type { RoutePolicy } from '../routing/router.js';

export interface EmbeddingTarget {
  readonly providerName: string;
  readonly provider: ProviderConfig;
  /** The upstream model name. */
  readonly model: string;
  readonly weight: number | undefined;
  /** The length of this target's vectors (the same for every target of the alias: checked at load). */
  readonly dimensions: number;
  /** Bedrock targets: the target's own region, if not the provider's (EmbedCall.region). */
  readonly region?: string | undefined;
}

/**
 * An embedding alias's targets, in the order the alias tries them, and its routing policy. 404 for an unknown alias,
 * 403 for one the key may not use, 400 `wrong_model_kind` for a chat alias.
 */
export function resolveEmbeddingTargets(
  config: GatewayConfig,
  principal: Principal,
  alias: string,
): { targets: EmbeddingTarget[]; policy: RoutePolicy; dimensions: number } {
  const model = Object.hasOwn(config.models, alias) ? config.models[alias] : undefined;
  if (model === undefined) {
    throw new GatewayError({
      message: `The model "${alias.slice(0, 64)}" does not exist. GET /v1/models lists the ones this key may use.`,
      code: 'model_not_found',
      param: 'model',
    });
  }
  assertModelAllowed(principal, alias);
  assertModelKind(alias, model.kind, 'embedding');
  const targets = model.targets.map((target): EmbeddingTarget => {
    const provider = Object.hasOwn(config.providers, target.provider) ? config.providers[target.provider] : undefined;
    if (provider === undefined || target.dimensions === undefined) {
      throw new Error(`embedding alias ${alias} has a target the configuration check should have refused`);
    }
    return {
      providerName: target.provider,
      provider,
      model: target.model,
      weight: target.weight,
      dimensions: target.dimensions,
      ...(target.region === undefined ? {} : { region: target.region }),
    };
  });
  const { strategy, retry, timeouts, breaker, hedge } = model;
  return { targets, policy: { strategy, retry, timeouts, breaker, hedge }, dimensions: targets[0]?.dimensions ?? 0 };
}

import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderKeys } from '../secrets/provider-keys.js';
import { missingKeys } from './alias-usability.js';
import type { ModelKind } from './model-kind.js';

/** A model alias in OpenAI's model shape, with its kind (clients that do not know the field ignore it). */
export interface ModelObject {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
  /** chat: /v1/chat/completions and /v1/messages; embedding: /v1/embeddings. */
  readonly kind: ModelKind;
  /** false: no target can be called (each provider lacks its key); absent when the keys could not be read. */
  readonly available?: boolean;
  /** Why not, when `available` is false. */
  readonly unavailable_reason?: string;
}

function modelObject(config: GatewayConfig, id: string, keys: ProviderKeys | undefined): ModelObject {
  const model: ModelObject = {
    id,
    object: 'model',
    created: 0,
    owned_by: 'llm-gateway',
    kind: config.models[id]?.kind ?? 'chat',
  };
  if (keys === undefined) return model;
  const missing = missingKeys(config, id, keys);
  return missing === undefined
    ? { ...model, available: true }
    : { ...model, available: false, unavailable_reason: `no API key for ${missing.join(', ')}` };
}

/** The aliases the key may use, in the config's order. */
export function usableAliases(config: GatewayConfig, principal: Principal): string[] {
  return Object.keys(config.models).filter((alias) => principal.models === null || principal.models.includes(alias));
}

/** GET /v1/models: the aliases the key may use, as OpenAI's list, each marked whether it can work with the keys. */
export const modelList = (config: GatewayConfig, principal: Principal, keys?: ProviderKeys) => ({
  object: 'list' as const,
  data: usableAliases(config, principal).map((id) => modelObject(config, id, keys)),
});

/**
 * GET /v1/models/{model}: the alias if the key may use it. An alias the key may not use answers exactly as one that
 * does not exist (404 `model_not_found`), so the answer never reveals aliases outside the key's list.
 */
export function retrieveModel(
  config: GatewayConfig,
  principal: Principal,
  id: string,
  keys?: ProviderKeys,
): ModelObject {
  if (!usableAliases(config, principal).includes(id)) {
    throw new GatewayError({
      message: `The model "${id.slice(0, 64)}" does not exist. GET /v1/models lists the ones this key may use.`,
      code: 'model_not_found',
      param: 'model',
    });
  }
  return modelObject(config, id, keys);
}

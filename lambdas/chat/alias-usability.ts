import type { GatewayConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import { providersWithoutKey, type ProviderKeys } from '../secrets/provider-keys.js';
import { priceFor } from '../usage/cost.js';

/** An alias none of whose targets can be called: each target's provider needs a key and has none. */
export interface UnusableAlias {
  readonly alias: string;
  /** The providers whose key is missing, in target order, each once. */
  readonly providers: readonly string[];
}

/** What the configuration in use cannot do with the keys at hand (start banner, /health/ready, /v1/models). */
export interface ConfigWarnings {
  readonly unusable: readonly UnusableAlias[];
  /** `provider/model` of targets without a price: their calls count $0 in budgets and reports. */
  readonly unpriced: readonly string[];
}

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/** The providers an alias lacks keys for when NONE of its targets can be called; undefined when one can. */
export function missingKeys(config: GatewayConfig, alias: string, keys: ProviderKeys): string[] | undefined {
  const model = Object.hasOwn(config.models, alias) ? config.models[alias] : undefined;
  if (model === undefined) return undefined;
  const without = new Set(providersWithoutKey(config, keys));
  const providers = model.targets.map((target) => target.provider);
  return providers.every((provider) => without.has(provider)) ? unique(providers) : undefined;
}

export function configWarnings(config: GatewayConfig, keys: ProviderKeys): ConfigWarnings {
  const unusable: UnusableAlias[] = [];
  const unpriced: string[] = [];
  for (const [alias, model] of Object.entries(config.models)) {
    const providers = missingKeys(config, alias, keys);
    if (providers !== undefined) unusable.push({ alias, providers });
    for (const { provider, model: upstream } of model.targets) {
      // Echo answers locally and costs nothing.
      if (config.providers[provider]?.type === 'echo') continue;
      if (priceFor(config, provider, upstream) === undefined) unpriced.push(`${provider}/${upstream}`);
    }
  }
  return { unusable, unpriced: unique(unpriced) };
}

/** The warnings as lines (start banner, /health/ready's `warnings`). */
export function warningLines(warnings: ConfigWarnings): string[] {
  return [
    ...warnings.unusable.map(
      ({ alias, providers }) => `alias ${alias} cannot work: no API key for ${providers.join(', ')}`,
    ),
    ...warnings.unpriced.map((model) => `model ${model} has no price: its calls count $0`),
  ];
}

/** True when the configuration has aliases and not one of them can work (not ready). */
export const noAliasWorks = (config: GatewayConfig, warnings: ConfigWarnings): boolean =>
  Object.keys(config.models).length > 0 && warnings.unusable.length === Object.keys(config.models).length;

/**
 * Before any reservation or upstream call: an alias whose every provider lacks a key is refused naming them all
 * (502 `provider_key_missing`), instead of trying each target and reporting only the last one.
 */
export function assertAliasUsable(config: GatewayConfig, alias: string, keys: ProviderKeys): void {
  const providers = missingKeys(config, alias, keys);
  if (providers === undefined) return;
  throw new GatewayError({
    message: `The model "${alias.slice(0, 64)}" cannot be served: no API key is configured for its provider${providers.length > 1 ? 's' : ''} ${providers.join(', ')}.`,
    code: 'provider_key_missing',
  });
}

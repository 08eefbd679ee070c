import type { z } from 'zod';

/** Provider types that serve embeddings (their adapter implements `embed`). */
export const EMBEDDING_PROVIDER_TYPES: readonly string[] = [
  'openai',
  'openai-compatible',
  'azure-openai',
  'bedrock',
  'echo',
];

/** What the kind checks read of the parsed configuration (structural: schema.ts imports this file). */
interface KindedConfig {
  readonly providers: Readonly<Record<string, { readonly type: string }>>;
  readonly models: Readonly<
    Record<
      string,
      {
        readonly kind: 'chat' | 'embedding';
        readonly targets: readonly {
          readonly provider: string;
          readonly model: string;
          readonly dimensions?: number | undefined;
          readonly params?: Record<string, unknown> | undefined;
        }[];
      }
    >
  >;
  readonly prices: Readonly<Record<string, Readonly<Record<string, { readonly output?: number | undefined }>>>>;
}

const priceOf = (config: KindedConfig, provider: string, model: string) => {
  const models = Object.hasOwn(config.prices, provider) ? config.prices[provider] : undefined;
  return models !== undefined && Object.hasOwn(models, model) ? models[model] : undefined;
};

/**
 * The rules of model kinds, checked at load. An embedding alias: every target on a provider that serves embeddings,
 * each declaring `dimensions`, all the same (a fallback must answer with vectors of the same length), no `params`.
 * A chat alias: no `dimensions`, and a price of any of its targets must say what output costs.
 */
export function checkModelKinds(config: KindedConfig, ctx: z.RefinementCtx): void {
  for (const [alias, model] of Object.entries(config.models)) {
    const first = model.targets[0]?.dimensions;
    model.targets.forEach((target, index) => {
      const at = ['models', alias, 'targets', index];
      const type = Object.hasOwn(config.providers, target.provider)
        ? config.providers[target.provider]?.type
        : undefined;
      if (model.kind === 'chat') {
        if (target.dimensions !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'dimensions'],
            message: 'only embedding aliases have dimensions',
          });
        }
        const price = priceOf(config, target.provider, target.model);
        if (price !== undefined && price.output === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['prices', target.provider, target.model, 'output'],
            message: `required: the chat alias "${alias}" uses this model`,
          });
        }
        return;
      }
      if (type !== undefined && !EMBEDDING_PROVIDER_TYPES.includes(type)) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'provider'],
          message: `provider "${target.provider}" (${type}) serves no embeddings; the embedding alias "${alias}" needs one of type ${EMBEDDING_PROVIDER_TYPES.join(', ')}`,
        });
      }
      if (target.params !== undefined) {
        ctx.addIssue({ code: 'custom', path: [...at, 'params'], message: 'embedding targets take no params' });
      }
      if (target.dimensions === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'dimensions'],
          message: `required for the embedding alias "${alias}": the length of this target's vectors`,
        });
      } else if (first !== undefined && target.dimensions !== first) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'dimensions'],
          message: `the embedding alias "${alias}" mixes dimensions (${first} and ${target.dimensions}): a fallback target must produce vectors of the same length`,
        });
      }
    });
  }
}

import type { ProviderConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import { EchoProvider } from '../providers/echo/echo-provider.js';
import { quirksOf } from '../providers/openai/vendor-quirks.js';
import type { ChatProvider } from '../providers/types.js';
import type { ProviderKeys } from '../secrets/provider-keys.js';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;
const DEFAULT_BASE_URLS = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' } as const;

const cache = new Map<string, { key: string | undefined; config: ProviderConfig; provider: ChatProvider }>();

type ProviderType = ProviderConfig['type'];

/**
 * The adapters with an SDK, loaded by dynamic import when a target of their type is first used: a function whose
 * configuration has only OpenAI targets never evaluates the Anthropic or Bedrock SDK, and none is evaluated at init.
 * (In the single-file bundle esbuild wraps a dynamically imported module in a lazy initialiser: parsed, not run.)
 */
const loaders = {
  openai: () => import('../providers/openai/openai-provider.js'),
  azure: () => import('../providers/azure/azure-client.js'),
  anthropic: () => import('../providers/anthropic/anthropic-provider.js'),
  bedrock: () => import('../providers/bedrock/bedrock-provider.js'),
};
type Adapters = { -readonly [K in keyof typeof loaders]?: Awaited<ReturnType<(typeof loaders)[K]>> };
const adapters: Adapters = {};

const ADAPTERS_OF: Readonly<Record<ProviderType, readonly (keyof typeof loaders)[]>> = {
  echo: [],
  openai: ['openai'],
  'openai-compatible': ['openai'],
  'azure-openai': ['openai', 'azure'],
  anthropic: ['anthropic'],
  bedrock: ['bedrock'],
};

async function loadAdapter<K extends keyof typeof loaders>(name: K): Promise<void> {
  adapters[name] ??= (await loaders[name]()) as Adapters[K];
}

/** Loads the adapters (and their SDKs) of these provider types; at once when they are loaded already. */
export async function loadProviders(types: Iterable<ProviderType>): Promise<void> {
  const missing = new Set(
    [...types].flatMap((type) => ADAPTERS_OF[type]).filter((name) => adapters[name] === undefined),
  );
  if (missing.size > 0) await Promise.all([...missing].map((name) => loadAdapter(name)));
}

function adapter<K extends keyof typeof loaders>(name: K): NonNullable<Adapters[K]> {
  const loaded = adapters[name];
  if (loaded === undefined) throw new Error(`provider adapter ${name} used before loadProviders()`);
  return loaded;
}

function build(name: string, config: ProviderConfig, key: string | undefined): ChatProvider {
  if (config.type === 'echo') return new EchoProvider(name);
  // No key: the AWS credential chain (the function's role) signs Bedrock's calls.
  if (config.type === 'bedrock') {
    return new (adapter('bedrock').BedrockProvider)({
      name,
      region: config.region,
      timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  }
  if (key === undefined) {
    throw new GatewayError({
      message: `Provider ${name} has no API key configured.`,
      code: 'provider_key_missing',
    });
  }
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (config.type === 'anthropic') {
    return new (adapter('anthropic').AnthropicProvider)({
      name,
      apiKey: key,
      baseURL: config.baseURL ?? DEFAULT_BASE_URLS.anthropic,
      timeoutMs,
      defaultMaxTokens: DEFAULT_ANTHROPIC_MAX_TOKENS,
    });
  }
  if (config.type === 'azure-openai') {
    const client = adapter('azure').azureOpenAIClient(name, config, key, timeoutMs);
    return new (adapter('openai').OpenAIProvider)({ name, client });
  }
  const preset = config.type === 'openai-compatible' ? config.preset : undefined;
  return new (adapter('openai').OpenAIProvider)({
    name,
    apiKey: key,
    baseURL: config.type === 'openai' ? (config.baseURL ?? DEFAULT_BASE_URLS.openai) : config.baseURL,
    timeoutMs,
    responsesApi: config.type === 'openai' && config.api !== 'chat',
    quirks: preset === undefined ? undefined : { vendor: preset, quirks: quirksOf(preset) },
  });
}

/**
 * The provider client for a configured provider, built once per Lambda instance and reused (its HTTP connections
 * with it); rebuilt when the key changes (a rotated secret) or the configuration does (a local reload) — never per
 * request. Its type's adapter must have been loaded (`loadProviders`).
 */
export function providerFor(name: string, config: ProviderConfig, keys: ProviderKeys): ChatProvider {
  const key = Object.hasOwn(keys, name) ? keys[name] : undefined;
  const known = cache.get(name);
  if (known !== undefined && known.key === key && known.config === config) return known.provider;
  const provider = build(name, config, key);
  cache.set(name, { key, config, provider });
  return provider;
}

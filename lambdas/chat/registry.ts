import type { ProviderConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import { AnthropicProvider } from '../providers/anthropic/anthropic-provider.js';
import { BedrockProvider } from '../providers/bedrock/bedrock-provider.js';
import { EchoProvider } from '../providers/echo/echo-provider.js';
import { azureOpenAIClient } from '../providers/azure/azure-client.js';
import { OpenAIProvider } from '../providers/openai/openai-provider.js';
import { quirksOf } from '../providers/openai/vendor-quirks.js';
import type { ChatProvider } from '../providers/types.js';
import type { ProviderKeys } from '../secrets/provider-keys.js';

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;
const DEFAULT_BASE_URLS = { openai: 'https://api.openai.com/v1', anthropic: 'https://api.anthropic.com' } as const;

const cache = new Map<string, { key: string | undefined; config: ProviderConfig; provider: ChatProvider }>();

function build(name: string, config: ProviderConfig, key: string | undefined): ChatProvider {
  if (config.type === 'echo') return new EchoProvider(name);
  // No key: the AWS credential chain (the function's role) signs Bedrock's calls.
  if (config.type === 'bedrock') {
    return new BedrockProvider({ name, region: config.region, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  }
  if (key === undefined) {
    throw new GatewayError({
      message: `Provider ${name} has no API key configured.`,
      code: 'provider_key_missing',
    });
  }
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (config.type === 'anthropic') {
    return new AnthropicProvider({
      name,
      apiKey: key,
      baseURL: config.baseURL ?? DEFAULT_BASE_URLS.anthropic,
      timeoutMs,
      defaultMaxTokens: DEFAULT_ANTHROPIC_MAX_TOKENS,
    });
  }
  if (config.type === 'azure-openai') {
    return new OpenAIProvider({ name, client: azureOpenAIClient(name, config, key, timeoutMs) });
  }
  const preset = config.type === 'openai-compatible' ? config.preset : undefined;
  return new OpenAIProvider({
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
 * request.
 */
export function providerFor(name: string, config: ProviderConfig, keys: ProviderKeys): ChatProvider {
  const key = Object.hasOwn(keys, name) ? keys[name] : undefined;
  const known = cache.get(name);
  if (known !== undefined && known.key === key && known.config === config) return known.provider;
  const provider = build(name, config, key);
  cache.set(name, { key, config, provider });
  return provider;
}

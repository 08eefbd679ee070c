import { nodeFetch } from '../../transport/node-fetch.js';
import Anthropic from '@anthropic-ai/sdk';
import './anthropic-errors.js';

/**
 * The Anthropic vendor: credentials, base URL and client lifetime (translation lives in the other modules).
 *
 * The API version the translation is written for. @anthropic-ai/sdk 1.14 describes (and sends) this version: it has
 * no temperature/top_p/top_k and takes structured output as `output_config.format`. Sent explicitly so an SDK upgrade
 * cannot move the wire format under the translation.
 */
export const ANTHROPIC_VERSION = '2026-10-21';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

interface AnthropicClientOptions {
  readonly apiKey: string;
  readonly baseURL: string;
  readonly timeoutMs: number;
}

/**
 * Key and base URL are always passed, so the SDK never falls back to ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL or a
 * credentials profile. No SDK retries (the router owns retries and fallback), the gateway's own timeout, and the
 * SDK's logging off: its error logs would print upstream response text outside the gateway's logger.
 */
export function createAnthropicClient(options: AnthropicClientOptions): Anthropic {
  return new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
    fetch: nodeFetch,
    defaultHeaders: { 'anthropic-version': ANTHROPIC_VERSION },
  });
}

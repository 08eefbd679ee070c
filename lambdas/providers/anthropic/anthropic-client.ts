import { nodeFetch } from '../../transport/node-fetch.js';
import Anthropic from '@anthropic-ai/sdk';
import './anthropic-errors.js';
import { ANTHROPIC_VERSION } from './anthropic-api.js';

interface AnthropicClientOptions {
  readonly apiKey: string;
  readonly baseURL: string;
  readonly timeoutMs: number;
}

/**
 * The official SDK's client of an Anthropic target, as the provider built it before its calls went without the SDK's
 * per-request pipeline (messages-call.ts); nothing on the chat path builds it now (tests compare the two).
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

import OpenAI from 'openai';
import { nodeFetch } from '../../transport/node-fetch.js';

/** What the provider's own SDK client is built from (openai-provider.ts). */
export interface SdkClientOptions {
  readonly apiKey: string;
  readonly baseURL: string;
  readonly timeoutMs: number;
}

/**
 * The official SDK's client of an OpenAI or OpenAI-compatible provider, for the Responses lane and embeddings (chat
 * completions go without it: chat-call.ts). Loaded by dynamic import on first use, so a function that only chats
 * never evaluates the SDK's client and its resources. The gateway's own timeout, no SDK retries (the router owns
 * retries), the gateway's transport.
 */
export function openAIClient(options: SdkClientOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxRetries: 0,
    // The SDK's own console logger off, whatever OPENAI_LOG says: it reports a stream event that is not JSON on
    // console.error (and at debug prints whole requests), outside the gateway's logger and `logging.prompts`; the
    // gateway reports the failure itself (the stream's error part).
    logLevel: 'off',
    fetch: nodeFetch,
    organization: null,
    project: null,
  });
}

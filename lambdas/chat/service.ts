import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ChatRequest } from '../api/chat-schemas.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import { json } from '../core/http.js';
import { providerKeySource } from '../secrets/provider-keys.js';
import type { GatewayRequest, GatewayResult } from '../runtime/types.js';
import { toChatCompletion } from './completion.js';
import { providerFor } from './registry.js';
import { resolveTargets } from './resolve.js';
import { toSse } from './sse.js';

export const PROVIDER_HEADER = 'X-Gateway-Provider';
export const MODEL_HEADER = 'X-Gateway-Model';

const completionId = (): string => `chatcmpl-${randomBytes(12).toString('base64url')}`;

/**
 * One chat request: alias → target → provider; a chat.completion, or an SSE stream whose upstream call is aborted
 * when the client goes away (the body stream is destroyed). Routing across several targets arrives with the
 * routing capability; until then the alias's first target serves.
 */
export async function serveChat(
  gateway: GatewayRequest,
  config: GatewayConfig,
  principal: Principal,
  request: ChatRequest,
): Promise<GatewayResult> {
  const [target] = resolveTargets(config, principal, request);
  if (target === undefined) throw new Error(`alias ${request.model} has no target`);
  const provider = providerFor(target.providerName, target.provider, await providerKeySource(config).keys());
  const headers = { [PROVIDER_HEADER]: target.providerName, [MODEL_HEADER]: target.model };
  const controller = new AbortController();
  const call = { request: target.request, model: target.model, requestId: gateway.requestId, signal: controller.signal };
  const meta = { id: completionId(), created: Math.floor(Date.now() / 1000), alias: target.alias };

  if (request.stream !== true) {
    const result = await provider.complete(call);
    return json(200, toChatCompletion(result, meta), headers);
  }

  const parts = await provider.stream(call);
  const sse = toSse(parts, { ...meta, includeUsage: request.stream_options?.include_usage === true }, ({ usage, failed }) => {
    gateway.log.info('stream ended', { failed, inputTokens: usage?.inputTokens, outputTokens: usage?.outputTokens });
  });
  const body = Readable.from(sse, { objectMode: false });
  body.once('close', () => controller.abort());
  return {
    statusCode: 200,
    headers: { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' },
    body,
  };
}

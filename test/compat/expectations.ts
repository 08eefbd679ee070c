import type { CompatContext, UpstreamRequest } from './harness.js';
import { PNG_BASE64 } from './inputs.js';
import { allParts, list, record, textOf, type Json } from './request-reading.js';

/**
 * What the upstream received, read in the backend's wire format, for the compat tests' assertions. An OpenAI backend
 * may be reached through chat completions (`messages`) or through the Responses API (`input` items): both are read.
 */

const messagesOf = (body: Json): Json[] => list(body.messages ?? body.input).map(record);

/** Whether the last upstream request went to OpenAI's Responses API (POST /v1/responses). */
const viaResponses = (ctx: CompatContext): boolean =>
  lastUpstream(ctx).path.split('?')[0]?.endsWith('/responses') === true;

const dataUrl = (url: unknown): { mediaType: string; data: string } => {
  const match = /^data:([^;]+);base64,(.*)$/.exec(String(url));
  return { mediaType: match?.[1] ?? '?', data: match?.[2] ?? '?' };
};

/** The images of the last upstream request, as `{mediaType, data}` whatever the format. */
export function upstreamImages(ctx: CompatContext): { mediaType: string; data: string }[] {
  const parts = allParts(messagesOf(ctx.lastUpstreamBody()));
  if (ctx.backend !== 'anthropic' && viaResponses(ctx)) {
    return parts.filter((p) => p.type === 'input_image').map((p) => dataUrl(p.image_url));
  }
  if (ctx.backend !== 'anthropic') {
    return parts.filter((p) => p.type === 'image_url').map((p) => dataUrl(record(p.image_url).url));
  }
  return parts
    .filter((p) => p.type === 'image')
    .map((p) => ({ mediaType: String(record(p.source).media_type), data: String(record(p.source).data) }));
}

export function expectOneUpstreamImage(ctx: CompatContext): void {
  expect(upstreamImages(ctx)).toEqual([{ mediaType: 'image/png', data: PNG_BASE64 }]);
}

/**
 * The tool results the last upstream request carried back (OpenAI `tool` messages or `function_call_output` items,
 * Anthropic tool_result blocks).
 */
export function upstreamToolResults(ctx: CompatContext): string[] {
  const messages = messagesOf(ctx.lastUpstreamBody());
  if (ctx.backend !== 'anthropic' && viaResponses(ctx)) {
    return messages.filter((m) => m.type === 'function_call_output').map((m) => textOf(m.output));
  }
  if (ctx.backend !== 'anthropic') return messages.filter((m) => m.role === 'tool').map((m) => textOf(m.content));
  return list(messages.at(-1)?.content)
    .map(record)
    .filter((b) => b.type === 'tool_result')
    .map((b) => textOf(b.content));
}

/** The last upstream request (fails when there is none). */
export function lastUpstream(ctx: CompatContext): UpstreamRequest {
  const last = ctx.upstream.requests.at(-1);
  if (last === undefined) throw new Error('no upstream request was recorded');
  return last;
}

/** After a client's abort: the upstream request was closed by the gateway before it was complete. */
export async function expectUpstreamClosedEarly(ctx: CompatContext): Promise<void> {
  const request = lastUpstream(ctx);
  await request.closed;
  expect(request.clientAborted).toBe(true);
}

/** The `cache_control` markers the last upstream request carried (Anthropic backend: the cache breakpoints). */
export function upstreamCacheBreakpoints(ctx: CompatContext): unknown[] {
  const found: unknown[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, v] of Object.entries(value)) {
      if (key === 'cache_control') found.push(v);
      else walk(v);
    }
  };
  walk(ctx.lastUpstreamBody());
  return found;
}

/** The names in an `X-Gateway-Ignored` header value. */
export const ignoredNames = (header: string | null | undefined): string[] =>
  (header ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');

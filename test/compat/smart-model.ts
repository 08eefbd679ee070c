import { CITIES, record, sampleFor } from './request-reading.js';

/**
 * What the smart fakes' model answers, the same whatever the wire format (smart-upstreams.ts: OpenAI chat completions
 * and Anthropic messages; smart-responses.ts: OpenAI's Responses API), each request read into a `Reading` first.
 * Default replies for the fakes (`defaultReply`) that behave like a model, deterministically, from the request:
 *  - "FAIL_429" in the last user text → a 429 rate-limit error;
 *  - tool results after the last assistant turn → TOOL_ANSWER_PREFIX and the results' text, joined by "; ";
 *  - tools offered (not `tool_choice: none`), no results yet → a call of the forced tool or else the first one, with
 *    arguments valid for its schema (strings are city names); two parallel calls (Paris, Tokyo) when the last user
 *    text contains "PARALLEL";
 *  - a JSON-schema response format (OpenAI `response_format` or `text.format`, Anthropic `output_config.format`) →
 *    a JSON object valid for it (STRUCTURED_VALUE for the test schema `{city: string, temperature: number}`);
 *  - "SLOW" in the last user text → a stream of SLOW_CHUNKS pieces, SLOW_CHUNK_DELAY_MS apart (for abort);
 *  - "HOLD" in the last user text → a stream held after its first text piece until the test calls the gate's
 *    `release()` (or HOLD_FALLBACK_MS passed), so a client seeing that piece proves the stream is incremental;
 *  - an image in the request → IMAGE_REPLY with the count; otherwise PLAIN_REPLY.
 * Streams come in several pieces (STREAM_PARTS) with UPSTREAM_USAGE. Prompt caching: when the request asks for it
 * (OpenAI: `prompt_cache_key` or a `cache_control` part; Anthropic: any `cache_control`) and the same prompt was seen
 * before by this fake, the usage reports CACHED_TOKENS as cache reads (Anthropic: the first time as cache writes).
 */

export const PLAIN_REPLY = 'Hello from the compat upstream, a deterministic model.';
export const IMAGE_REPLY = (count: number): string => `I see ${count} image(s).`;
export const TOOL_ANSWER_PREFIX = 'From the tools: ';
export const STRUCTURED_VALUE = { city: 'Paris', temperature: 21 } as const;
export const STREAM_PARTS = 5;
export const SLOW_CHUNKS = 200;
export const SLOW_CHUNK_DELAY_MS = 50;
export const SLOW_TEXT = 'slow '.repeat(SLOW_CHUNKS);
/** Prompt and completion tokens every answer reports; CACHED_TOKENS of the prompt are cached when caching applies. */
export const UPSTREAM_USAGE = { input: 31, output: 17 } as const;
export const CACHED_TOKENS = 24;
/**
 * The Retry-After of the fakes' 429 (FAIL_429), in seconds: a rate limit that resets in two minutes, as a per-minute
 * token budget spent does. Clients that honour Retry-After then give up at once (LangChain: beyond 60 s) or fall back
 * to their own short backoff (AI SDK), instead of waiting it out in a test.
 */
export const RATE_LIMIT_RETRY_AFTER_S = 120;

export const HOLD_FALLBACK_MS = 5_000;

/** The hold of "HOLD" streams: `release()` lets the held stream go on; true when it was still held (not timed out). */
export interface StreamGate {
  release(): boolean;
  /** A new hold for the next held stream (the fakes call this). */
  hold(): Promise<void>;
}

export function streamGate(): StreamGate {
  let release = (): boolean => false;
  return {
    release: () => release(),
    hold: () =>
      new Promise<void>((resolve) => {
        let held = true;
        const timer = setTimeout(() => {
          held = false;
          resolve();
        }, HOLD_FALLBACK_MS);
        release = () => {
          const was = held;
          held = false;
          clearTimeout(timer);
          resolve();
          return was;
        };
      }),
  };
}

export const TEST_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, temperature: { type: 'number' } },
  required: ['city', 'temperature'],
};

export type Plan =
  | { readonly kind: 'rate-limit' }
  | { readonly kind: 'text'; readonly text: string; readonly slow?: boolean; readonly held?: boolean }
  | { readonly kind: 'tools'; readonly calls: readonly { name: string; input: unknown }[] };

export interface Reading {
  readonly lastText: string;
  readonly results: readonly unknown[];
  readonly tools: readonly { name: string; schema: unknown }[];
  readonly forced: string | undefined;
  readonly toolsOff: boolean;
  readonly schema: unknown;
  readonly images: number;
}

/** What a model would do with this request (both formats, read into `Reading`). */
export function plan(r: Reading): Plan {
  if (r.lastText.includes('FAIL_429')) return { kind: 'rate-limit' };
  if (r.results.length > 0) return { kind: 'text', text: TOOL_ANSWER_PREFIX + r.results.join('; ') };
  if (r.tools.length > 0 && !r.toolsOff) {
    const tool = r.tools.find((t) => t.name === r.forced) ?? r.tools[0];
    const count = r.lastText.includes('PARALLEL') && r.forced === undefined ? 2 : 1;
    const calls = CITIES.slice(0, count).map((_, i) => ({ name: tool?.name ?? '', input: sampleFor(tool?.schema, i) }));
    return { kind: 'tools', calls };
  }
  if (r.schema !== undefined) {
    const withProperties = Object.keys(record(record(r.schema).properties)).length > 0;
    return { kind: 'text', text: JSON.stringify(sampleFor(withProperties ? r.schema : TEST_SCHEMA)) };
  }
  if (r.lastText.includes('SLOW')) return { kind: 'text', text: SLOW_TEXT, slow: true };
  if (r.lastText.includes('HOLD')) return { kind: 'text', text: PLAIN_REPLY, held: true };
  return { kind: 'text', text: r.images > 0 ? IMAGE_REPLY(r.images) : PLAIN_REPLY };
}

/** Remembers prompts that asked for caching: `cached(key)` is whether this key was seen before (and records it). */
export function cacheMemory(): (key: string) => boolean {
  const seen = new Set<string>();
  return (key) => {
    const hit = seen.has(key);
    seen.add(key);
    return hit;
  };
}

import * as fakeAnthropic from '../fakes/fake-anthropic.js';
import * as fakeOpenAI from '../fakes/fake-openai.js';
import {
  allParts,
  CITIES,
  hasCacheControl,
  lastUserText,
  list,
  record,
  sampleFor,
  textOf,
  type Json,
} from './request-reading.js';

/**
 * Default replies for the fakes (`defaultReply`) that behave like a model, deterministically, from the request:
 *  - "FAIL_429" in the last user text → a 429 rate-limit error;
 *  - tool results after the last assistant turn → TOOL_ANSWER_PREFIX and the results' text, joined by "; ";
 *  - tools offered (not `tool_choice: none`), no results yet → a call of the forced tool or else the first one, with
 *    arguments valid for its schema (strings are city names); two parallel calls (Paris, Tokyo) when the last user
 *    text contains "PARALLEL";
 *  - a JSON-schema response format (OpenAI `response_format`, Anthropic `output_config.format`) → a JSON object
 *    valid for it (STRUCTURED_VALUE for the test schema `{city: string, temperature: number}`);
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

const TEST_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, temperature: { type: 'number' } },
  required: ['city', 'temperature'],
};

type Plan =
  | { readonly kind: 'rate-limit' }
  | { readonly kind: 'text'; readonly text: string; readonly slow?: boolean; readonly held?: boolean }
  | { readonly kind: 'tools'; readonly calls: readonly { name: string; input: unknown }[] };

interface Reading {
  readonly lastText: string;
  readonly results: readonly unknown[];
  readonly tools: readonly { name: string; schema: unknown }[];
  readonly forced: string | undefined;
  readonly toolsOff: boolean;
  readonly schema: unknown;
  readonly images: number;
}

/** What a model would do with this request (both formats, read into `Reading`). */
function plan(r: Reading): Plan {
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
function cacheMemory(): (key: string) => boolean {
  const seen = new Set<string>();
  return (key) => {
    const hit = seen.has(key);
    seen.add(key);
    return hit;
  };
}

// ------------------------------------------------------------------------------------------------ OpenAI format

function readOpenAI(body: Json): Reading {
  const messages = list(body.messages).map(record);
  const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant');
  const choice = body.tool_choice;
  const format = record(body.response_format);
  return {
    lastText: lastUserText(messages),
    results: messages
      .slice(lastAssistant + 1)
      .filter((m) => m.role === 'tool')
      .map((m) => textOf(m.content)),
    tools: list(body.tools).map((t) => ({
      name: String(record(record(t).function).name),
      schema: record(record(t).function).parameters,
    })),
    forced: typeof choice === 'object' ? String(record(record(choice).function).name) : undefined,
    toolsOff: choice === 'none',
    schema:
      format.type === 'json_schema'
        ? record(format.json_schema).schema
        : format.type === 'json_object'
          ? TEST_SCHEMA
          : undefined,
    images: allParts(messages).filter((p) => p.type === 'image_url').length,
  };
}

/** A fresh smart OpenAI model (its own cache memory): pass as `startFakeOpenAI({ defaultReply })`. */
export function smartOpenAI(
  gate: StreamGate = streamGate(),
): (request: fakeOpenAI.RecordedRequest) => fakeOpenAI.Script {
  const cached = cacheMemory();
  return (request) => {
    const body = record(request.body);
    const messages = list(body.messages).map(record);
    const wantsCache = body.prompt_cache_key !== undefined || hasCacheControl(messages);
    const hit = wantsCache && cached(JSON.stringify([body.prompt_cache_key, messages, body.tools]));
    const usage = fakeOpenAI.usage({
      prompt: UPSTREAM_USAGE.input,
      completion: UPSTREAM_USAGE.output,
      cached: hit ? CACHED_TOKENS : 0,
    });
    const stream = body.stream === true;
    const next = plan(readOpenAI(body));
    if (next.kind === 'rate-limit') return fakeOpenAI.reply.rateLimit(RATE_LIMIT_RETRY_AFTER_S);
    if (next.kind === 'tools') {
      const calls = next.calls.map((call, i) => ({
        id: `call_compat${i}`,
        name: call.name,
        arguments: JSON.stringify(call.input),
      }));
      return stream
        ? fakeOpenAI.reply.stream(fakeOpenAI.toolCallChunks(calls), { usage })
        : fakeOpenAI.reply.toolCalls(calls, { usage });
    }
    if (!stream) return fakeOpenAI.reply.text(next.text, { usage });
    const parts = next.slow === true ? SLOW_CHUNKS : STREAM_PARTS;
    return fakeOpenAI.reply.stream(fakeOpenAI.textChunks(next.text, { parts }), {
      usage,
      ...(next.slow === true ? { chunkDelayMs: SLOW_CHUNK_DELAY_MS } : {}),
      // frames: the role chunk, the first text piece, then held
      ...(next.held === true ? { hold: { afterFrames: 2, until: gate.hold() } } : {}),
    });
  };
}

// --------------------------------------------------------------------------------------------- Anthropic format

function readAnthropic(body: Json): Reading {
  const messages = list(body.messages).map(record);
  const last = messages.at(-1);
  const choice = record(body.tool_choice);
  const format = record(record(body.output_config).format ?? body.output_format);
  return {
    lastText: lastUserText(messages),
    results:
      last?.role === 'user'
        ? list(last.content)
            .map(record)
            .filter((b) => b.type === 'tool_result')
            .map((b) => textOf(b.content))
        : [],
    tools: list(body.tools).map((t) => ({ name: String(record(t).name), schema: record(t).input_schema })),
    forced: choice.type === 'tool' ? String(choice.name) : undefined,
    toolsOff: choice.type === 'none',
    schema: format.type === 'json_schema' ? format.schema : undefined,
    images: allParts(messages).filter((p) => p.type === 'image').length,
  };
}

/** A fresh smart Anthropic model (its own cache memory): pass as `startFakeAnthropic({ defaultReply })`. */
export function smartAnthropic(
  gate: StreamGate = streamGate(),
): (request: fakeAnthropic.RecordedRequest) => fakeAnthropic.Script {
  const cached = cacheMemory();
  return (request) => {
    const body = record(request.body);
    const wantsCache = hasCacheControl([body.system, body.messages, body.tools]);
    const hit = wantsCache && cached(JSON.stringify([body.system, body.messages, body.tools]));
    const usage = fakeAnthropic.usage({
      input: wantsCache ? UPSTREAM_USAGE.input - CACHED_TOKENS : UPSTREAM_USAGE.input,
      output: UPSTREAM_USAGE.output,
      cacheRead: hit ? CACHED_TOKENS : 0,
      cacheWrite: wantsCache && !hit ? CACHED_TOKENS : 0,
    });
    const stream = body.stream === true;
    const next = plan(readAnthropic(body));
    if (next.kind === 'rate-limit') return fakeAnthropic.reply.rateLimit(RATE_LIMIT_RETRY_AFTER_S);
    if (next.kind === 'tools') {
      const calls = next.calls.map((call, i) => ({
        id: `toolu_compat${i}`,
        name: call.name,
        input: record(call.input),
      }));
      return stream
        ? fakeAnthropic.reply.stream(fakeAnthropic.toolUseEvents(calls, { usage, text: '' }))
        : fakeAnthropic.reply.toolUse(calls, { usage });
    }
    if (!stream) return fakeAnthropic.reply.text(next.text, { usage });
    const parts = next.slow === true ? SLOW_CHUNKS : STREAM_PARTS;
    return fakeAnthropic.reply.stream(fakeAnthropic.textEvents(next.text, { usage, parts }), {
      ...(next.slow === true ? { eventDelayMs: SLOW_CHUNK_DELAY_MS } : {}),
      // events: message_start, ping, content_block_start, the first text delta, then held
      ...(next.held === true ? { hold: { afterFrames: 4, until: gate.hold() } } : {}),
    });
  };
}

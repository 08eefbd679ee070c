import * as fakeAnthropic from '../fakes/fake-anthropic.js';
import * as fakeOpenAI from '../fakes/fake-openai.js';
import { allParts, hasCacheControl, lastUserText, list, record, textOf, type Json } from './request-reading.js';
import {
  cacheMemory,
  CACHED_TOKENS,
  plan,
  RATE_LIMIT_RETRY_AFTER_S,
  SLOW_CHUNK_DELAY_MS,
  SLOW_CHUNKS,
  STREAM_PARTS,
  streamGate,
  TEST_SCHEMA,
  UPSTREAM_USAGE,
  type Reading,
  type StreamGate,
} from './smart-model.js';
import { smartResponses } from './smart-responses.js';

/**
 * The smart fakes' wire formats: OpenAI's chat completions (and, through smart-responses.ts, its Responses API) and
 * Anthropic's messages, each request read into the model's `Reading` and its `plan` written back in the format
 * (smart-model.ts: what the model answers, the same for every format).
 */
export * from './smart-model.js';
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

/**
 * A fresh smart OpenAI model (its own cache memory): pass as `startFakeOpenAI({ defaultReply })`. Chat completions here,
 * POST /v1/responses in smart-responses.ts.
 */
export function smartOpenAI(
  gate: StreamGate = streamGate(),
): (request: fakeOpenAI.RecordedRequest) => fakeOpenAI.Script {
  const cached = cacheMemory();
  const responses = smartResponses(gate);
  return (request) => {
    if (request.path.split('?')[0]?.endsWith('/responses') === true) return responses(request);
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

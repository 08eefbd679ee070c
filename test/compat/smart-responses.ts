import type { Response, ResponseOutputItem, ResponseReasoningItem } from 'openai/resources/responses/responses';
import * as fakeOpenAI from '../fakes/fake-openai.js';
import {
  functionCallItem,
  messageItem,
  reasoningItem,
  responseBody,
  responseEvents,
  responsesReply,
  responsesUsage,
} from '../fakes/fake-openai-responses.js';
import { allParts, lastUserText, list, record, textOf, type Json } from './request-reading.js';
import { encryptedFor, refusalOf } from './responses-rules.js';
import {
  cacheMemory,
  CACHED_TOKENS,
  plan,
  RATE_LIMIT_RETRY_AFTER_S,
  SLOW_CHUNK_DELAY_MS,
  SLOW_CHUNKS,
  STREAM_PARTS,
  TEST_SCHEMA,
  UPSTREAM_USAGE,
  type Reading,
  type StreamGate,
} from './smart-model.js';

/**
 * The smart OpenAI model's Responses API (POST /v1/responses; smartOpenAI routes it here): the request validated as
 * OpenAI does (responses-rules.ts: a refusal is OpenAI's error body with its status), read into the model's `Reading`
 * (the same `plan` as chat completions and Anthropic: smart-model.ts) and answered as a Response object, or its
 * documented SSE event sequence when `stream: true` (fake-openai-responses.ts), with usage (cached tokens when
 * `prompt_cache_key` repeats a prompt, reasoning tokens). With `reasoning.effort` set (not "none") a reasoning item
 * comes first: its summary when `reasoning.summary` asks, its encrypted_content when `include` asks for
 * "reasoning.encrypted_content" (the fake verifies it when it comes back: responses-rules.ts).
 */

/** The reasoning tokens of an answer with a reasoning item (part of UPSTREAM_USAGE.output). */
export const REASONING_TOKENS = 8;
export const REASONING_SUMMARY = 'Reading the request and planning the answer.';

/** The model's input items: `input` as a string is one user message. */
const itemsOf = (body: Json): Json[] =>
  typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : list(body.input).map(record);

const isAssistantTurn = (item: Json): boolean =>
  item.role === 'assistant' || item.type === 'function_call' || item.type === 'reasoning';

function readResponses(body: Json): Reading {
  const items = itemsOf(body);
  const lastAssistant = items.findLastIndex(isAssistantTurn);
  const choice = body.tool_choice;
  const format = record(record(body.text).format);
  return {
    lastText: lastUserText(items.filter((item) => item.type === undefined || item.type === 'message')),
    results: items
      .slice(lastAssistant + 1)
      .filter((item) => item.type === 'function_call_output')
      .map((item) => textOf(item.output)),
    tools: list(body.tools)
      .map(record)
      .filter((tool) => tool.type === 'function')
      .map((tool) => ({ name: String(tool.name), schema: tool.parameters })),
    forced: record(choice).type === 'function' ? String(record(choice).name) : undefined,
    toolsOff: choice === 'none',
    schema: format.type === 'json_schema' ? format.schema : format.type === 'json_object' ? TEST_SCHEMA : undefined,
    images: allParts(items).filter((part) => part.type === 'input_image').length,
  };
}

/** The reasoning item an answer starts with when the request asked for reasoning. */
function reasoningItemFor(body: Json): ResponseOutputItem[] {
  const reasoning = record(body.reasoning);
  if (reasoning.effort == null || reasoning.effort === 'none') return [];
  const item = reasoningItem(reasoning.summary == null ? [] : [REASONING_SUMMARY]) as ResponseReasoningItem;
  const encrypted = list(body.include).includes('reasoning.encrypted_content');
  return [{ ...item, ...(encrypted ? { encrypted_content: encryptedFor(item.id) } : {}) }];
}

/** A fresh Responses side of the smart OpenAI model (its own cache memory). */
export function smartResponses(gate: StreamGate): (request: fakeOpenAI.RecordedRequest) => fakeOpenAI.Script {
  const cached = cacheMemory();
  return (request) => {
    const body = record(request.body);
    const refused = refusalOf(body);
    if (refused !== undefined) {
      const { status, message, param, code } = refused;
      return fakeOpenAI.reply.error(status, { message, type: 'invalid_request_error', param, code });
    }
    const next = plan(readResponses(body));
    if (next.kind === 'rate-limit') return fakeOpenAI.reply.rateLimit(RATE_LIMIT_RETRY_AFTER_S);
    const key = body.prompt_cache_key;
    const hit = key !== undefined && cached(JSON.stringify([key, body.instructions, body.input, body.tools]));
    const reasoning = reasoningItemFor(body);
    const usage = responsesUsage({
      input: UPSTREAM_USAGE.input,
      output: UPSTREAM_USAGE.output,
      cached: hit ? CACHED_TOKENS : 0,
      reasoning: reasoning.length > 0 ? REASONING_TOKENS : 0,
    });
    const answer =
      next.kind === 'tools'
        ? next.calls.map((call, i) =>
            functionCallItem({ id: `call_compat${i}`, name: call.name, arguments: JSON.stringify(call.input) }),
          )
        : [messageItem(next.text)];
    const response = {
      ...responseBody([...reasoning, ...answer], { model: String(body.model), usage }),
      // The request's settings, as OpenAI echoes them in the Response.
      instructions: body.instructions ?? null,
      tools: body.tools ?? [],
      tool_choice: body.tool_choice ?? 'auto',
      text: body.text ?? { format: { type: 'text' } },
      reasoning: body.reasoning ?? { effort: null, summary: null },
      store: body.store ?? true,
      max_output_tokens: body.max_output_tokens ?? null,
      prompt_cache_key: key ?? null,
    } as unknown as Response;
    if (body.stream !== true) return responsesReply.json(response);
    const slow = next.kind === 'text' && next.slow === true;
    const events = responseEvents(response, { parts: slow ? SLOW_CHUNKS : STREAM_PARTS });
    // Held: everything up to the first text delta goes out, the rest waits for the gate.
    const firstDelta = events.findIndex((event) => event.type === 'response.output_text.delta');
    const held = next.kind === 'text' && next.held === true;
    return responsesReply.events(events, {
      ...(slow ? { chunkDelayMs: SLOW_CHUNK_DELAY_MS } : {}),
      ...(held ? { hold: { afterFrames: firstDelta + 1, until: gate.hold() } } : {}),
    });
  };
}

import { APIError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { toResponsesResult } from '../../../lambdas/providers/openai/responses-result.js';
import { toResponsesStreamParts } from '../../../lambdas/providers/openai/responses-stream-parts.js';
import { toUsage } from '../../../lambdas/providers/openai/openai-response.js';
import type { StreamPart } from '../../../lambdas/providers/types.js';
import {
  functionCallItem,
  messageItem,
  reasoningItem,
  responseBody,
  responseEvents,
  responsesUsage,
} from '../../fakes/fake-openai-responses.js';
import { usage } from '../../fakes/fake-openai.js';

// A Responses API answer (the native lane) → the canonical result and stream parts.

const CALLS = [
  { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
  { id: 'call_b', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
];

async function partsOf(events: readonly object[], fail?: unknown): Promise<StreamPart[]> {
  async function* source(): AsyncGenerator<ResponseStreamEvent> {
    yield* events as ResponseStreamEvent[];
    if (fail !== undefined) throw fail;
  }
  const parts: StreamPart[] = [];
  for await (const part of toResponsesStreamParts(source(), 'openai')) parts.push(part);
  return parts;
}

const codeOf = (part: StreamPart | undefined): string | undefined =>
  part?.type === 'error' ? part.error.code : undefined;

it('JSON: reasoning item, text, refusal and parallel calls; usage with cached and reasoning tokens', () => {
  const body = responseBody(
    [reasoningItem(['Plan', 'Check'], 'enc_1'), messageItem('Hi', 'No.'), ...CALLS.map(functionCallItem)],
    { usage: responsesUsage({ input: 50, output: 30, cached: 20, reasoning: 12 }) },
  );
  const result = toResponsesResult(body, 'openai');
  expect(result).toEqual({
    content: 'Hi',
    refusal: 'No.',
    toolCalls: CALLS,
    finishReason: 'tool_calls',
    usage: { inputTokens: 50, outputTokens: 30, cachedInputTokens: 20, cacheWriteTokens: 0, reasoningTokens: 12 },
    reasoning: [
      { type: 'openai_reasoning', id: body.output[0]?.id, summary: ['Plan', 'Check'], encrypted_content: 'enc_1' },
    ],
  });
});

it('JSON: incomplete is length or content_filter; failed is the error by its code', () => {
  const cut = responseBody([messageItem('Partial')], { incomplete: 'max_output_tokens' });
  expect(toResponsesResult(cut, 'openai').finishReason).toBe('length');
  const filtered = responseBody([], { incomplete: 'content_filter' });
  expect(toResponsesResult(filtered, 'openai')).toMatchObject({ content: null, finishReason: 'content_filter' });
  const failed = (code: string) => {
    try {
      toResponsesResult(responseBody([], { status: 'failed', error: { code, message: 'Bad image.' } }), 'openai');
    } catch (err) {
      return err instanceof GatewayError ? [err.code, err.status] : err;
    }
    return undefined;
  };
  expect(failed('rate_limit_exceeded')).toEqual(['upstream_rate_limited', 429]);
  expect(failed('server_error')).toEqual(['upstream_error', 502]);
  expect(failed('invalid_image')).toEqual(['upstream_bad_request', 400]);
});

it('stream: reasoning deltas by summary part, the reasoning item, text, parallel calls, then finish and usage', async () => {
  const body = responseBody(
    [reasoningItem(['Plan', 'Check'], 'enc_1'), messageItem('Hello'), ...CALLS.map(functionCallItem)],
    {
      usage: responsesUsage({ input: 9, output: 7, cached: 4, reasoning: 3 }),
    },
  );
  const parts = await partsOf(responseEvents(body, { parts: 2 }));
  const id = body.output[0]?.id ?? '';
  expect(parts).toEqual([
    { type: 'reasoning-delta', index: 0, delta: 'Pl', summaryIndex: 0 },
    { type: 'reasoning-delta', index: 0, delta: 'an', summaryIndex: 0 },
    { type: 'reasoning-delta', index: 0, delta: 'Che', summaryIndex: 1 },
    { type: 'reasoning-delta', index: 0, delta: 'ck', summaryIndex: 1 },
    { type: 'reasoning-item', index: 0, id, summary: ['Plan', 'Check'], encrypted_content: 'enc_1' },
    { type: 'text-delta', delta: 'Hel' },
    { type: 'text-delta', delta: 'lo' },
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
    { type: 'tool-call-start', index: 1, id: 'call_b', name: 'get_weather' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '"Tokyo"}' },
    { type: 'finish', finishReason: 'tool_calls' },
    {
      type: 'usage',
      usage: { inputTokens: 9, outputTokens: 7, cachedInputTokens: 4, cacheWriteTokens: 0, reasoningTokens: 3 },
    },
  ]);
});

it('stream: incomplete finishes with length; a stream without its end has no finish (a cut)', async () => {
  const cut = responseEvents(responseBody([messageItem('Partial')], { incomplete: 'max_output_tokens' }));
  expect((await partsOf(cut)).filter((part) => part.type === 'finish')).toEqual([
    { type: 'finish', finishReason: 'length' },
  ]);
  const events = responseEvents(responseBody([messageItem('Never ends')]));
  const parts = await partsOf(events.slice(0, -1));
  expect(parts.map((part) => part.type)).not.toContain('finish');
  expect(parts.map((part) => part.type)).not.toContain('error');
});

it('stream: response.failed and error events are error parts by code; a broken stream is upstream_stream_error', async () => {
  const failed = responseEvents(
    responseBody([], { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Slow down.' } }),
  );
  expect(codeOf((await partsOf(failed)).at(-1))).toBe('upstream_rate_limited');
  // The openai SDK raises an `error` event as an APIError without a status, its body the event.
  const event = { type: 'error', code: 'server_error', message: 'Oops', param: null, sequence_number: 3 };
  const thrown = new APIError(undefined, event, undefined, new Headers());
  expect(codeOf((await partsOf([], thrown)).at(-1))).toBe('upstream_error');
  expect(codeOf((await partsOf([event])).at(-1))).toBe('upstream_error');
  expect(codeOf((await partsOf([], new Error('socket hang up'))).at(-1))).toBe('upstream_stream_error');
});

it('a function call whose arguments come only whole (at output_item.done) still gets them', async () => {
  const item = functionCallItem(CALLS[0] ?? { id: '', name: '', arguments: '' });
  const parts = await partsOf([
    { type: 'response.output_item.added', output_index: 0, item: { ...item, arguments: '' }, sequence_number: 0 },
    { type: 'response.output_item.done', output_index: 0, item, sequence_number: 1 },
  ]);
  expect(parts).toEqual([
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
  ]);
});

it('chat completions: completion_tokens_details.reasoning_tokens is reasoningTokens', () => {
  expect(toUsage(usage({ prompt: 10, completion: 8, reasoning: 5 }))).toEqual({
    inputTokens: 10,
    outputTokens: 8,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 5,
  });
});

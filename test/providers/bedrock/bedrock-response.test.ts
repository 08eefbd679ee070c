import type { ConverseResponse, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { toChatResult } from '../../../lambdas/providers/bedrock/bedrock-response.js';
import { toStreamParts } from '../../../lambdas/providers/bedrock/bedrock-stream-parts.js';
import { toFinishReason, toUsage } from '../../../lambdas/providers/bedrock/bedrock-usage.js';
import type { StreamPart } from '../../../lambdas/providers/types.js';

// Converse answers and ConverseStream events → the canonical result and stream parts (no network).

const response = (content: ConverseResponse['output'], extra: Partial<ConverseResponse> = {}): ConverseResponse => ({
  output: content,
  stopReason: 'end_turn',
  usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
  metrics: { latencyMs: 1 },
  ...extra,
});

async function partsOf(events: ConverseStreamOutput[]): Promise<StreamPart[]> {
  async function* source() {
    yield* events;
  }
  const out: StreamPart[] = [];
  for await (const part of toStreamParts(source(), { provider: 'bedrock' })) out.push(part);
  return out;
}

it.each([
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['max_tokens', 'length'],
  ['model_context_window_exceeded', 'length'],
  ['tool_use', 'tool_calls'],
  ['guardrail_intervened', 'content_filter'],
  ['content_filtered', 'content_filter'],
  ['malformed_model_output', 'stop'],
  [undefined, 'stop'],
])('stopReason %s → finish_reason %s', (reason, finish) => {
  expect(toFinishReason(reason)).toBe(finish);
});

it('usage: every input token counted (uncached + read + written); the one-hour writes from cacheDetails', () => {
  expect(
    toUsage({
      inputTokens: 10,
      outputTokens: 2,
      totalTokens: 1162,
      cacheReadInputTokens: 1000,
      cacheWriteInputTokens: 150,
      cacheDetails: [
        { ttl: '1h', inputTokens: 100 },
        { ttl: '5m', inputTokens: 50 },
      ],
    }),
  ).toEqual({
    inputTokens: 1160,
    outputTokens: 2,
    cachedInputTokens: 1000,
    cacheWriteTokens: 150,
    cacheWrite1hTokens: 100,
  });
  expect(toUsage({ inputTokens: undefined, outputTokens: 2, totalTokens: 2 })).toMatchObject({
    unreported: ['inputTokens'],
  });
});

it('an answer: texts joined, reasoning (signed and redacted) in order and placed among the tool calls', () => {
  const result = toChatResult(
    response({
      message: {
        role: 'assistant',
        content: [
          { reasoningContent: { reasoningText: { text: 'first', signature: 's1' } } },
          { text: 'A' },
          { toolUse: { toolUseId: 't1', name: 'f', input: { x: 1 } } },
          { reasoningContent: { redactedContent: new Uint8Array([1, 2, 3]) } },
          { text: 'B' },
        ],
      },
    }),
  );
  expect(result).toMatchObject({
    content: 'AB',
    toolCalls: [{ id: 't1', name: 'f', arguments: '{"x":1}' }],
    reasoning: [
      { type: 'thinking', thinking: 'first', signature: 's1' },
      { type: 'redacted_thinking', data: 'AQID' },
    ],
    reasoningAfterToolCalls: [0, 1],
  });
});

it('an answer without an output message is not one (answerOf turns this into upstream_invalid_response)', () => {
  expect(() => toChatResult(response(undefined))).toThrow(TypeError);
});

it('stream: a tool call without input gets "{}"; the metadata after messageStop gives the usage', async () => {
  const parts = await partsOf([
    { messageStart: { role: 'assistant' } },
    { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't', name: 'now' } } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { messageStop: { stopReason: 'tool_use' } },
    { metadata: { usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, metrics: { latencyMs: 1 } } },
  ]);
  expect(parts).toEqual([
    { type: 'tool-call-start', index: 0, id: 't', name: 'now' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    { type: 'finish', finishReason: 'tool_calls' },
    { type: 'usage', usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0 } },
  ]);
});

it('stream: a failure after messageStop loses only the usage (the answer is whole)', async () => {
  async function* source(): AsyncGenerator<ConverseStreamOutput> {
    yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'done' } } };
    yield { messageStop: { stopReason: 'end_turn' } };
    throw Object.assign(new Error('reset'), { name: 'Error' });
  }
  const out: StreamPart[] = [];
  for await (const part of toStreamParts(source(), { provider: 'bedrock' })) out.push(part);
  expect(out).toEqual([
    { type: 'text-delta', delta: 'done' },
    { type: 'finish', finishReason: 'stop' },
  ]);
});

it('stream: a broken connection before messageStop is upstream_stream_error', async () => {
  async function* source(): AsyncGenerator<ConverseStreamOutput> {
    yield { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'hal' } } };
    throw new Error('socket hang up');
  }
  const out: StreamPart[] = [];
  for await (const part of toStreamParts(source(), { provider: 'bedrock' })) out.push(part);
  expect(out.at(-1)).toEqual({ type: 'error', error: expect.objectContaining({ code: 'upstream_stream_error' }) });
});

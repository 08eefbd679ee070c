import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { encodeStream, type StreamEnd } from '../../../lambdas/formats/sse-stream.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { AnthropicStreamEncoder } from '../../../lambdas/formats/anthropic-messages/anthropic-event-stream.js';
import type { StreamPart, Usage } from '../../../lambdas/providers/types.js';
import { estimateInputTokens } from '../../../lambdas/usage/estimate.js';
import { expectSequentialBlocks } from '../../helpers/anthropic-events.js';

// Stream parts → Anthropic SSE events: block numbering and order, parallel tool calls (in turn and interleaved),
// stop reasons, usage, failures, and the books closed before the client sees the usage.

interface Event {
  readonly event: string;
  readonly data: { type: string; index?: number; [key: string]: unknown };
}

const request: ChatRequest = {
  model: 'target',
  messages: [{ role: 'user', content: 'Weather in Paris and Tokyo?' }],
  max_completion_tokens: 100,
};
const meta = { id: 'msg_test1', created: 1, alias: 'target', requestId: 'req-1' };
const USAGE: Usage = { inputTokens: 1110, outputTokens: 40, cachedInputTokens: 1000, cacheWriteTokens: 100 };

function parse(frame: string): Event {
  const match = /^event: (\S+)\ndata: (.*)\n\n$/s.exec(frame);
  if (match === null) throw new Error(`not one SSE event: ${JSON.stringify(frame)}`);
  const data = JSON.parse(match[2] ?? '') as Event['data'];
  expect(data.type).toBe(match[1]);
  return { event: match[1] ?? '', data };
}

/** Runs parts through the encoder; `seen` fills as frames go out, so a part source can look at what left before it. */
async function run(
  parts: (seen: Event[]) => AsyncIterable<StreamPart>,
  onEnd: StreamEnd = async () => undefined,
): Promise<Event[]> {
  const seen: Event[] = [];
  for await (const frame of encodeStream(parts(seen), new AnthropicStreamEncoder(request, meta), onEnd))
    seen.push(parse(frame));
  return seen;
}

const of = (list: readonly StreamPart[]) =>
  async function* (): AsyncGenerator<StreamPart> {
    yield* list;
  };

const call = (index: number, id: string, args: readonly string[]): StreamPart[] => [
  { type: 'tool-call-start', index, id, name: 'get_weather' },
  ...args.map((argumentsDelta): StreamPart => ({ type: 'tool-call-delta', index, argumentsDelta })),
];

/** Each block's events in order, and its text or reassembled JSON. */
function blocks(events: readonly Event[]): { index: number; kind: string; body: string; order: string[] }[] {
  const out = new Map<number, { index: number; kind: string; body: string; order: string[] }>();
  for (const { data } of events) {
    if (data.index === undefined) continue;
    const block = out.get(data.index) ?? { index: data.index, kind: '', body: '', order: [] };
    block.order.push(data.type);
    if (data.type === 'content_block_start') block.kind = (data.content_block as { type: string }).type;
    if (data.type === 'content_block_delta') {
      const delta = data.delta as { text?: string; partial_json?: string };
      block.body += delta.text ?? delta.partial_json ?? '';
    }
    out.set(data.index, block);
  }
  return [...out.values()];
}

it('text then two tool calls in turn: blocks 0, 1, 2 in order, message_delta with tool_use and usage, message_stop last', async () => {
  const events = await run(
    of([
      { type: 'text-delta', delta: 'Let me ' },
      { type: 'text-delta', delta: 'check.' },
      ...call(0, 'call_1', ['{"city":', '"Paris"}']),
      ...call(1, 'call_2', ['{"city":"Tōkyō"}']),
      { type: 'finish', finishReason: 'tool_calls' },
      { type: 'usage', usage: USAGE },
    ]),
  );
  expect(events[0]?.data).toMatchObject({
    type: 'message_start',
    message: { id: 'msg_test1', model: 'target', role: 'assistant', content: [] },
  });
  expectSequentialBlocks(events.map((e) => e.data as unknown as RawMessageStreamEvent));
  expect(blocks(events).map(({ index, kind, body }) => [index, kind, body])).toEqual([
    [0, 'text', 'Let me check.'],
    [1, 'tool_use', '{"city":"Paris"}'],
    [2, 'tool_use', '{"city":"Tōkyō"}'],
  ]);
  expect(events.find((e) => e.data.type === 'content_block_start' && e.data.index === 1)?.data.content_block).toEqual({
    type: 'tool_use',
    id: 'call_1',
    name: 'get_weather',
    input: {},
    caller: { type: 'direct' },
  });
  expect(events.slice(-2).map((e) => e.data)).toEqual([
    {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null, stop_details: null, container: null },
      usage: {
        input_tokens: 10,
        output_tokens: 40,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 1000,
        output_tokens_details: null,
        server_tool_use: null,
      },
    },
    { type: 'message_stop' },
  ]);
});

it('calls streamed in turn go out live: a call closes as the next starts once its arguments are a JSON object', async () => {
  const events = await run((seen) =>
    (async function* (): AsyncGenerator<StreamPart> {
      yield* call(0, 'call_1', ['{"city":', '"Paris"}']);
      yield* call(1, 'call_2', ['{"city":']);
      // Before call 2 ends, the client already has call 1 whole and call 2 begun.
      expect(seen.map((e) => `${e.data.type}:${e.data.index ?? ''}`)).toEqual([
        'message_start:',
        'content_block_start:0',
        'content_block_delta:0',
        'content_block_delta:0',
        'content_block_stop:0',
        'content_block_start:1',
        'content_block_delta:1',
      ]);
      yield { type: 'tool-call-delta', index: 1, argumentsDelta: '"Tokyo"}' };
      yield { type: 'finish', finishReason: 'tool_calls' };
    })(),
  );
  expectSequentialBlocks(events.map((e) => e.data as unknown as RawMessageStreamEvent));
});

it('interleaved parallel calls (as an OpenAI upstream may send them) become whole blocks, one after the other', async () => {
  const events = await run(
    of([
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-start', index: 1, id: 'call_2', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"Tokyo"}' },
      { type: 'finish', finishReason: 'tool_calls' },
    ]),
  );
  expectSequentialBlocks(events.map((e) => e.data as unknown as RawMessageStreamEvent));
  expect(blocks(events).map(({ body }) => JSON.parse(body) as unknown)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
});

it.each([
  [{ type: 'finish', finishReason: 'stop' }, 'end_turn', null],
  [{ type: 'finish', finishReason: 'stop', stopSequence: '###' }, 'stop_sequence', '###'],
  [{ type: 'finish', finishReason: 'length' }, 'max_tokens', null],
  [{ type: 'finish', finishReason: 'content_filter' }, 'refusal', null],
] as const)('%j → stop_reason %s', async (finish, reason, sequence) => {
  const events = await run(of([{ type: 'text-delta', delta: 'x' }, finish]));
  expect(events.at(-2)?.data.delta).toMatchObject({ stop_reason: reason, stop_sequence: sequence });
});

it('message_start carries the input estimate; without provider usage message_delta carries the estimate the ledger records', async () => {
  const events = await run(
    of([
      { type: 'text-delta', delta: 'twelve chars' },
      { type: 'finish', finishReason: 'stop' },
    ]),
  );
  const input = estimateInputTokens(request);
  expect(events[0]?.data.message).toMatchObject({ usage: { input_tokens: input, output_tokens: 0 } });
  expect(events.at(-2)?.data.usage).toMatchObject({
    input_tokens: input,
    output_tokens: 3,
    cache_read_input_tokens: 0,
  });
});

it("message_start carries the provider's early input counts and 0 output tokens (clients add message_delta's)", async () => {
  const early: Usage = { inputTokens: 31, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0 };
  const events = await run(
    of([
      { type: 'usage', usage: early, partial: true },
      { type: 'text-delta', delta: 'hi' },
      { type: 'finish', finishReason: 'stop' },
      { type: 'usage', usage: { ...early, outputTokens: 17 } },
    ]),
  );
  expect(events[0]?.data.message).toMatchObject({ usage: { input_tokens: 31, output_tokens: 0 } });
  expect(events.at(-2)?.data.usage).toMatchObject({ input_tokens: 31, output_tokens: 17 });
});

it('a failure after content: an Anthropic error event the SDK reads, no message_delta or message_stop, books closed as failed', async () => {
  const ends: boolean[] = [];
  const failure = new GatewayError({ code: 'upstream_overloaded', message: 'Provider upstream is overloaded.' });
  const events = await run(
    of([
      { type: 'text-delta', delta: 'partial' },
      { type: 'error', error: failure },
    ]),
    async ({ failed }) => void ends.push(failed),
  );
  expect(events.at(-1)).toEqual({
    event: 'error',
    data: {
      type: 'error',
      error: {
        type: 'overloaded_error',
        message: 'Provider upstream is overloaded.',
        details: { error_code: 'upstream_overloaded' },
      },
      request_id: 'req-1',
    },
  });
  expect(events.map((e) => e.data.type)).not.toContain('message_stop');
  expect(ends).toEqual([true]);
});

it('the books are closed before the usage goes out; if they cannot be, an error event instead of message_delta', async () => {
  const order: string[] = [];
  const events = await run(
    (seen) =>
      (async function* (): AsyncGenerator<StreamPart> {
        yield { type: 'text-delta', delta: 'ok' };
        yield { type: 'finish', finishReason: 'stop' };
        yield { type: 'usage', usage: USAGE };
        order.push(`parts done, ${seen.length} events out`);
      })(),
    async () => {
      order.push('books');
      throw new GatewayError({ code: 'ledger_unavailable', message: 'withheld' });
    },
  );
  expect(order).toEqual(['parts done, 4 events out', 'books']);
  expect(events.map((e) => e.event)).toEqual([
    'message_start',
    'content_block_start',
    'content_block_delta',
    'content_block_stop',
    'error',
  ]);
  expect(events.at(-1)?.data.error).toMatchObject({ type: 'api_error', details: { error_code: 'ledger_unavailable' } });
});

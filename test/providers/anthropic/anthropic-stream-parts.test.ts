import { APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { toStreamParts } from '../../../lambdas/providers/anthropic/anthropic-stream-parts.js';
import type { StreamPart } from '../../../lambdas/providers/types.js';
import { events, textEvents, toolUseEvents, usage, type SseEvent } from '../../fakes/fake-anthropic.js';

/** The events as the SDK's iterator yields them (data only); `failure` is thrown after the last one. */
async function* source(list: readonly SseEvent[], failure?: unknown): AsyncGenerator<RawMessageStreamEvent> {
  for (const event of list) yield event.data as RawMessageStreamEvent;
  if (failure !== undefined) throw failure;
}

async function collect(list: readonly SseEvent[], failure?: unknown, signal?: AbortSignal): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of toStreamParts(source(list, failure), {
    provider: 'claude',
    ...(signal === undefined ? {} : { signal }),
  })) {
    parts.push(part);
  }
  return parts;
}

const text = (parts: readonly StreamPart[]): string =>
  parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');
const argumentsOf = (parts: readonly StreamPart[], index: number): string =>
  parts.map((p) => (p.type === 'tool-call-delta' && p.index === index ? p.argumentsDelta : '')).join('');
const errorOf = (parts: readonly StreamPart[]) => {
  const last = parts.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error part last, got ${JSON.stringify(last)}`);
  return last.error;
};

describe('Anthropic stream transform', () => {
  it('streams text, then finish, then usage (input from message_start, output from message_delta)', async () => {
    const parts = await collect(textEvents('Hello, wörld 🌍!', { parts: 3, usage: usage({ input: 9, output: 6 }) }));
    expect(text(parts)).toBe('Hello, wörld 🌍!');
    expect(parts.filter((p) => p.type === 'text-delta')).toHaveLength(3);
    expect(parts.slice(-2)).toEqual([
      { type: 'finish', finishReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 6, cachedInputTokens: 0, cacheWriteTokens: 0 } },
    ]);
  });

  it('emits text that arrives in content_block_start', async () => {
    const start: SseEvent = {
      event: 'content_block_start',
      data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: 'Hi', citations: null } },
    };
    const parts = await collect([
      events.messageStart(),
      start,
      events.blockStop(0),
      events.messageDelta('end_turn'),
      events.messageStop(),
    ]);
    expect(parts[1]).toEqual({ type: 'text-delta', delta: 'Hi' });
  });

  it('counts cache tokens from message_start when message_delta leaves them null', async () => {
    const start = events.messageStart({ usage: usage({ input: 4, cacheWrite: 100, cacheRead: 2000 }) });
    const delta: SseEvent = {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null, stop_details: null, container: null },
        usage: {
          input_tokens: null,
          output_tokens: 50,
          cache_creation_input_tokens: null,
          cache_read_input_tokens: null,
          output_tokens_details: null,
          server_tool_use: null,
        },
      },
    };
    const parts = await collect([start, ...events.text(0, ['x']), delta, events.messageStop()]);
    expect(parts.slice(-2)).toEqual([
      { type: 'finish', finishReason: 'length' },
      { type: 'usage', usage: { inputTokens: 2104, outputTokens: 50, cachedInputTokens: 2000, cacheWriteTokens: 100 } },
    ]);
  });

  it('numbers parallel tool calls 0, 1 over tool_use blocks only, following interleaved deltas', async () => {
    const parts = await collect([
      events.messageStart(),
      ...events.thinking(0, 'Two cities, two calls.'),
      ...events.text(1, ['Checking both.']),
      events.toolUseStart(2, { id: 'toolu_A', name: 'get_weather' }),
      events.toolUseStart(3, { id: 'toolu_B', name: 'get_time' }),
      events.inputJson(3, '{"tz":'),
      events.inputJson(2, '{"city":'),
      events.inputJson(2, '"Paris"}'),
      events.inputJson(3, '"Asia/Tokyo"}'),
      events.blockStop(2),
      events.blockStop(3),
      events.messageDelta('tool_use'),
      events.messageStop(),
    ]);
    expect(parts.filter((p) => p.type === 'tool-call-start')).toEqual([
      { type: 'tool-call-start', index: 0, id: 'toolu_A', name: 'get_weather' },
      { type: 'tool-call-start', index: 1, id: 'toolu_B', name: 'get_time' },
    ]);
    expect(argumentsOf(parts, 0)).toBe('{"city":"Paris"}');
    expect(argumentsOf(parts, 1)).toBe('{"tz":"Asia/Tokyo"}');
    expect(text(parts)).toBe('Checking both.');
    expect(parts.find((p) => p.type === 'finish')).toEqual({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('gives sequential tool_use blocks after a text block the indices 0 and 1', async () => {
    const parts = await collect(toolUseEvents());
    expect(
      parts.filter((p) => p.type === 'tool-call-start').map((p) => (p.type === 'tool-call-start' ? p.index : -1)),
    ).toEqual([0, 1]);
    expect(JSON.parse(argumentsOf(parts, 1))).toEqual({ location: 'Tōkyō 東京', unit: 'celsius' });
  });

  it('gives a tool call that streamed no arguments "{}"', async () => {
    const parts = await collect([
      events.messageStart(),
      events.toolUseStart(0, { id: 'toolu_now', name: 'now' }),
      events.inputJson(0, ''),
      events.blockStop(0),
      events.messageDelta('tool_use'),
      events.messageStop(),
    ]);
    expect(parts.filter((p) => p.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    ]);
  });

  it('ignores ping and event types it does not know; thinking is reasoning parts before the text', async () => {
    const parts = await collect([
      events.messageStart(),
      events.ping(),
      events.unknown('content_block_annotation'),
      ...events.thinking(0, 'hmm'),
      ...events.text(1, ['Answer']),
      events.ping(),
      events.messageDelta('end_turn'),
      events.messageStop(),
    ]);
    // The partial usage just before the first content carries message_start's counts; the final one replaces it.
    expect(parts.map((p) => p.type)).toEqual([
      'usage',
      'reasoning-delta',
      'reasoning-signature',
      'text-delta',
      'finish',
      'usage',
    ]);
  });

  it('ends with one error part at an error event after content, and reads no further', async () => {
    const parts = await collect([
      events.messageStart(),
      ...events.text(0, ['Partial']).slice(0, -1),
      events.error('overloaded_error'),
      events.messageStop(),
    ]);
    expect(parts.map((p) => p.type)).toEqual(['usage', 'text-delta', 'error']);
    expect(errorOf(parts)).toMatchObject({ status: 502, code: 'upstream_overloaded' });
  });

  it.each([
    ['overloaded_error', 502, 'upstream_overloaded'],
    ['api_error', 502, 'upstream_error'],
    ['rate_limit_error', 429, 'upstream_rate_limited'],
    ['some_new_error', 502, 'upstream_error'],
  ])('maps an %s event, as the SDK throws it, to %i %s without the provider text', async (type, status, code) => {
    const body = { type: 'error', error: { type, message: 'secret upstream detail' } };
    const parts = await collect(
      [events.messageStart(), ...events.text(0, ['a'])],
      new APIError(undefined, body, undefined, undefined),
    );
    const error = errorOf(parts);
    expect(error).toMatchObject({ status, code });
    expect(error.message).not.toContain('secret upstream detail');
  });

  it('turns a failing SDK iterator (dropped connection, malformed SSE) into a 502 upstream_stream_error part', async () => {
    for (const failure of [new TypeError('terminated'), new SyntaxError('Unexpected end of JSON input')]) {
      const parts = await collect([events.messageStart(), ...events.text(0, ['a', 'b'])], failure);
      expect(text(parts)).toBe('ab');
      expect(errorOf(parts)).toMatchObject({ status: 502, code: 'upstream_stream_error' });
    }
  });

  it('reports a stream that ends before message_stop as truncated, keeping the counts message_start reported', async () => {
    const parts = await collect([
      events.messageStart({ usage: usage({ input: 77 }) }),
      ...events.text(0, ['a']),
      events.messageDelta('end_turn'),
    ]);
    expect(parts.map((p) => p.type)).toEqual(['usage', 'text-delta', 'error']);
    expect(parts[0]).toMatchObject({ type: 'usage', partial: true, usage: { inputTokens: 77 } });
    expect(errorOf(parts)).toMatchObject({ status: 502, code: 'upstream_stream_truncated' });
  });

  it('rethrows an abort, including one the SDK swallowed by ending quietly', async () => {
    await expect(collect([events.messageStart()], new APIUserAbortError())).rejects.toBeInstanceOf(APIUserAbortError);
    const controller = new AbortController();
    controller.abort();
    await expect(
      collect([events.messageStart(), ...events.text(0, ['a'])], undefined, controller.signal),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* endless(): AsyncGenerator<RawMessageStreamEvent> {
      try {
        yield events.messageStart().data as RawMessageStreamEvent;
        for (;;) yield events.text(0, ['x'])[1]?.data as RawMessageStreamEvent;
      } finally {
        closed = true;
      }
    }
    for await (const part of toStreamParts(endless(), { provider: 'claude' })) {
      if (part.type === 'text-delta') break;
    }
    expect(closed).toBe(true);
  });
});

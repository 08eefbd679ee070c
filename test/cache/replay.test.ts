import { replayed, replayParts, textPieces } from '../../lambdas/cache/replay-parts.js';
import { recordParts } from '../../lambdas/cache/stream-recorder.js';
import type { ChatResult, StreamPart } from '../../lambdas/providers/types.js';

// A stored answer replayed as stream parts, and a stream's parts recorded as an answer: the two agree.
const USAGE = { inputTokens: 10, outputTokens: 20, cachedInputTokens: 0, cacheWriteTokens: 0 };

async function roundTrip(result: ChatResult): Promise<ChatResult | undefined> {
  const recorded = recordParts(replayed(replayParts(result)));
  let usage;
  for await (const part of recorded.parts) if (part.type === 'usage') usage = part.usage;
  return recorded.result(usage);
}

describe('replay and record', () => {
  it('text in pieces, never splitting a surrogate pair', () => {
    const text = `${'a'.repeat(255)}😀${'b'.repeat(300)}`;
    const pieces = textPieces(text);
    expect(pieces.join('')).toBe(text);
    expect(pieces[0]?.endsWith('😀')).toBe(true);
    expect(pieces.every((piece) => piece.length <= 257)).toBe(true);
  });

  it('text, finish and usage round-trip; the usage comes after the finish', async () => {
    const result: ChatResult = {
      content: 'x'.repeat(600),
      refusal: null,
      toolCalls: [],
      finishReason: 'length',
      usage: USAGE,
    };
    expect(await roundTrip(result)).toEqual(result);
    expect(
      replayParts(result)
        .map((p) => p.type)
        .slice(-2),
    ).toEqual(['finish', 'usage']);
  });

  it('reasoning blocks keep their place among the tool calls; signatures and redacted blocks kept', async () => {
    const result: ChatResult = {
      content: null,
      refusal: null,
      toolCalls: [
        { id: 'c1', name: 'one', arguments: '{"a":1}' },
        { id: 'c2', name: 'two', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
      stopSequence: undefined,
      usage: USAGE,
      reasoning: [
        { type: 'thinking', thinking: 'first', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'thinking', thinking: 'after the first call', signature: 'sig-3' },
      ],
      reasoningAfterToolCalls: [0, 0, 1],
    };
    const { stopSequence: _, ...expected } = result;
    expect(await roundTrip(result)).toEqual(expected);
  });

  it('an OpenAI reasoning item round-trips with its summary parts and encrypted content', async () => {
    const result: ChatResult = {
      content: 'answer',
      refusal: null,
      toolCalls: [],
      finishReason: 'stop',
      usage: USAGE,
      reasoning: [{ type: 'openai_reasoning', id: 'rs_1', summary: ['one', 'two'], encrypted_content: 'enc' }],
      reasoningAfterToolCalls: [0],
    };
    expect(await roundTrip(result)).toEqual(result);
  });

  it('hosted tool runs and citations round-trip, each where it stood in the text', async () => {
    const before = 'x'.repeat(300);
    const cited = 'cited words';
    const result: ChatResult = {
      content: `${before}${cited}.`,
      refusal: null,
      toolCalls: [],
      finishReason: 'stop',
      usage: USAGE,
      hosted: [
        { at: 300, id: 'ws_1', tool: 'web_search', query: 'q', openai: { type: 'web_search_call', id: 'ws_1' } },
      ],
      citations: [{ start: 300, end: 300 + cited.length, url: 'https://example.com/a', title: 'A' }],
    };
    const parts = replayParts(result);
    const textBefore = (type: StreamPart['type']): number =>
      parts
        .slice(
          0,
          parts.findIndex((part) => part.type === type),
        )
        .reduce((sum, part) => sum + (part.type === 'text-delta' ? part.delta.length : 0), 0);
    expect(textBefore('hosted-call')).toBe(300);
    expect(textBefore('citation')).toBe(result.content?.length);
    expect(await roundTrip(result)).toEqual(result);
  });

  it('a cut, failed or filtered stream records no answer', async () => {
    const record = async (parts: StreamPart[]) => {
      const recorded = recordParts(replayed(parts));
      for await (const part of recorded.parts) void part;
      return recorded.result(USAGE);
    };
    expect(await record([{ type: 'text-delta', delta: 'cut' }])).toBeUndefined();
    const error = { type: 'error', error: new Error('x') } as unknown as StreamPart;
    expect(
      await record([{ type: 'text-delta', delta: 'a' }, error, { type: 'finish', finishReason: 'stop' }]),
    ).toBeUndefined();
    expect(await record([{ type: 'finish', finishReason: 'content_filter' }])).toBeUndefined();
  });
});

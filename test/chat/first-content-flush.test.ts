import { flushAfterFirstContent } from '../../lambdas/chat/first-content-flush.js';
import type { StreamPart } from '../../lambdas/providers/types.js';

// A fast upstream's whole stream can sit in one read: without a turn of the event loop after the first token, the
// response's corked write (released on the next tick, which waits for the promise jobs) would carry it with the last.

async function* allAtOnce(parts: readonly StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}

const PARTS: readonly StreamPart[] = [
  { type: 'usage', usage: { inputTokens: 3, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 } },
  { type: 'text-delta', delta: 'Hel' },
  { type: 'text-delta', delta: 'lo' },
  { type: 'finish', finishReason: 'stop' },
];

/** What the consumer saw, with "turn" where a macrotask scheduled at each part ran before the next part came. */
async function observe(parts: AsyncIterable<StreamPart>): Promise<string[]> {
  const seen: string[] = [];
  for await (const part of parts) {
    seen.push(part.type === 'text-delta' ? `text ${part.delta}` : part.type);
    setImmediate(() => seen.push('turn'));
  }
  return seen.filter((entry, i) => entry !== 'turn' || seen.indexOf('turn') === i);
}

describe('flushAfterFirstContent', () => {
  it('gives the event loop one turn after the first content part, and only then', async () => {
    const seen = await observe(flushAfterFirstContent(allAtOnce(PARTS)));
    expect(seen).toEqual(['usage', 'text Hel', 'turn', 'text lo', 'finish']);
  });

  it('passes every part, in order, unchanged', async () => {
    const out: StreamPart[] = [];
    for await (const part of flushAfterFirstContent(allAtOnce(PARTS))) out.push(part);
    expect(out).toEqual(PARTS);
  });

  it('counts a tool call or reasoning as the first token too', async () => {
    const seen = await observe(
      flushAfterFirstContent(
        allAtOnce([
          { type: 'tool-call-start', index: 0, id: 'c1', name: 'f' },
          { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
        ]),
      ),
    );
    expect(seen).toEqual(['tool-call-start', 'turn', 'tool-call-delta']);
  });

  it("a consumer that stops early ends the upstream's iterator", async () => {
    let ended = false;
    async function* upstream(): AsyncGenerator<StreamPart> {
      try {
        yield* PARTS;
      } finally {
        ended = true;
      }
    }
    for await (const part of flushAfterFirstContent(upstream())) if (part.type === 'text-delta') break;
    expect(ended).toBe(true);
  });
});

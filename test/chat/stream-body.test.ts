import type { Readable } from 'node:stream';
import { streamBody } from '../../lambdas/chat/stream-body.js';
import type { StreamEnd } from '../../lambdas/formats/sse-stream.js';

type Outcome = Parameters<StreamEnd>[0];

/** Frames like encodeStream's: they call `end` once they ran to their end, or in `finally` when left mid-way. */
function framesOf(texts: readonly string[]): (end: StreamEnd) => AsyncGenerator<string> {
  return async function* frames(end) {
    let done = false;
    try {
      for (const text of texts) yield text;
      done = true;
      await end({
        usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0 },
        failed: false,
      });
    } finally {
      if (!done) await end({ usage: undefined, failed: true });
    }
  };
}

function setup(texts: readonly string[], end: (outcome: Outcome) => Promise<void> = async () => undefined) {
  const ends: Outcome[] = [];
  const seen = { stopped: 0, unsettled: [] as unknown[] };
  const body = streamBody(
    framesOf(texts),
    async (outcome) => {
      ends.push(outcome);
      await end(outcome);
    },
    () => (seen.stopped += 1),
    (err) => seen.unsettled.push(err),
  );
  return { body, ends, seen };
}

const closed = (body: Readable): Promise<void> =>
  new Promise((resolve) => (body.closed ? resolve() : body.once('close', () => resolve())));
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

describe("streamBody: a stream's end is settled once, whichever way it goes", () => {
  it('read to its end: one end with the usage, the upstream left alone', async () => {
    const { body, ends, seen } = setup(['a', 'b']);
    let text = '';
    for await (const chunk of body) text += String(chunk);
    await closed(body);
    await settle();
    expect(text).toBe('ab');
    expect(ends).toEqual([{ usage: expect.objectContaining({ outputTokens: 2 }), failed: false }]);
    expect(seen.stopped).toBe(0);
  });

  it('destroyed before its first read: its frames never run, the close settles it as failed and stops the upstream', async () => {
    const { body, ends, seen } = setup(['a', 'b']);
    body.destroy();
    await closed(body);
    await settle();
    expect(ends).toEqual([{ usage: undefined, failed: true }]);
    expect(seen.stopped).toBe(1);
  });

  it('left mid-way: the frames settle it (once), the upstream is stopped', async () => {
    const { body, ends, seen } = setup(['a', 'b', 'c']);
    for await (const chunk of body) {
      expect(String(chunk)).toBe('a');
      break;
    }
    await closed(body);
    await settle();
    expect(ends).toEqual([{ usage: undefined, failed: true }]);
    expect(seen.stopped).toBe(1);
  });

  it('an end that fails after the body closed unread is reported, not thrown', async () => {
    const failure = new Error('ledger unavailable');
    const { body, seen } = setup(['a'], async () => {
      throw failure;
    });
    body.destroy();
    await closed(body);
    await settle();
    expect(seen.unsettled).toEqual([failure]);
  });
});

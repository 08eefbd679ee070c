import { GatewayError } from '../../lambdas/core/errors.js';
import { committedStream, type StartedStream } from '../../lambdas/routing/committed-stream.js';
import type { Try } from '../../lambdas/routing/try.js';
import type { StreamPart } from '../../lambdas/providers/types.js';

const text = (delta: string): StreamPart => ({ type: 'text-delta', delta });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An upstream whose parts arrive after the given pauses (ms), then finishes (unless `finish` is false) and ends. */
function started(pauses: readonly number[], finish = true): StartedStream {
  async function* rest(): AsyncGenerator<StreamPart> {
    for (const [i, pause] of pauses.entries()) {
      await sleep(pause);
      yield text(String(i + 1));
    }
    if (finish) yield { type: 'finish', finishReason: 'stop' };
  }
  return { first: text('0'), rest: rest() };
}

/** The winning try, as the router hands it over: only its abort and dispose are used here. */
function fakeTry(): Try<StartedStream> & { readonly aborts: string[]; disposed: number } {
  return {
    aborts: [],
    disposed: 0,
    outcome: new Promise<never>(() => undefined),
    signal: new AbortController().signal,
    abort(why) {
      this.aborts.push(why);
    },
    dispose() {
      this.disposed += 1;
    },
  };
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('the committed stream idle timeout', () => {
  it('restarts at every part: a slow but steady stream longer than idleMs in all is not cut', async () => {
    const winner = fakeTry();
    // Five gaps of 40 ms (200 ms in all) under a 200 ms idle limit.
    const parts = await collect(committedStream(started([40, 40, 40, 40, 40]), winner, 'p', 200));
    expect(parts.map((p) => (p.type === 'text-delta' ? p.delta : p.type))).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      'finish',
    ]);
    expect(winner.aborts).toEqual([]);
    expect(winner.disposed).toBe(1);
  });

  it('a silence longer than idleMs ends it with a 504 error part and aborts the upstream', async () => {
    const winner = fakeTry();
    const parts = await collect(committedStream(started([10, 400]), winner, 'p', 100));
    expect(parts.slice(0, 2).map((p) => (p.type === 'text-delta' ? p.delta : p.type))).toEqual(['0', '1']);
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { status: 504, code: 'upstream_idle_timeout' } });
    expect(winner.aborts[0]).toBe('timeout');
  });

  it('a slow reader is not an idle upstream: the clock runs only while waiting for the upstream', async () => {
    const winner = fakeTry();
    const seen: string[] = [];
    for await (const part of committedStream(started([10, 10]), winner, 'p', 100)) {
      if (part.type === 'text-delta') seen.push(part.delta);
      await sleep(250);
    }
    expect(seen).toEqual(['0', '1', '2']);
    expect(winner.aborts).toEqual([]);
  });
});

describe('a committed stream never ends cleanly after a cut', () => {
  const deadline = new GatewayError({ message: 'deadline', code: 'request_deadline_exceeded' });
  class Deadline extends Error {}
  const cutBy = (controller: AbortController) => ({
    signal: controller.signal,
    errorOf: (reason: unknown) => (reason instanceof Deadline ? deadline : undefined),
  });
  const shape = (parts: StreamPart[]) =>
    parts.map((p) => (p.type === 'text-delta' ? p.delta : p.type === 'error' ? p.error.code : p.type));

  it('an upstream that ends without a finish part → a 502 upstream_stream_truncated error part', async () => {
    const winner = fakeTry();
    const parts = await collect(committedStream(started([5, 5], false), winner, 'p', 1000));
    expect(shape(parts)).toEqual(['0', '1', '2', 'upstream_stream_truncated']);
    expect(parts.at(-1)).toMatchObject({ error: { status: 502 } });
  });

  it('the request cut (its deadline) while waiting on the upstream → its error part at once, the upstream aborted', async () => {
    const winner = fakeTry();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Deadline()), 50);
    const parts = await collect(committedStream(started([5, 300]), winner, 'p', 10_000, cutBy(controller)));
    expect(shape(parts)).toEqual(['0', '1', 'request_deadline_exceeded']);
    expect(winner.aborts).toEqual(['lost']);
  });

  it('the request cut while the reader was away (slow reader) → the error part at the next read', async () => {
    const winner = fakeTry();
    const controller = new AbortController();
    const out: StreamPart[] = [];
    for await (const part of committedStream(started([1, 1, 1]), winner, 'p', 10_000, cutBy(controller))) {
      out.push(part);
      if (out.length === 2) controller.abort(new Deadline());
    }
    expect(shape(out)).toEqual(['0', '1', 'request_deadline_exceeded']);
  });

  it('a cut nobody is told of (the client left) → the stream throws: no error part, no clean end', async () => {
    const winner = fakeTry();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('client gone')), 30);
    await expect(collect(committedStream(started([5, 300]), winner, 'p', 10_000, cutBy(controller)))).rejects.toThrow(
      'client gone',
    );
    expect(winner.aborts).toEqual(['lost']);
  });
});

import { Readable } from 'node:stream';
import type { StreamEnd } from '../formats/sse-stream.js';

/**
 * A stream's response body, whose end is settled once whichever way it goes. `encode(end)` makes the SSE frames and
 * calls `end` when the stream finishes, fails, or is left mid-way (formats/sse-stream.ts). The body's close covers the rest:
 * `stopUpstream` runs when it closes without the stream having ended well (the client left, or the stream failed:
 * either way nothing more is wanted upstream), and a body destroyed before its first read — its frames never ran —
 * has its `end` called there, with no usage and as failed. A failure of that last `end` goes to `onUnsettled`:
 * nobody else is waiting for it.
 */
export function streamBody(
  encode: (end: StreamEnd) => AsyncIterable<string>,
  end: StreamEnd,
  stopUpstream: () => void,
  onUnsettled: (err: unknown) => void,
): Readable {
  let ended = false;
  let completed = false;
  const endOnce: StreamEnd = async (outcome) => {
    if (ended) return;
    ended = true;
    completed = !outcome.failed;
    await end(outcome);
  };
  const body = Readable.from(encode(endOnce), { objectMode: false });
  body.once('close', () => {
    if (!completed) stopUpstream();
    if (!ended) endOnce({ usage: undefined, failed: true }).catch(onUnsettled);
  });
  return body;
}

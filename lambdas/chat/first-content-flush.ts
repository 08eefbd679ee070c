import { setImmediate as nextTurn } from 'node:timers/promises';
import type { StreamPart } from '../providers/types.js';

/** A part the client sees as the answer's first token: text, a refusal, reasoning or a tool call's start. */
const isContent = (part: StreamPart): boolean =>
  part.type === 'text-delta' ||
  part.type === 'refusal-delta' ||
  part.type === 'reasoning-delta' ||
  part.type === 'reasoning-redacted' ||
  part.type === 'tool-call-start';

/**
 * The parts as they come, with one turn of the event loop after the first content part has gone to the encoder:
 * Node's HTTP writes are corked until the next tick, and ticks queued from promise jobs run only once the job queue is
 * empty — so when an upstream read holds many events (a fast or batched upstream: role, first deltas, usage and the
 * end in one segment), the first token would leave with the last. The turn lets the response (Lambda's response
 * stream or the local socket) send it first. Afterwards the parts pass straight through: no per-part cost.
 */
export function flushAfterFirstContent(parts: AsyncIterable<StreamPart>): AsyncIterable<StreamPart> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<StreamPart> {
      const inner = parts[Symbol.asyncIterator]();
      let state: 'waiting' | 'due' | 'done' = 'waiting';
      const watch = (result: IteratorResult<StreamPart>): IteratorResult<StreamPart> => {
        if (!result.done && state === 'waiting' && isContent(result.value)) state = 'due';
        return result;
      };
      return {
        next: () => {
          if (state === 'due') {
            state = 'done';
            return nextTurn().then(() => inner.next());
          }
          return state === 'done' ? inner.next() : inner.next().then(watch);
        },
        return: (value?: unknown) =>
          inner.return?.(value) ?? Promise.resolve({ done: true, value: undefined } as IteratorResult<StreamPart>),
      };
    },
  };
}

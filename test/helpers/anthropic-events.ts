import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';

/** Every event of a raw @anthropic-ai/sdk stream (`messages.create({ stream: true })`). */
export async function collectEvents(stream: AsyncIterable<RawMessageStreamEvent>): Promise<RawMessageStreamEvent[]> {
  const events: RawMessageStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** The input JSON a tool_use block at `index` streamed, parsed. */
export function toolInputOf(events: readonly RawMessageStreamEvent[], index: number): unknown {
  const json = events
    .flatMap((e) =>
      e.type === 'content_block_delta' && e.index === index && e.delta.type === 'input_json_delta'
        ? [e.delta.partial_json]
        : [],
    )
    .join('');
  return JSON.parse(json);
}

/** Blocks numbered 0, 1, 2… and sent one after another, as Anthropic streams them: no block starts before the last stopped. */
export function expectSequentialBlocks(events: readonly RawMessageStreamEvent[]): void {
  let open: number | undefined;
  let next = 0;
  for (const event of events) {
    if (event.type === 'content_block_start') {
      expect({ starting: event.index, open }).toEqual({ starting: next, open: undefined });
      open = event.index;
      next += 1;
    } else if (event.type === 'content_block_delta') expect(event.index).toBe(open);
    else if (event.type === 'content_block_stop') {
      expect(event.index).toBe(open);
      open = undefined;
    }
  }
  expect(open).toBeUndefined();
}

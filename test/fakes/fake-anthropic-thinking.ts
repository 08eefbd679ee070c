/**
 * Extended thinking for the fake Anthropic (fake-anthropic.ts): content blocks and stream events as Anthropic sends
 * them with `thinking` enabled, typed against the SDK's types.
 *
 *  - `thinkingBlock(text, signature)`, `redactedThinkingBlock(data)`: blocks of a Message (`message([...])`).
 *  - `thinkingEvents(index, pieces, signature)`: content_block_start `{thinking: '', signature: ''}`, a thinking_delta
 *    per piece, one signature_delta, content_block_stop. `redactedThinkingEvents(index, data)`: start (with data), stop.
 *  - `interleavedThinkingEvents(steps)`: a whole stream (message_start … message_stop, stop_reason tool_use when a
 *    step is a tool call) of thinking, redacted_thinking, text and tool_use blocks in the order given — e.g.
 *    thinking → tool_use → thinking → tool_use, as Anthropic streams with interleaved thinking.
 *  - `thinkingOnlyEvents(pieces)`: message_start and a thinking block's deltas, nothing after (for a cut stream).
 */
import type {
  RawMessageStreamEvent,
  RedactedThinkingBlock,
  ThinkingBlock,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import { events, usage, type SseEvent, type ToolUseSpec } from './fake-anthropic.js';

/** A signature as Anthropic's look: long base64, with `+`, `/` and `=` (so a byte cut or an escape would show). */
export const SIGNATURE =
  'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds+/Zq7vXfQ0r9Lk2M3nP4sT5uV6wX7yZ8aB9cD0eF1gH2iJ3kL4mN5oP6qR7s==';
export const SIGNATURE_2 = 'ErUBCkYIBxgCIkB2c2lnbmF0dXJlLXR3by1mb3ItdGhlLXNlY29uZC1ibG9jay0wMTIzNDU2Nzg5+/abc=';
export const REDACTED_DATA =
  'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB8URv2SmTEa/redacted==';

export const thinkingBlock = (thinking: string, signature = SIGNATURE): ThinkingBlock => ({
  type: 'thinking',
  thinking,
  signature,
});

export const redactedThinkingBlock = (data = REDACTED_DATA): RedactedThinkingBlock => ({
  type: 'redacted_thinking',
  data,
});

/** Typed against the SDK's event types, so these cannot drift from the wire format it describes. */
const ev = (data: RawMessageStreamEvent): SseEvent => ({ event: data.type, data });

export function thinkingEvents(index: number, pieces: readonly string[], signature = SIGNATURE): SseEvent[] {
  return [
    ev({ type: 'content_block_start', index, content_block: thinkingBlock('', '') }),
    ...pieces.map((thinking) =>
      ev({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } }),
    ),
    ev({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature } }),
    events.blockStop(index),
  ];
}

export const redactedThinkingEvents = (index: number, redacted = REDACTED_DATA): SseEvent[] => [
  ev({ type: 'content_block_start', index, content_block: redactedThinkingBlock(redacted) }),
  events.blockStop(index),
];

export type ThinkingStep =
  | { readonly thinking: readonly string[]; readonly signature?: string }
  | { readonly redacted: string }
  | { readonly text: readonly string[] }
  | { readonly tool: ToolUseSpec };

export function interleavedThinkingEvents(steps: readonly ThinkingStep[], u: Usage = usage()): SseEvent[] {
  const blocks = steps.flatMap((step, index): SseEvent[] => {
    if ('thinking' in step) return thinkingEvents(index, step.thinking, step.signature);
    if ('redacted' in step) return redactedThinkingEvents(index, step.redacted);
    if ('text' in step) return events.text(index, step.text);
    return events.toolUse(index, step.tool);
  });
  const tools = steps.some((step) => 'tool' in step);
  return [
    events.messageStart({ usage: u }),
    ...blocks,
    events.messageDelta(tools ? 'tool_use' : 'end_turn', u),
    events.messageStop(),
  ];
}

export const thinkingOnlyEvents = (pieces: readonly string[]): SseEvent[] => [
  events.messageStart(),
  ...thinkingEvents(0, pieces).slice(0, -2),
];

import type { Citation, HostedCall } from '../providers/hosted-tools.js';
import type { ChatResult, ReasoningBlock, StreamPart } from '../providers/types.js';

/** Text is replayed in pieces of about this many characters (a piece never splits a surrogate pair). */
export const REPLAY_CHUNK_CHARS = 256;

/** `text` in pieces of about `size` characters, none ending inside a surrogate pair. */
export function textPieces(text: string, size: number = REPLAY_CHUNK_CHARS): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

function blockParts(block: ReasoningBlock, index: number): StreamPart[] {
  switch (block.type) {
    case 'thinking':
      return [
        ...textPieces(block.thinking).map((delta): StreamPart => ({ type: 'reasoning-delta', index, delta })),
        ...(block.signature === ''
          ? []
          : [{ type: 'reasoning-signature' as const, index, signature: block.signature }]),
      ];
    case 'redacted_thinking':
      return [{ type: 'reasoning-redacted', index, data: block.data }];
    case 'openai_reasoning':
      return [
        ...block.summary.flatMap((text, summaryIndex) =>
          textPieces(text).map((delta): StreamPart => ({ type: 'reasoning-delta', index, delta, summaryIndex })),
        ),
        {
          type: 'reasoning-item',
          index,
          id: block.id,
          summary: block.summary,
          ...(block.encrypted_content === undefined ? {} : { encrypted_content: block.encrypted_content }),
        },
      ];
  }
}

/**
 * The text in pieces with the hosted tool runs where they stood (`at`: the text streamed before each) and each
 * citation right after the piece that completes the text it cites, as a provider streams them.
 */
function textParts(text: string, hosted: readonly HostedCall[], citations: readonly Citation[]): StreamPart[] {
  const parts: StreamPart[] = [];
  const waiting = [...citations];
  let sent = 0;
  const cite = (): void => {
    while (waiting.length > 0 && (waiting[0]?.end ?? 0) <= sent) {
      const citation = waiting.shift();
      if (citation !== undefined) parts.push({ type: 'citation', citation });
    }
  };
  const sendTo = (end: number): void => {
    for (const delta of textPieces(text.slice(sent, Math.max(sent, end)))) {
      parts.push({ type: 'text-delta', delta });
      sent += delta.length;
      cite();
    }
  };
  for (const call of hosted) {
    sendTo(Math.min(call.at, text.length));
    parts.push({ type: 'hosted-call', call });
  }
  sendTo(text.length);
  for (const citation of waiting) parts.push({ type: 'citation', citation });
  return parts;
}

/**
 * A stored answer as the stream parts a provider would have sent, for the formats' stream encoders: reasoning blocks
 * where they stood among the tool calls (reasoningAfterToolCalls), the refusal or the text in pieces (hosted tool
 * runs and citations where they stood in it), each tool call
 * whole, the finish, then the usage. No delay between parts: a hit replays as fast as the client reads.
 */
export function replayParts(result: ChatResult): StreamPart[] {
  const blocks = result.reasoning ?? [];
  const after = (i: number): number => result.reasoningAfterToolCalls?.[i] ?? 0;
  const reasoningAt = (calls: number): StreamPart[] =>
    blocks.flatMap((block, i) => (after(i) === calls ? blockParts(block, i) : []));
  const parts: StreamPart[] = [...reasoningAt(0)];
  if (result.refusal !== null && result.refusal !== '') parts.push({ type: 'refusal-delta', delta: result.refusal });
  parts.push(...textParts(result.content ?? '', result.hosted ?? [], result.citations ?? []));
  result.toolCalls.forEach((call, index) => {
    parts.push({ type: 'tool-call-start', index, id: call.id, name: call.name });
    if (call.arguments !== '') parts.push({ type: 'tool-call-delta', index, argumentsDelta: call.arguments });
    parts.push(...reasoningAt(index + 1));
  });
  parts.push({
    type: 'finish',
    finishReason: result.finishReason,
    ...(result.stopSequence === undefined ? {} : { stopSequence: result.stopSequence }),
  });
  if (result.usage !== undefined) parts.push({ type: 'usage', usage: result.usage });
  return parts;
}

/** The parts one by one, as an async stream. */
export async function* replayed(parts: readonly StreamPart[]): AsyncGenerator<StreamPart> {
  for (const part of parts) yield part;
}

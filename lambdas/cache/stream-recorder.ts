import type { Citation, HostedCall } from '../providers/hosted-tools.js';
import type { ChatResult, FinishReason, ReasoningBlock, StreamPart, ToolCall, Usage } from '../providers/types.js';

/** Reasoning of a stream, by block index, as it arrives. */
interface BlockDraft {
  thinking: string;
  signature: string;
  done?: ReasoningBlock;
  afterCalls: number;
}

/**
 * Passes a stream's parts through while putting its answer together (what the client was sent: the parts after the
 * plan's output redaction), so a complete stream can be cached. `result()` is undefined for a stream without a finish
 * or with an error part (cut or failed), and for one that ended on a content filter. Provider-hosted tool runs and
 * the text's citations are kept as they came (they are in the cache key, so their replay must carry them).
 */
export function recordParts(parts: AsyncIterable<StreamPart>): {
  parts: AsyncGenerator<StreamPart>;
  result: (usage: Usage | undefined) => ChatResult | undefined;
} {
  let text = '';
  let refusal = '';
  let finish: { finishReason: FinishReason; stopSequence?: string | undefined } | undefined;
  let failed = false;
  const calls: { id: string; name: string; arguments: string }[] = [];
  const callAt = new Map<number, { id: string; name: string; arguments: string }>();
  const blocks = new Map<number, BlockDraft>();
  const hosted: HostedCall[] = [];
  const citations: Citation[] = [];
  const block = (index: number): BlockDraft => {
    let draft = blocks.get(index);
    if (draft === undefined) {
      draft = { thinking: '', signature: '', afterCalls: calls.length };
      blocks.set(index, draft);
    }
    return draft;
  };
  const record = (part: StreamPart): void => {
    switch (part.type) {
      case 'text-delta':
        text += part.delta;
        break;
      case 'refusal-delta':
        refusal += part.delta;
        break;
      case 'reasoning-delta':
        // An OpenAI reasoning item's summary comes whole with its reasoning-item part; this is a thinking block's text.
        block(part.index).thinking += part.delta;
        break;
      case 'reasoning-signature':
        block(part.index).signature = part.signature;
        break;
      case 'reasoning-redacted':
        block(part.index).done = { type: 'redacted_thinking', data: part.data };
        break;
      case 'reasoning-item':
        block(part.index).done = {
          type: 'openai_reasoning',
          id: part.id,
          summary: part.summary,
          ...(part.encrypted_content === undefined ? {} : { encrypted_content: part.encrypted_content }),
        };
        break;
      case 'tool-call-start': {
        const call = { id: part.id, name: part.name, arguments: '' };
        calls.push(call);
        callAt.set(part.index, call);
        break;
      }
      case 'tool-call-delta': {
        const call = callAt.get(part.index);
        if (call !== undefined) call.arguments += part.argumentsDelta;
        break;
      }
      case 'finish':
        finish = { finishReason: part.finishReason, stopSequence: part.stopSequence };
        break;
      case 'error':
        failed = true;
        break;
      case 'hosted-call':
        hosted.push(part.call);
        break;
      case 'citation':
        citations.push(part.citation);
        break;
      case 'usage':
        break;
    }
  };
  async function* pass(): AsyncGenerator<StreamPart> {
    for await (const part of parts) {
      record(part);
      yield part;
    }
  }
  return {
    parts: pass(),
    result: (usage) => {
      if (failed || finish === undefined || finish.finishReason === 'content_filter') return undefined;
      const ordered = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, draft]) => draft);
      const reasoning = ordered.map(
        (draft): ReasoningBlock =>
          draft.done ?? { type: 'thinking', thinking: draft.thinking, signature: draft.signature },
      );
      const toolCalls: ToolCall[] = calls.map((call) => ({ ...call }));
      return {
        content: text === '' && (toolCalls.length > 0 || refusal !== '') ? null : text,
        refusal: refusal === '' ? null : refusal,
        toolCalls,
        finishReason: finish.finishReason,
        ...(finish.stopSequence === undefined ? {} : { stopSequence: finish.stopSequence }),
        usage,
        ...(reasoning.length === 0
          ? {}
          : { reasoning, reasoningAfterToolCalls: ordered.map((draft) => draft.afterCalls) }),
        ...(hosted.length === 0 ? {} : { hosted }),
        ...(citations.length === 0 ? {} : { citations }),
      };
    },
  };
}

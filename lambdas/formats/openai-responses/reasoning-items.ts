import type { ResponseReasoningItem } from 'openai/resources/responses/responses';
import type { ThinkingBlock } from '../../api/chat-content-schemas.js';
import type { ReasoningItem } from '../../api/responses-input-schemas.js';
import type { ReasoningBlock } from '../../providers/types.js';
import { responseIdOfItem } from './response-ids.js';
import { isWrapped, unwrapReasoning, wrapReasoning } from './reasoning-wrap.js';

/**
 * Reasoning blocks ⇄ the Responses API's `reasoning` items, both ways:
 * - out: an OpenAI item (`openai_reasoning`) as it came; a `thinking` block as an item whose summary is its text; a
 *   `redacted_thinking` block as an item without summary. `encrypted_content` is there when `reveal` (the request's
 *   include has `reasoning.encrypted_content`; stored responses always): OpenAI's own, or the gateway's wrapping of a
 *   signed thinking or redacted block (reasoning-wrap.ts). Unsigned thinking (an OpenAI-compatible server's
 *   reasoning_content) has nothing to carry back.
 * - in: a gateway-wrapped item → the original block; any other item → an `openai_reasoning` block (only an OpenAI
 *   target takes it back). An item with one of the gateway's ids and nothing to carry is left out (undefined).
 */
export function reasoningOutputItem(id: string, block: ReasoningBlock, reveal: boolean): ResponseReasoningItem {
  const summary = summaryOf(block).map((text) => ({ type: 'summary_text' as const, text }));
  const encrypted = reveal ? encryptedOf(block) : undefined;
  return {
    id: block.type === 'openai_reasoning' && block.id !== '' ? block.id : id,
    type: 'reasoning',
    summary,
    ...(encrypted === undefined ? {} : { encrypted_content: encrypted }),
  };
}

export function summaryOf(block: ReasoningBlock): string[] {
  if (block.type === 'openai_reasoning') return [...block.summary];
  if (block.type === 'thinking') return block.thinking === '' ? [] : [block.thinking];
  return [];
}

function encryptedOf(block: ReasoningBlock): string | undefined {
  if (block.type === 'openai_reasoning') return block.encrypted_content;
  if (block.type === 'redacted_thinking') return wrapReasoning({ type: 'redacted_thinking', data: block.data });
  return block.signature === ''
    ? undefined
    : wrapReasoning({ type: 'thinking', thinking: block.thinking, signature: block.signature });
}

export function reasoningBlockOf(item: ReasoningItem, param: string): ThinkingBlock | undefined {
  const encrypted = item.encrypted_content ?? undefined;
  if (encrypted !== undefined && isWrapped(encrypted)) return unwrapReasoning(encrypted, `${param}.encrypted_content`);
  // One of the gateway's own ids names no item OpenAI knows: without encrypted content nothing can be carried.
  const ours = item.id !== undefined && responseIdOfItem(item.id) !== undefined;
  if (ours && encrypted === undefined) return undefined;
  return {
    type: 'openai_reasoning',
    id: ours ? '' : (item.id ?? ''),
    summary: item.summary.map((part) => part.text),
    ...(encrypted === undefined ? {} : { encrypted_content: encrypted }),
  };
}

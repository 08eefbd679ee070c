import type { RawMessageStreamEvent, TextCitation } from '@anthropic-ai/sdk/resources/messages';
import type { StreamPart } from '../types.js';
import { citationsOf, hostedCallOf } from './server-tools.js';

/**
 * Server tools in an Anthropic stream (anthropic-stream-parts.ts): a `server_tool_use` block (its input whole at the
 * start, or in input_json_delta events) and its result block (whole at its start) → one `hosted-call` part once the
 * result came, placed by the text streamed before the use; a text block's citations_delta events → `citation` parts
 * at the block's stop, over the block's range of the whole text.
 */
type Raw = Record<string, unknown>;

export class ServerBlocks {
  /** The text streamed so far (UTF-16 code units). */
  private text = 0;
  private readonly uses = new Map<number, { block: Raw; json: string; at: number }>();
  private readonly texts = new Map<number, { start: number; citations: TextCitation[] }>();

  onText(delta: string): void {
    this.text += delta.length;
  }

  accept(event: RawMessageStreamEvent): StreamPart[] {
    switch (event.type) {
      case 'content_block_start': {
        const block = event.content_block as unknown as Raw;
        if (block.type === 'text') this.texts.set(event.index, { start: this.text, citations: [] });
        if (block.type === 'server_tool_use') this.uses.set(event.index, { block, json: '', at: this.text });
        if (typeof block.type === 'string' && block.type.endsWith('_tool_result') && 'tool_use_id' in block)
          return this.result(block);
        return [];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'input_json_delta') {
          const use = this.uses.get(event.index);
          if (use !== undefined) use.json += delta.partial_json;
        } else if (delta.type === 'citations_delta') {
          this.texts.get(event.index)?.citations.push(delta.citation);
        }
        return [];
      }
      case 'content_block_stop': {
        const text = this.texts.get(event.index);
        if (text === undefined) return [];
        this.texts.delete(event.index);
        return citationsOf(text.citations, text.start, this.text).map((citation) => ({ type: 'citation', citation }));
      }
      default:
        return [];
    }
  }

  /** Whether block `index` is a server tool's use (its input_json_delta is not a tool call's). */
  isServerBlock(index: number): boolean {
    return this.uses.has(index);
  }

  private result(block: Raw): StreamPart[] {
    for (const [index, use] of this.uses) {
      if (use.block.id !== block.tool_use_id) continue;
      this.uses.delete(index);
      const input = use.json === '' ? use.block.input : parsed(use.json);
      return [{ type: 'hosted-call', call: hostedCallOf({ ...use.block, input }, block, use.at) }];
    }
    return [];
  }
}

function parsed(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}

import type { ContentBlock, RawContentBlockDelta, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '../../api/chat-schemas.js';
import type { AnswerMeta } from '../chat-encoding.js';
import type { ContentPart, StreamEncoder } from '../sse-stream.js';
import { anthropicErrorBody } from './anthropic-error-body.js';
import type { GatewayError } from '../../core/errors.js';
import type { FinishReason, Usage } from '../../providers/types.js';
import { estimateInputTokens, meterUsage, type ProducedOutput } from '../../usage/estimate.js';
import {
  anthropicUsage,
  deltaUsage,
  refusalDetails,
  textBlock,
  toolUseBlock,
  toStopReason,
} from './anthropic-message.js';

/**
 * Stream parts → Anthropic's SSE events: message_start, then per content block content_block_start →
 * content_block_delta (text_delta | input_json_delta | thinking_delta, signature_delta) → content_block_stop, then
 * message_delta (stop_reason, stop_sequence, cumulative usage) and message_stop; a failure is an `event: error`
 * (which @anthropic-ai/sdk raises) and the stream ends.
 *
 * Server tool blocks (server_tool_use, web_search_tool_result…) go out whole, each a start and a stop; a citation is a
 * citations_delta on the text block it cites, which then closes.
 *
 * A thinking block starts as Anthropic's do (`{thinking: '', signature: ''}`), its text in thinking_delta events and
 * its signature in a signature_delta; a redacted_thinking block is its start (with `data`) and its stop.
 *
 * Blocks are numbered 0, 1, 2… in the order they start — text, thinking and tool_use alike — and go out one after
 * another, as Anthropic's do (clients may keep only "the current block"). A block closes when a later one starts: a
 * text or thinking block at once; a tool_use block once its arguments form a JSON object (more text could only break
 * it), otherwise at the finish. A block that starts while an earlier one is still open waits, buffered, and follows
 * it: so an upstream that interleaves parallel tool calls (OpenAI may) still yields whole, ordered blocks; one that
 * streams them in turn (Anthropic, OpenAI in practice) streams each live.
 *
 * message_start's usage is the provider's own input counts when it gave them before its content (Anthropic's
 * message_start), otherwise the gateway's input estimate, and 0 output tokens;
 * message_delta carries the counts the ledger records — the provider's, with the estimate for any it left out.
 */
interface Block {
  /** Its index on the wire. */
  readonly index: number;
  readonly tool?: { readonly id: string; readonly name: string };
  /** A reasoning block: thinking (text and signature) or redacted_thinking (its data, whole at the start). */
  readonly reasoning?: { readonly type: 'thinking' } | { readonly type: 'redacted_thinking'; readonly data: string };
  /** A thinking block's signature not sent yet. */
  pendingSignature?: string | undefined;
  /** A server tool's block (server_tool_use, web_search_tool_result…), sent whole at its start. */
  readonly server?: ContentBlock;
  /** A text block's citations not sent yet (citations_delta). */
  pendingCitations?: unknown[];
  /** All the block's text (or thinking) or argument JSON so far. */
  text: string;
  /** What has not gone out yet. */
  pending: string;
  started: boolean;
  complete: boolean;
}

const frame = (event: RawMessageStreamEvent): string => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const isText = (block: Block): boolean =>
  block.tool === undefined && block.reasoning === undefined && block.server === undefined;

/** A block's content_block_start: empty, as Anthropic starts them (a redacted_thinking block whole). */
function startOf(block: Block): ContentBlock {
  if (block.server !== undefined) return block.server;
  if (block.tool !== undefined) return toolUseBlock(block.tool, {});
  if (block.reasoning?.type === 'thinking') return { type: 'thinking', thinking: '', signature: '' };
  if (block.reasoning?.type === 'redacted_thinking') return { type: 'redacted_thinking', data: block.reasoning.data };
  return textBlock('');
}

function deltaOf(block: Block, text: string): RawContentBlockDelta {
  if (block.tool !== undefined) return { type: 'input_json_delta', partial_json: text };
  if (block.reasoning !== undefined) return { type: 'thinking_delta', thinking: text };
  return { type: 'text_delta', text };
}

export class AnthropicStreamEncoder implements StreamEncoder {
  private readonly blocks: Block[] = [];
  private readonly toolBlocks = new Map<number, Block>();
  private readonly reasoningBlocks = new Map<number, Block>();
  /** Blocks before this one are closed on the wire. */
  private live = 0;
  private finish: { reason: FinishReason; stopSequence: string | undefined } | undefined;
  /** OpenAI's refusal text: not a content block, it ends the message as stop_reason `refusal` (as a Message does). */
  private refusal = '';

  constructor(
    private readonly request: ChatRequest,
    private readonly meta: AnswerMeta,
  ) {}

  open(reported?: Usage): string[] {
    // Input counts only: nothing is produced yet (Anthropic's own message_start says 1 output token, which clients
    // that add message_start's count to message_delta's cumulative one, like LangChain, would count twice).
    const estimate: Usage = {
      ...(reported ?? {
        inputTokens: estimateInputTokens(this.request),
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
      }),
      outputTokens: 0,
    };
    return [
      frame({
        type: 'message_start',
        message: {
          id: this.meta.id,
          type: 'message',
          role: 'assistant',
          model: this.meta.alias,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          stop_details: null,
          container: null,
          diagnostics: null,
          usage: anthropicUsage(estimate),
        },
      }),
    ];
  }

  part(part: ContentPart): string[] {
    switch (part.type) {
      case 'text-delta': {
        const last = this.blocks.at(-1);
        const block = last !== undefined && isText(last) && !last.complete ? last : this.add(undefined);
        block.text += part.delta;
        block.pending += part.delta;
        break;
      }
      case 'refusal-delta':
        this.refusal += part.delta;
        break;
      case 'reasoning-delta': {
        const block = this.thinkingBlock(part.index);
        block.text += part.delta;
        block.pending += part.delta;
        break;
      }
      case 'reasoning-signature':
        this.thinkingBlock(part.index).pendingSignature = part.signature;
        break;
      case 'reasoning-item':
        // An OpenAI reasoning item: its summary came as reasoning-delta text; Anthropic has no place for the rest.
        this.thinkingBlock(part.index).pendingSignature = '';
        break;
      case 'reasoning-redacted':
        this.add(undefined, { type: 'redacted_thinking', data: part.data }).complete = true;
        break;
      case 'tool-call-start':
        this.toolBlocks.set(part.index, this.add({ id: part.id, name: part.name }));
        break;
      case 'tool-call-delta': {
        const block = this.toolBlocks.get(part.index);
        // A block already closed had a whole JSON object: nothing valid can follow it.
        if (block === undefined || block.index < this.live) break;
        block.text += part.argumentsDelta;
        block.pending += part.argumentsDelta;
        break;
      }
      case 'hosted-call':
        // A server tool's blocks as Anthropic sent them (server_tool_use, its result), each whole.
        for (const raw of part.call.anthropic ?? []) this.add(undefined, undefined, raw as unknown as ContentBlock);
        break;
      case 'citation': {
        // On the text block it cites (text after it starts a new block, as Anthropic's cited blocks stand alone).
        const block = this.blocks.findLast(isText);
        if (block === undefined || block.index < this.live) break;
        (block.pendingCitations ??= []).push(part.citation.anthropic ?? part.citation);
        block.complete = true;
        break;
      }
      case 'finish':
        this.finish = { reason: part.finishReason, stopSequence: part.stopSequence };
        for (const block of this.blocks) block.complete = true;
        break;
    }
    return this.flush();
  }

  close(usage: Usage | undefined): string[] {
    for (const block of this.blocks) block.complete = true;
    const last = this.flush();
    // As metered for the ledger: a count the provider left out (or all of them) is the estimate, not 0.
    const reported = meterUsage(usage, this.request, this.produced()).usage;
    const reason = this.finish?.reason ?? 'stop';
    const stopSequence = this.finish?.stopSequence;
    const refused = this.refusal !== '' || reason === 'content_filter';
    return [
      ...last,
      frame({
        type: 'message_delta',
        delta: {
          stop_reason: refused ? 'refusal' : toStopReason(reason, stopSequence),
          stop_sequence: stopSequence ?? null,
          stop_details: refused ? refusalDetails(this.refusal === '' ? null : this.refusal) : null,
          container: null,
        },
        usage: deltaUsage(reported),
      }),
      frame({ type: 'message_stop' }),
    ];
  }

  failure(error: GatewayError): string {
    return `event: error\ndata: ${JSON.stringify(anthropicErrorBody(error, this.meta.requestId))}\n\n`;
  }

  /** Reasoning block `index`'s thinking block; a new one when it has none, or when its own is closed on the wire. */
  private thinkingBlock(index: number): Block {
    const known = this.reasoningBlocks.get(index);
    if (known !== undefined && known.index >= this.live && !known.complete) return known;
    const block = this.add(undefined, { type: 'thinking' });
    this.reasoningBlocks.set(index, block);
    return block;
  }

  /** A new block; the ones before it that can take nothing more are complete. */
  private add(tool: Block['tool'], reasoning?: Block['reasoning'], server?: ContentBlock): Block {
    for (const earlier of this.blocks) {
      if (!earlier.complete && (earlier.tool === undefined || isJsonObject(earlier.text))) earlier.complete = true;
    }
    const block: Block = {
      index: this.blocks.length,
      ...(tool === undefined ? {} : { tool }),
      ...(reasoning === undefined ? {} : { reasoning }),
      ...(server === undefined ? {} : { server }),
      text: '',
      pending: '',
      started: false,
      complete: server !== undefined,
    };
    this.blocks.push(block);
    return block;
  }

  /** Sends what can go out: the live block's start and pending text, its stop once complete, then the next block's. */
  private flush(): string[] {
    const out: string[] = [];
    for (let block = this.blocks[this.live]; block !== undefined; block = this.blocks[(this.live += 1)]) {
      const index = block.index;
      if (!block.started) {
        block.started = true;
        out.push(frame({ type: 'content_block_start', index, content_block: startOf(block) }));
      }
      if (block.pending !== '') {
        out.push(frame({ type: 'content_block_delta', index, delta: deltaOf(block, block.pending) }));
        block.pending = '';
      }
      for (const citation of block.pendingCitations?.splice(0) ?? []) {
        const delta = { type: 'citations_delta', citation } as unknown as RawContentBlockDelta;
        out.push(frame({ type: 'content_block_delta', index, delta }));
      }
      if (block.pendingSignature !== undefined) {
        const delta = { type: 'signature_delta' as const, signature: block.pendingSignature };
        out.push(frame({ type: 'content_block_delta', index, delta }));
        block.pendingSignature = undefined;
      }
      if (!block.complete) break;
      out.push(frame({ type: 'content_block_stop', index }));
    }
    return out;
  }

  private produced(): ProducedOutput {
    const joined = (keep: (block: Block) => boolean): string =>
      this.blocks
        .filter(keep)
        .map((block) => block.text)
        .join('');
    return {
      text: joined(isText) + this.refusal,
      toolCalls: this.blocks.flatMap((block) =>
        block.tool === undefined ? [] : [{ name: block.tool.name, arguments: block.text }],
      ),
      reasoning: joined((block) => block.reasoning !== undefined),
    };
  }
}

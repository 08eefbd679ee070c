import type { ReasoningBlock, StreamPart } from '../../providers/types.js';

/**
 * One reasoning item of a Responses stream, as its parts arrive: Anthropic thinking (`reasoning-delta`… then
 * `reasoning-signature`), redacted thinking (one `reasoning-redacted`), an OpenAI-compatible server's reasoning text
 * (deltas only), an OpenAI reasoning item (deltas by `summaryIndex`, then `reasoning-item`). Its events, as OpenAI
 * streams a reasoning item between output_item.added and output_item.done: per summary part
 * reasoning_summary_part.added → reasoning_summary_text.delta… → reasoning_summary_text.done →
 * reasoning_summary_part.done. The item keeps the gateway's id from its first event to its last (clients key their
 * state by it); an OpenAI item's own id is not needed to carry it back (its encrypted_content is).
 */
export interface ReasoningState {
  readonly kind: 'reasoning';
  readonly id: string;
  /** The output index. */
  readonly index: number;
  /** The stream's reasoning block index (StreamPart `index`). */
  readonly block: number;
  readonly summary: string[];
  /** The summary part open, if any. */
  part: number | undefined;
  signature: string;
  redacted: string | undefined;
  item: Extract<StreamPart, { type: 'reasoning-item' }> | undefined;
  open: boolean;
}

export type Emit = (type: string, fields: Record<string, unknown>) => string;

export const reasoningState = (id: string, index: number, block: number): ReasoningState => ({
  kind: 'reasoning',
  id,
  index,
  block,
  summary: [],
  part: undefined,
  signature: '',
  redacted: undefined,
  item: undefined,
  open: true,
});

/** The block a reasoning item of the stream stands for (so far). */
export function blockOfState(state: ReasoningState): ReasoningBlock {
  if (state.item !== undefined) {
    const { summary, encrypted_content } = state.item;
    return {
      type: 'openai_reasoning',
      id: '',
      summary,
      ...(encrypted_content === undefined ? {} : { encrypted_content }),
    };
  }
  if (state.redacted !== undefined) return { type: 'redacted_thinking', data: state.redacted };
  return { type: 'thinking', thinking: state.summary.join(''), signature: state.signature };
}

const at = (state: ReasoningState, summary: number) => ({
  item_id: state.id,
  output_index: state.index,
  summary_index: summary,
});

function closePart(state: ReasoningState, emit: Emit): string[] {
  const summary = state.part;
  if (summary === undefined) return [];
  state.part = undefined;
  const text = state.summary[summary] ?? '';
  return [
    emit('response.reasoning_summary_text.done', { ...at(state, summary), text }),
    emit('response.reasoning_summary_part.done', { ...at(state, summary), part: { type: 'summary_text', text } }),
  ];
}

/** Summary text: a new summary part opens when the text moves on to another `summaryIndex`. */
export function summaryDelta(state: ReasoningState, delta: string, summary: number, emit: Emit): string[] {
  const out: string[] = [];
  if (state.part !== summary) {
    out.push(...closePart(state, emit));
    state.part = summary;
    state.summary[summary] ??= '';
    out.push(
      emit('response.reasoning_summary_part.added', {
        ...at(state, summary),
        part: { type: 'summary_text', text: '' },
      }),
    );
  }
  state.summary[summary] += delta;
  out.push(emit('response.reasoning_summary_text.delta', { ...at(state, summary), delta }));
  return out;
}

/** The item's open summary part closed, the item itself closed (the caller emits its output_item.done). */
export function endReasoning(state: ReasoningState, emit: Emit): string[] {
  const out = closePart(state, emit);
  state.open = false;
  return out;
}

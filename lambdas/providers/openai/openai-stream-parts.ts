import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { isAbort, streamFailure } from '../upstream-error.js';
import type { StreamPart } from '../types.js';
import { toFinishReason, toUsage } from './openai-response.js';
import { reasoningTextOf } from './reasoning.js';

/** Groq's usage on a stream's last chunk, `x_groq.usage` (github.com/Portkey-AI/gateway/issues/1072). */
function groqUsage(chunk: ChatCompletionChunk): CompletionUsage | undefined {
  const extra = (chunk as { x_groq?: { usage?: CompletionUsage } | null }).x_groq;
  return extra?.usage ?? undefined;
}

/**
 * OpenAI chunks → stream parts. Tool-call indices are renumbered by call id in order of appearance, so an
 * OpenAI-compatible server that sends every parallel call with index 0 still yields distinct indices. An
 * OpenAI-compatible server's reasoning (`delta.reasoning_content` / `delta.reasoning`) is `reasoning-delta` parts: one
 * reasoning block, or a new one each time reasoning resumes after text or a tool call.
 */
export async function* toStreamParts(
  chunks: AsyncIterable<ChatCompletionChunk>,
  provider: string,
): AsyncGenerator<StreamPart> {
  const indexById = new Map<string, number>();
  const indexByUpstream = new Map<number, number>();
  let finished = false;
  // The current reasoning block's number, and whether other content came since it (then reasoning opens the next).
  let reasoningIndex = -1;
  let reasoningOpen = false;
  try {
    for await (const chunk of chunks) {
      for (const choice of chunk.choices) {
        // Azure OpenAI's content-filter annotations come as choices without a delta (content_filter_results,
        // content_filter_offsets: github.com/microsoft/autogen/issues/6465); nothing in them is the answer.
        if (choice.index !== 0) continue;
        const delta: Partial<ChatCompletionChunk.Choice['delta']> = choice.delta ?? {};
        const reasoning = reasoningTextOf(delta);
        if (reasoning !== undefined) {
          if (!reasoningOpen) reasoningIndex += 1;
          reasoningOpen = true;
          yield { type: 'reasoning-delta', index: reasoningIndex, delta: reasoning };
        }
        if (delta.content || delta.refusal || (delta.tool_calls ?? []).length > 0) reasoningOpen = false;
        if (delta.content) yield { type: 'text-delta', delta: delta.content };
        if (delta.refusal) yield { type: 'refusal-delta', delta: delta.refusal };
        for (const call of delta.tool_calls ?? []) {
          let index: number | undefined;
          if (call.id !== undefined && call.id !== '') {
            index = indexById.get(call.id);
            if (index === undefined) {
              index = indexById.size;
              indexById.set(call.id, index);
              indexByUpstream.set(call.index, index);
              yield { type: 'tool-call-start', index, id: call.id, name: call.function?.name ?? '' };
            }
          } else {
            index = indexByUpstream.get(call.index);
          }
          const args = call.function?.arguments;
          if (index !== undefined && args) yield { type: 'tool-call-delta', index, argumentsDelta: args };
        }
        if (choice.finish_reason && !finished) {
          finished = true;
          yield { type: 'finish', finishReason: toFinishReason(choice.finish_reason) };
        }
      }
      const usage = toUsage(chunk.usage ?? groqUsage(chunk));
      if (usage !== undefined) yield { type: 'usage', usage };
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    yield { type: 'error', error: streamFailure(provider) };
  }
}

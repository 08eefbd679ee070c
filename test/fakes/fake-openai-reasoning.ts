/**
 * Reasoning from an OpenAI-compatible server (DeepSeek, vLLM, Groq: `reasoning_content`; OpenRouter, Ollama:
 * `reasoning`) for the fake OpenAI (fake-openai.ts): the model's thinking beside its content, in a message and in
 * stream deltas. OpenAI itself sends neither field in chat completions.
 *
 *  - `reasoningCompletion(reasoning, text, { field })`: textCompletion with the reasoning in `message[field]`;
 *    `withReasoning(body, reasoning, field)` adds it to any completion (e.g. toolCallsCompletion()).
 *  - `reasoningChunks(reasoning, text, { field, parts })`: the role chunk, the reasoning in `parts` deltas of
 *    `delta[field]`, then textChunks' content deltas and finish.
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { textChunks, textCompletion, type BodyOptions } from './fake-openai.js';

export type ReasoningField = 'reasoning_content' | 'reasoning';

/** `body` (e.g. toolCallsCompletion()) with `reasoning` in its message's `field`. */
export function withReasoning(
  body: ChatCompletion,
  reasoning: string,
  field: ReasoningField = 'reasoning_content',
): ChatCompletion {
  return {
    ...body,
    choices: body.choices.map((choice) => ({ ...choice, message: { ...choice.message, [field]: reasoning } })),
  };
}

export function reasoningCompletion(
  reasoning: string,
  text: string,
  options: BodyOptions & { field?: ReasoningField } = {},
): ChatCompletion {
  return withReasoning(textCompletion(text, options), reasoning, options.field);
}

export function reasoningChunks(
  reasoning: string,
  text: string,
  options: { field?: ReasoningField; parts?: number } = {},
): ChatCompletionChunk[] {
  const [role, ...rest] = textChunks(text, { parts: options.parts ?? 3 });
  if (role === undefined) throw new Error('textChunks gave no chunk');
  const chars = [...reasoning];
  const size = Math.max(1, Math.ceil(chars.length / (options.parts ?? 3)));
  const thinking: ChatCompletionChunk[] = [];
  for (let i = 0; i < chars.length; i += size) {
    const piece = chars.slice(i, i + size).join('');
    thinking.push({
      ...role,
      choices: role.choices.map((choice) => ({ ...choice, delta: { [options.field ?? 'reasoning_content']: piece } })),
    });
  }
  return [role, ...thinking, ...rest];
}

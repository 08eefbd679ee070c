/**
 * Reasoning from an OpenAI-compatible server (DeepSeek, vLLM, Groq: `reasoning_content`; OpenRouter, Ollama:
 * `reasoning`) for the fake OpenAI (fake-openai.ts): the model's thinking beside its content, in a message and in
 * stream deltas. OpenAI itself sends neither field in chat completions.
 *
 *  - `reasoningCompletion(reasoning, text, { field })`: textCompletion with the reasoning in `message[field]`.
 *  - `reasoningChunks(reasoning, text, { field, parts })`: the role chunk, the reasoning in `parts` deltas of
 *    `delta[field]`, then textChunks' content deltas and finish.
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { textChunks, textCompletion, type BodyOptions } from './fake-openai.js';

export type ReasoningField = 'reasoning_content' | 'reasoning';

export function reasoningCompletion(
  reasoning: string,
  text: string,
  options: BodyOptions & { field?: ReasoningField } = {},
): ChatCompletion {
  const body = textCompletion(text, options);
  const field = options.field ?? 'reasoning_content';
  return {
    ...body,
    choices: body.choices.map((choice) => ({ ...choice, message: { ...choice.message, [field]: reasoning } })),
  };
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

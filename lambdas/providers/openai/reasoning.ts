/**
 * The reasoning text an OpenAI-compatible server puts beside the content, in a message or a stream delta:
 * `reasoning_content` (DeepSeek, vLLM, Groq, LiteLLM …) or `reasoning` (OpenRouter, Ollama, newer vLLM). A server
 * that sends both sends the same text twice: `reasoning_content` wins. OpenAI itself sends neither in chat
 * completions. Undefined when there is none (absent, null or empty).
 */
export function reasoningTextOf(value: object): string | undefined {
  for (const field of ['reasoning_content', 'reasoning'] as const) {
    const text: unknown = field in value ? (value as Record<typeof field, unknown>)[field] : undefined;
    if (typeof text === 'string' && text !== '') return text;
  }
  return undefined;
}

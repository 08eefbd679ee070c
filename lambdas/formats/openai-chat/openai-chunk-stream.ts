import type { Usage } from '../../providers/types.js';
import type { ProducedOutput } from '../../usage/estimate.js';
import type { ContentPart, StreamEncoder } from '../sse-stream.js';
import { openAIUsage } from './chat-completion.js';
import { openAIErrorBody } from './openai-error-body.js';

interface SseMeta {
  readonly id: string;
  readonly created: number;
  readonly alias: string;
  /** stream_options.include_usage: one more chunk with `choices: []` and the usage, after the finish. */
  readonly includeUsage: boolean;
  /**
   * From the provider's usage and what the stream produced, the usage the client is shown: as the ledger meters it
   * (a count the provider left out is the estimate, not 0). Without it, the provider's usage as reported.
   */
  readonly meter?: (usage: Usage, produced: ProducedOutput) => Usage;
}

const frame = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

/**
 * OpenAI SSE: chat.completion.chunk events, then `data: [DONE]`. The first chunk carries the role; tool calls keep
 * their distinct indices; usage comes last and only when asked for. A failure is an SSE error event (which the
 * openai SDK raises as an APIError) and the stream ends without [DONE]. Reasoning goes out as
 * `delta.reasoning_content`.
 */
export function openAIStreamEncoder(meta: SseMeta): StreamEncoder {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    frame({
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.alias,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      ...(meta.includeUsage ? { usage: null } : {}),
    });
  // What the model produced, for `meter` (joined as the ledger's tally joins it).
  let text = '';
  let reasoning = '';
  const calls = new Map<number, { name: string; arguments: string }>();
  const tally = (part: ContentPart): void => {
    if (part.type === 'text-delta' || part.type === 'refusal-delta') text += part.delta;
    else if (part.type === 'reasoning-delta') reasoning += part.delta;
    else if (part.type === 'tool-call-start') calls.set(part.index, { name: part.name, arguments: '' });
    else if (part.type === 'tool-call-delta') {
      const call = calls.get(part.index);
      if (call !== undefined) call.arguments += part.argumentsDelta;
    }
  };
  const shown = (usage: Usage): Usage =>
    meta.meter?.(usage, { text, toolCalls: [...calls.values()], reasoning }) ?? usage;
  return {
    open: () => [chunk({ role: 'assistant', content: '' })],
    part: (part) => {
      tally(part);
      switch (part.type) {
        case 'text-delta':
          return [chunk({ content: part.delta })];
        case 'refusal-delta':
          return [chunk({ refusal: part.delta })];
        // Reasoning text as DeepSeek streams it (what @ai-sdk/openai-compatible and LangChain read); signatures and
        // redacted blocks have no place in a chunk (JSON answers carry them in `thinking_blocks`).
        case 'reasoning-delta':
          return [chunk({ reasoning_content: part.delta })];
        case 'reasoning-signature':
        case 'reasoning-redacted':
        case 'reasoning-item':
        case 'hosted-call':
        case 'citation':
          return [];
        case 'tool-call-start':
          return [
            chunk({
              tool_calls: [
                { index: part.index, id: part.id, type: 'function', function: { name: part.name, arguments: '' } },
              ],
            }),
          ];
        case 'tool-call-delta':
          return [chunk({ tool_calls: [{ index: part.index, function: { arguments: part.argumentsDelta } }] })];
        case 'finish':
          return [chunk({}, part.finishReason)];
      }
    },
    close: (usage) => [
      ...(meta.includeUsage && usage !== undefined
        ? [
            frame({
              id: meta.id,
              object: 'chat.completion.chunk',
              created: meta.created,
              model: meta.alias,
              choices: [],
              usage: openAIUsage(shown(usage)),
            }),
          ]
        : []),
      'data: [DONE]\n\n',
    ],
    failure: (error) => frame(openAIErrorBody(error)),
  };
}

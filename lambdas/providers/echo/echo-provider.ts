import type { ChatMessage, ChatRequest } from '../../api/chat-schemas.js';
import { estimateUsage, producedOf } from '../../usage/estimate.js';
import type { ChatProvider, ChatResult, ProviderCall, StreamPart } from '../types.js';
import type { EmbedCall, EmbedResult } from '../embedding-types.js';
import { echoEmbed } from './echo-embeddings.js';

/**
 * The echo provider: deterministic answers without any upstream, for trying the gateway without provider keys and
 * for load tests. It repeats the last user message; answers JSON when a JSON response_format is asked for; calls a
 * tool when tool_choice requires one. Its token counts come from the gateway's own estimator (lambdas/usage).
 */
const textOf = (message: ChatMessage | undefined): string => {
  const content = message?.content;
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
};

function answer(request: ChatRequest): Omit<ChatResult, 'usage'> {
  const said = textOf([...request.messages].reverse().find((m) => m.role === 'user'));
  const choice = request.tool_choice;
  const forced =
    choice === 'required'
      ? request.tools?.[0]?.function.name
      : typeof choice === 'object'
        ? choice.function.name
        : undefined;
  if (forced !== undefined) {
    const args = JSON.stringify({ input: said });
    return {
      content: null,
      refusal: null,
      toolCalls: [{ id: 'call_echo_0', name: forced, arguments: args }],
      finishReason: 'tool_calls',
    };
  }
  const format = request.response_format?.type;
  const content =
    format === 'json_object' || format === 'json_schema' ? JSON.stringify({ echo: said }) : `Echo: ${said}`;
  return { content, refusal: null, toolCalls: [], finishReason: 'stop' };
}

function reply(request: ChatRequest): ChatResult {
  const result = answer(request);
  return { ...result, usage: estimateUsage(request, producedOf(result)).usage };
}

async function* streamOf(result: ChatResult): AsyncGenerator<StreamPart> {
  for (const piece of (result.content ?? '').split(/(?<= )/))
    if (piece !== '') yield { type: 'text-delta', delta: piece };
  for (const [index, call] of result.toolCalls.entries()) {
    yield { type: 'tool-call-start', index, id: call.id, name: call.name };
    yield { type: 'tool-call-delta', index, argumentsDelta: call.arguments };
  }
  yield { type: 'finish', finishReason: result.finishReason };
  if (result.usage !== undefined) yield { type: 'usage', usage: result.usage };
}

export class EchoProvider implements ChatProvider {
  constructor(readonly name: string) {}

  /** Reasoning blocks sent back have nothing to go back to here: dropped, and named. */
  ignoredFields(request: ChatRequest): string[] {
    const sent = request.messages.some((m) => m.role === 'assistant' && (m.thinking_blocks ?? []).length > 0);
    return sent ? ['thinking_blocks'] : [];
  }

  async complete(call: ProviderCall): Promise<ChatResult> {
    call.onConnectionOpen?.();
    return reply(call.request);
  }

  async stream(call: ProviderCall): Promise<AsyncIterable<StreamPart>> {
    return streamOf(reply(call.request));
  }

  async embed(call: EmbedCall): Promise<EmbedResult> {
    call.onConnectionOpen?.();
    return echoEmbed(call);
  }
}

import type { ChatMessage, ChatRequest } from '../../api/chat-schemas.js';
import type { ChatProvider, ChatResult, ProviderCall, StreamPart, Usage } from '../types.js';

/**
 * The echo provider: deterministic answers without any upstream, for trying the gateway without provider keys and
 * for load tests. It repeats the last user message; answers JSON when a JSON response_format is asked for; calls a
 * tool when tool_choice requires one. Token counts are estimates (4 characters a token).
 */
const textOf = (message: ChatMessage | undefined): string => {
  const content = message?.content;
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
};

const estimate = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

function reply(request: ChatRequest): ChatResult {
  const said = textOf([...request.messages].reverse().find((m) => m.role === 'user'));
  const input = request.messages.map(textOf).join('\n');
  const choice = request.tool_choice;
  const forced = choice === 'required' ? request.tools?.[0]?.function.name : typeof choice === 'object' ? choice.function.name : undefined;
  const usage = (output: string): Usage => ({ inputTokens: estimate(input), outputTokens: estimate(output), cachedInputTokens: 0, cacheWriteTokens: 0 });
  if (forced !== undefined) {
    const args = JSON.stringify({ input: said });
    return { content: null, refusal: null, toolCalls: [{ id: 'call_echo_0', name: forced, arguments: args }], finishReason: 'tool_calls', usage: usage(args) };
  }
  const format = request.response_format?.type;
  const content = format === 'json_object' || format === 'json_schema' ? JSON.stringify({ echo: said }) : `Echo: ${said}`;
  return { content, refusal: null, toolCalls: [], finishReason: 'stop', usage: usage(content) };
}

async function* streamOf(result: ChatResult): AsyncGenerator<StreamPart> {
  for (const piece of (result.content ?? '').split(/(?<= )/)) if (piece !== '') yield { type: 'text-delta', delta: piece };
  for (const [index, call] of result.toolCalls.entries()) {
    yield { type: 'tool-call-start', index, id: call.id, name: call.name };
    yield { type: 'tool-call-delta', index, argumentsDelta: call.arguments };
  }
  yield { type: 'finish', finishReason: result.finishReason };
  if (result.usage !== undefined) yield { type: 'usage', usage: result.usage };
}

export class EchoProvider implements ChatProvider {
  constructor(readonly name: string) {}

  async complete(call: ProviderCall): Promise<ChatResult> {
    return reply(call.request);
  }

  async stream(call: ProviderCall): Promise<AsyncIterable<StreamPart>> {
    return streamOf(reply(call.request));
  }
}

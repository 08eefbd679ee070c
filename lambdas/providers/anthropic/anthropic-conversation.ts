import type {
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage } from '../../api/chat-schemas.js';
import { badRequest } from '../../core/errors.js';
import { plainText, textBlocks, userBlocks } from './content.js';

/**
 * The OpenAI conversation → Anthropic's `system` + `messages`.
 * - Leading system/developer messages become the top-level `system` (messages joined by a blank line). A later
 *   one stays in place as a system message (the 2026-10-21 API accepts `role: "system"` inside `messages`).
 * - An assistant's tool_calls become tool_use blocks after its text; tool messages become tool_result blocks of a
 *   user message. Consecutive messages of one role merge into one message (Anthropic alternates roles).
 * - `name` has no Anthropic equivalent and is dropped; so is an assistant's `refusal` text. Empty assistant text is
 *   dropped (Anthropic rejects empty text blocks).
 */
interface AnthropicConversation {
  readonly system: string | undefined;
  readonly messages: MessageParam[];
}

type Turn =
  { role: 'user' | 'assistant'; content: ContentBlockParam[] } | { role: 'system'; content: TextBlockParam[] };

function toolUse(
  call: { id: string; function: { name: string; arguments: string } },
  param: string,
  at: number,
): ToolUseBlockParam {
  let input: unknown;
  try {
    input = JSON.parse(call.function.arguments);
  } catch {
    throw badRequest(
      `messages[${at}]: tool call ${JSON.stringify(call.id)} has arguments that are not valid JSON.`,
      'invalid_tool_arguments',
      param,
    );
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest(
      `messages[${at}]: tool call ${JSON.stringify(call.id)} has arguments that are not a JSON object.`,
      'invalid_tool_arguments',
      param,
    );
  }
  return { type: 'tool_use', id: call.id, name: call.function.name, input };
}

function toTurn(message: ChatMessage, at: number): Turn | undefined {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textBlocks(message.content) };
    case 'user':
      return { role: 'user', content: userBlocks(message.content, at) };
    case 'tool': {
      const content = typeof message.content === 'string' ? message.content : textBlocks(message.content);
      return { role: 'user', content: [{ type: 'tool_result', tool_use_id: message.tool_call_id, content }] };
    }
    case 'assistant': {
      const text = message.content == null ? [] : textBlocks(message.content).filter((block) => block.text !== '');
      const calls = (message.tool_calls ?? []).map((call, index) =>
        toolUse(call, `messages[${at}].tool_calls[${index}].function.arguments`, at),
      );
      const content: ContentBlockParam[] = [...text, ...calls];
      return content.length === 0 ? undefined : { role: 'assistant', content };
    }
  }
}

function append(turns: Turn[], turn: Turn): void {
  const last = turns.at(-1);
  if (last?.role === 'system' && turn.role === 'system') last.content.push(...turn.content);
  else if (last !== undefined && last.role !== 'system' && last.role === turn.role) last.content.push(...turn.content);
  else turns.push(turn);
}

export function toAnthropicMessages(messages: readonly ChatMessage[]): AnthropicConversation {
  const leading: string[] = [];
  for (const message of messages) {
    if (message.role !== 'system' && message.role !== 'developer') break;
    leading.push(plainText(message.content));
  }
  const start = leading.length;
  const turns: Turn[] = [];
  messages.forEach((message, at) => {
    if (at < start) return;
    const turn = toTurn(message, at);
    if (turn !== undefined) append(turns, turn);
  });
  if (!turns.some((turn) => turn.role !== 'system')) {
    throw badRequest(
      'messages must contain a user message besides system and developer messages.',
      'invalid_messages',
      'messages',
    );
  }
  return { system: leading.length === 0 ? undefined : leading.join('\n\n'), messages: turns };
}

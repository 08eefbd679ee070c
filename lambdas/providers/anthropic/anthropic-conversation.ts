import type {
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage } from '../../api/chat-schemas.js';
import { badRequest } from '../../core/errors.js';
import { cacheOf, hasCacheControl, mixedBlocks, plainText, textBlocks } from './content.js';
import { thinkingParams } from './thinking.js';

/**
 * The OpenAI conversation → Anthropic's `system` + `messages`.
 * - Leading system/developer messages become the top-level `system` (messages joined by a blank line); when any of
 *   their parts carries a cache_control breakpoint, their text blocks instead, breakpoints in place. A later one
 *   stays in place as a system message (the 2026-10-21 API accepts `role: "system"` inside `messages`).
 * - An assistant's thinking_blocks come first (signatures as sent), then its text, then its tool_calls as tool_use
 *   blocks; tool messages become tool_result blocks of a user message (their text, images and documents; the
 *   message's cache_control on the block). Consecutive messages of one role merge into one message (Anthropic
 *   alternates roles).
 * - `name` has no Anthropic equivalent and is dropped; so is an assistant's `refusal` text. Empty assistant text is
 *   dropped (Anthropic rejects empty text blocks).
 */
interface AnthropicConversation {
  readonly system: string | TextBlockParam[] | undefined;
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
      return { role: 'user', content: mixedBlocks(message.content, at) };
    case 'tool': {
      const content = typeof message.content === 'string' ? message.content : mixedBlocks(message.content, at);
      const result = { type: 'tool_result' as const, tool_use_id: message.tool_call_id, content, ...cacheOf(message) };
      return { role: 'user', content: [result] };
    }
    case 'assistant': {
      const text = message.content == null ? [] : textBlocks(message.content).filter((block) => block.text !== '');
      const calls = (message.tool_calls ?? []).map((call, index) =>
        toolUse(call, `messages[${at}].tool_calls[${index}].function.arguments`, at),
      );
      const content: ContentBlockParam[] = [...thinkingParams(message.thinking_blocks), ...text, ...calls];
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

type Leading = Extract<ChatMessage, { role: 'system' | 'developer' }>;

/** Leading system messages: one string, or text blocks when a part carries a cache breakpoint. */
function systemOf(leading: readonly Leading[]): AnthropicConversation['system'] {
  if (leading.length === 0) return undefined;
  if (leading.some((message) => hasCacheControl(message.content))) {
    return leading.flatMap((message) => textBlocks(message.content)).filter((block) => block.text !== '');
  }
  return leading.map((message) => plainText(message.content)).join('\n\n');
}

export function toAnthropicMessages(messages: readonly ChatMessage[]): AnthropicConversation {
  const leading: Leading[] = [];
  for (const message of messages) {
    if (message.role !== 'system' && message.role !== 'developer') break;
    leading.push(message);
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
  return { system: systemOf(leading), messages: turns };
}

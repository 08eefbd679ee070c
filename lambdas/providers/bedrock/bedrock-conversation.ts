import type { ContentBlock, Message, SystemContentBlock, ToolUseBlock } from '@aws-sdk/client-bedrock-runtime';
import type { ThinkingBlock } from '../../api/chat-content-schemas.js';
import type { ChatMessage } from '../../api/chat-schemas.js';
import { badRequest } from '../../core/errors.js';
import { cachePointAfter, systemBlocks, textBlocks, toolResultContent, userBlocks } from './bedrock-content.js';

/**
 * The OpenAI conversation → Converse's `system` + `messages`.
 * - Every system/developer message becomes `system` blocks, in order (Converse has no system role inside messages).
 * - An assistant's thinking_blocks come first as reasoningContent (text and signature as sent; redacted ones as their
 *   bytes), then its text, then its tool_calls as toolUse blocks (arguments parsed: Converse takes a JSON object).
 * - Tool messages become toolResult blocks of a user message; consecutive messages of one role merge into one
 *   message (Converse requires alternating user/assistant turns), so a turn's tool results share one user message.
 * - `name` and an assistant's `refusal` have no Converse equivalent and are dropped.
 */
export interface BedrockConversation {
  readonly system: SystemContentBlock[];
  readonly messages: Message[];
  /** Whether the conversation holds toolUse or toolResult blocks (Converse then requires a toolConfig). */
  readonly hasToolBlocks: boolean;
}

function toolInput(
  call: { id: string; function: { arguments: string } },
  at: number,
  index: number,
): ToolUseBlock['input'] {
  const param = `messages[${at}].tool_calls[${index}].function.arguments`;
  let input: unknown;
  try {
    input = JSON.parse(call.function.arguments === '' ? '{}' : call.function.arguments);
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
  return input as ToolUseBlock['input'];
}

/** Anthropic-style thinking blocks → Converse reasoningContent; OpenAI reasoning items are OpenAI's alone. */
function reasoningBlocks(blocks: readonly ThinkingBlock[] | undefined): ContentBlock[] {
  return (blocks ?? []).flatMap((block): ContentBlock[] => {
    if (block.type === 'thinking') {
      const signature = block.signature === '' ? {} : { signature: block.signature };
      return [{ reasoningContent: { reasoningText: { text: block.thinking, ...signature } } }];
    }
    if (block.type === 'redacted_thinking') {
      return [{ reasoningContent: { redactedContent: Buffer.from(block.data, 'base64') } }];
    }
    return [];
  });
}

type Turn = { role: 'user' | 'assistant'; content: ContentBlock[] };

function toTurn(message: Exclude<ChatMessage, { role: 'system' | 'developer' }>, at: number): Turn | undefined {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: userBlocks(message.content, at) };
    case 'tool': {
      const { content, cached } = toolResultContent(message.content, at);
      const cache = message.cache_control ?? cached;
      return {
        role: 'user',
        content: [
          { toolResult: { toolUseId: message.tool_call_id, content } },
          ...cachePointAfter({ cache_control: cache }),
        ],
      };
    }
    case 'assistant': {
      const text = message.content == null ? [] : textBlocks(message.content);
      const calls = (message.tool_calls ?? []).map((call, index): ContentBlock => ({
        toolUse: { toolUseId: call.id, name: call.function.name, input: toolInput(call, at, index) },
      }));
      const content = [...reasoningBlocks(message.thinking_blocks), ...text, ...calls];
      return content.length === 0 ? undefined : { role: 'assistant', content };
    }
  }
}

export function toBedrockConversation(messages: readonly ChatMessage[]): BedrockConversation {
  const system: SystemContentBlock[] = [];
  const turns: Turn[] = [];
  messages.forEach((message, at) => {
    if (message.role === 'system' || message.role === 'developer') {
      system.push(...systemBlocks(message.content));
      return;
    }
    const turn = toTurn(message, at);
    if (turn === undefined) return;
    const last = turns.at(-1);
    if (last?.role === turn.role) last.content.push(...turn.content);
    else turns.push(turn);
  });
  if (turns.length === 0) {
    throw badRequest(
      'messages must contain a user message besides system and developer messages.',
      'invalid_messages',
      'messages',
    );
  }
  const hasToolBlocks = turns.some((turn) =>
    turn.content.some((block) => block.toolUse !== undefined || block.toolResult !== undefined),
  );
  return { system, messages: turns, hasToolBlocks };
}

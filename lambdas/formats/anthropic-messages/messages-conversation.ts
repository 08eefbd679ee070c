import type { ChatMessage } from '../../api/chat-schemas.js';
import type { AnthropicMessageParam, MessagesRequest } from '../../api/messages-schemas.js';
import { badRequest } from '../../core/errors.js';

/**
 * Anthropic's `system` + `messages` → the canonical (OpenAI-shaped) conversation.
 * - `system` (a string or text blocks) becomes the leading system message; an empty string is no system message.
 * - A user message's tool_result blocks become `tool` messages, in order and before the rest of that message (the
 *   Messages API wants them first anyway); its text and image blocks follow as one user message. A tool_result's
 *   content must be text (an OpenAI tool message cannot hold images); `is_error: true` has no OpenAI field and is
 *   said in words instead: the content is prefixed with "Tool error:".
 * - An assistant's text blocks become its content, its tool_use blocks its tool_calls (input as JSON text).
 * - Images: base64 sources become data URLs, url sources stay URLs (an Anthropic target turns both back).
 */
type ChatPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
type Block<R extends AnthropicMessageParam['role']> = Exclude<
  Extract<AnthropicMessageParam, { role: R }>['content'],
  string
>[number];
type TextOrImage = Extract<Block<'user'>, { type: 'text' | 'image' }>;
type ToolResult = Extract<Block<'user'>, { type: 'tool_result' }>;

const TOOL_ERROR_PREFIX = 'Tool error:';

function part(block: TextOrImage): ChatPart {
  if (block.type === 'text') return { type: 'text', text: block.text };
  const source = block.source;
  return {
    type: 'image_url',
    image_url: { url: source.type === 'url' ? source.url : `data:${source.media_type};base64,${source.data}` },
  };
}

function toolMessage(block: ToolResult, param: string): ChatMessage {
  const content = block.content ?? '';
  const texts =
    typeof content === 'string'
      ? [content]
      : content.map((inner, index) => {
          if (inner.type === 'text') return inner.text;
          throw badRequest(
            'A tool_result may hold text only on this gateway (a tool result with images cannot reach every target).',
            'unsupported_content',
            `${param}.content[${index}]`,
          );
        });
  if (block.is_error === true) texts.unshift(TOOL_ERROR_PREFIX);
  // Anthropic refuses empty text blocks; a tool message of no text is the empty string.
  const [only, ...more] = texts.filter((text) => text !== '');
  if (only === undefined) return { role: 'tool', tool_call_id: block.tool_use_id, content: '' };
  if (more.length === 0) return { role: 'tool', tool_call_id: block.tool_use_id, content: only };
  return {
    role: 'tool',
    tool_call_id: block.tool_use_id,
    content: [only, ...more].map((text) => ({ type: 'text' as const, text })),
  };
}

function userMessages(content: Block<'user'>[], at: number): ChatMessage[] {
  const tools: ChatMessage[] = [];
  const parts: ChatPart[] = [];
  content.forEach((block, index) => {
    if (block.type === 'tool_result') tools.push(toolMessage(block, `messages[${at}].content[${index}]`));
    else parts.push(part(block));
  });
  const [first, ...rest] = parts;
  return first === undefined ? tools : [...tools, { role: 'user', content: [first, ...rest] }];
}

function assistantMessage(content: Block<'assistant'>[]): ChatMessage {
  const texts: { type: 'text'; text: string }[] = [];
  const calls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  for (const block of content) {
    if (block.type === 'text') texts.push({ type: 'text', text: block.text });
    else
      calls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input) },
      });
  }
  const [first, ...rest] = texts;
  return {
    role: 'assistant',
    content: first === undefined ? null : [first, ...rest],
    ...(calls.length === 0 ? {} : { tool_calls: calls }),
  };
}

function toMessages(message: AnthropicMessageParam, at: number): ChatMessage[] {
  switch (message.role) {
    case 'system':
      return [{ role: 'system', content: message.content }];
    case 'user':
      return typeof message.content === 'string'
        ? [{ role: 'user', content: message.content }]
        : userMessages(message.content, at);
    case 'assistant':
      return [
        typeof message.content === 'string'
          ? { role: 'assistant', content: message.content }
          : assistantMessage(message.content),
      ];
  }
}

export function toChatMessages(request: Pick<MessagesRequest, 'system' | 'messages'>): ChatMessage[] {
  const system: ChatMessage[] =
    request.system === undefined || request.system === '' ? [] : [{ role: 'system', content: request.system }];
  return [...system, ...request.messages.flatMap(toMessages)];
}

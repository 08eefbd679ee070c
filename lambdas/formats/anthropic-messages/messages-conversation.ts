import type { MixedPart, TextPart, ThinkingBlock } from '../../api/chat-content-schemas.js';
import type { ChatMessage } from '../../api/chat-schemas.js';
import type { AnthropicMessageParam, MessagesRequest } from '../../api/messages-schemas.js';
import { cacheOf, filePartOf } from './messages-documents.js';

/**
 * Anthropic's `system` + `messages` → the canonical (OpenAI-shaped) conversation.
 * - `system` (a string or text blocks) becomes the leading system message; an empty string is no system message.
 * - A user message's tool_result blocks become `tool` messages, in order and before the rest of that message (the
 *   Messages API wants them first anyway); its text, image and document blocks follow as one user message. A
 *   tool_result's content keeps its text, images and documents; `is_error: true` has no OpenAI field and is said in
 *   words instead: the content is prefixed with "Tool error:".
 * - An assistant's thinking and redacted_thinking blocks become its `thinking_blocks` (signatures as sent), its text
 *   blocks its content, its tool_use blocks its tool_calls (input as JSON text).
 * - Images: base64 sources become data URLs, url sources stay URLs; documents become file parts
 *   (messages-documents.ts). Every block's `cache_control` stays on its part (a tool_result's on its tool message).
 */
type Block<R extends AnthropicMessageParam['role']> = Exclude<
  Extract<AnthropicMessageParam, { role: R }>['content'],
  string
>[number];
type ContentBlock = Exclude<Block<'user'>, { type: 'tool_result' }>;
type ToolResult = Extract<Block<'user'>, { type: 'tool_result' }>;
type TextBlock = Extract<ContentBlock, { type: 'text' }>;

const TOOL_ERROR_PREFIX = 'Tool error:';

const textPart = (block: TextBlock): TextPart => ({ type: 'text', text: block.text, ...cacheOf(block.cache_control) });

function part(block: ContentBlock, param: string): MixedPart {
  if (block.type === 'text') return textPart(block);
  if (block.type === 'document') return filePartOf(block, param);
  const source = block.source;
  return {
    type: 'image_url',
    image_url: { url: source.type === 'url' ? source.url : `data:${source.media_type};base64,${source.data}` },
    ...cacheOf(block.cache_control),
  };
}

function toolMessage(block: ToolResult, param: string): ChatMessage {
  const base = { role: 'tool' as const, tool_call_id: block.tool_use_id, ...cacheOf(block.cache_control) };
  const content = block.content ?? '';
  const parts: MixedPart[] =
    typeof content === 'string'
      ? [{ type: 'text', text: content }]
      : content.map((inner, index) => part(inner, `${param}.content[${index}]`));
  if (block.is_error === true) parts.unshift({ type: 'text', text: TOOL_ERROR_PREFIX });
  // Anthropic refuses empty text blocks; a tool message of no content is the empty string.
  const kept = parts.filter((inner) => inner.type !== 'text' || inner.text !== '');
  const [only, ...more] = kept;
  if (only === undefined) return { ...base, content: '' };
  if (more.length === 0 && only.type === 'text' && only.cache_control === undefined) {
    return { ...base, content: only.text };
  }
  return { ...base, content: [only, ...more] };
}

function userMessages(content: Block<'user'>[], at: number): ChatMessage[] {
  const tools: ChatMessage[] = [];
  const parts: MixedPart[] = [];
  content.forEach((block, index) => {
    const param = `messages[${at}].content[${index}]`;
    if (block.type === 'tool_result') tools.push(toolMessage(block, param));
    else parts.push(part(block, param));
  });
  const [first, ...rest] = parts;
  return first === undefined ? tools : [...tools, { role: 'user', content: [first, ...rest] }];
}

function assistantMessage(content: Block<'assistant'>[]): ChatMessage {
  const texts: TextPart[] = [];
  const thinking: ThinkingBlock[] = [];
  const calls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  for (const block of content) {
    if (block.type === 'text') texts.push(textPart(block));
    else if (block.type === 'thinking') {
      thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    } else if (block.type === 'redacted_thinking') thinking.push({ type: 'redacted_thinking', data: block.data });
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
    ...(thinking.length === 0 ? {} : { thinking_blocks: thinking }),
  };
}

const systemContent = (content: string | TextBlock[]): string | TextPart[] =>
  typeof content === 'string' ? content : content.map(textPart);

function toMessages(message: AnthropicMessageParam, at: number): ChatMessage[] {
  switch (message.role) {
    case 'system':
      return [{ role: 'system', content: systemContent(message.content) }];
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
    request.system === undefined || request.system === ''
      ? []
      : [{ role: 'system', content: systemContent(request.system) }];
  return [...system, ...request.messages.flatMap(toMessages)];
}

import type { ChatMessage, ChatRequest } from '../api/chat-schemas.js';

/**
 * Every text a chat request carries, each with its JSON path (the `param` of an error about it): message content
 * strings and text parts, assistant refusals and tool-call arguments, tool results. Image parts are skipped (their
 * URL or data is not text a policy reads); names, tool definitions and metadata are not message text.
 */
interface TextSlot {
  readonly path: string;
  readonly role: ChatMessage['role'];
}

type TextMapper = (text: string, slot: TextSlot) => string;

type Part = { readonly type: string; readonly text?: string };

function mapContent<C extends string | readonly Part[]>(content: C, slot: TextSlot, map: TextMapper): C;
function mapContent(content: string | readonly Part[], slot: TextSlot, map: TextMapper): string | readonly Part[] {
  if (typeof content === 'string') return map(content, slot);
  let changed = false;
  const parts = content.map((part, index) => {
    if (part.type !== 'text' || part.text === undefined) return part;
    const text = map(part.text, { path: `${slot.path}[${index}].text`, role: slot.role });
    if (text === part.text) return part;
    changed = true;
    return { ...part, text };
  });
  return changed ? parts : content;
}

function mapAssistant(message: Extract<ChatMessage, { role: 'assistant' }>, at: string, map: TextMapper): ChatMessage {
  const role = 'assistant';
  const content =
    message.content == null ? message.content : mapContent(message.content, { path: `${at}.content`, role }, map);
  const refusal = message.refusal == null ? message.refusal : map(message.refusal, { path: `${at}.refusal`, role });
  let callsChanged = false;
  const toolCalls = message.tool_calls?.map((call, index) => {
    const args = map(call.function.arguments, { path: `${at}.tool_calls[${index}].function.arguments`, role });
    if (args === call.function.arguments) return call;
    callsChanged = true;
    return { ...call, function: { ...call.function, arguments: args } };
  });
  if (content === message.content && refusal === message.refusal && !callsChanged) return message;
  return {
    ...message,
    ...(content === undefined ? {} : { content }),
    ...(refusal === undefined ? {} : { refusal }),
    ...(toolCalls === undefined ? {} : { tool_calls: toolCalls }),
  };
}

function mapMessage(message: ChatMessage, index: number, map: TextMapper): ChatMessage {
  const at = `messages[${index}]`;
  if (message.role === 'assistant') return mapAssistant(message, at, map);
  const slot = { path: `${at}.content`, role: message.role };
  // One branch per content type: user and tool content may hold image and file parts, the others only text.
  if (message.role === 'user' || message.role === 'tool') {
    const content = mapContent(message.content, slot, map);
    return content === message.content ? message : { ...message, content };
  }
  const content = mapContent(message.content, slot, map);
  return content === message.content ? message : { ...message, content };
}

/**
 * The request with `map` applied to each of its texts, in order. Unchanged texts keep their objects: when `map`
 * changes nothing, the request itself is returned.
 */
export function mapRequestTexts(request: ChatRequest, map: TextMapper): ChatRequest {
  let changed = false;
  const messages = request.messages.map((message, index) => {
    const mapped = mapMessage(message, index, map);
    if (mapped !== message) changed = true;
    return mapped;
  });
  return changed ? { ...request, messages } : request;
}

export interface RequestText extends TextSlot {
  readonly text: string;
}

/** The request's texts, in order. */
export function requestTexts(request: ChatRequest): RequestText[] {
  const texts: RequestText[] = [];
  mapRequestTexts(request, (text, slot) => {
    texts.push({ ...slot, text });
    return text;
  });
  return texts;
}

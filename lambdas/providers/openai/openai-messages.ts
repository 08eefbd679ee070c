import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { MixedPart } from '../../api/chat-content-schemas.js';
import type { ChatMessage } from '../../api/chat-schemas.js';

/**
 * The canonical conversation → OpenAI's: the same messages without the Anthropic-only extensions (`cache_control` on
 * parts and tool messages, a file part's `context` and `citations`, an assistant's `thinking_blocks`; ignored-fields.ts
 * names them). A tool message cannot hold images or files on OpenAI: they leave it (a text placeholder stays in their
 * place) and follow in one user message right after that turn's tool messages, each tool result's attachments after a
 * line naming its tool call.
 */
export const ATTACHED_BELOW = '(attached below)';

type OpenAIPart =
  | { type: 'text'; text: string }
  | Pick<Extract<MixedPart, { type: 'image_url' }>, 'type' | 'image_url'>
  | Pick<Extract<MixedPart, { type: 'file' }>, 'type' | 'file'>;

function plainPart(part: MixedPart): OpenAIPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'image_url':
      return { type: 'image_url', image_url: part.image_url };
    case 'file':
      return { type: 'file', file: part.file };
  }
}

const textParts = (content: string | readonly { type: 'text'; text: string }[]) =>
  typeof content === 'string' ? content : content.map((part) => ({ type: 'text' as const, text: part.text }));

interface ToolTurn {
  readonly message: ChatCompletionMessageParam;
  /** The tool result's images and files, for the user message after the turn's tool messages. */
  readonly attachments: OpenAIPart[];
}

function toolMessage(message: Extract<ChatMessage, { role: 'tool' }>): ToolTurn {
  // `name` (LangChain's) goes as sent: OpenAI-compatible servers may read it.
  const base = {
    role: 'tool' as const,
    tool_call_id: message.tool_call_id,
    ...(message.name === undefined ? {} : { name: message.name }),
  };
  if (typeof message.content === 'string') return { message: { ...base, content: message.content }, attachments: [] };
  const attachments = message.content.filter((part) => part.type !== 'text').map(plainPart);
  const texts = message.content.flatMap((part) =>
    part.type === 'text' ? [{ type: 'text' as const, text: part.text }] : [],
  );
  if (attachments.length > 0) texts.push({ type: 'text', text: ATTACHED_BELOW });
  return { message: { ...base, content: texts }, attachments };
}

function plainMessage(message: Exclude<ChatMessage, { role: 'tool' }>): ChatCompletionMessageParam {
  const name = message.name === undefined ? {} : { name: message.name };
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: message.role, content: textParts(message.content), ...name };
    case 'user':
      return {
        role: 'user',
        content: typeof message.content === 'string' ? message.content : message.content.map(plainPart),
        ...name,
      } as ChatCompletionMessageParam;
    case 'assistant': {
      const { thinking_blocks: _thinking, content, ...rest } = message;
      return {
        ...rest,
        ...(content == null ? { content } : { content: textParts(content) }),
      } as ChatCompletionMessageParam;
    }
  }
}

export function toOpenAIMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  let pending: OpenAIPart[] = [];
  const flush = (): void => {
    if (pending.length > 0) out.push({ role: 'user', content: pending } as ChatCompletionMessageParam);
    pending = [];
  };
  for (const message of messages) {
    if (message.role !== 'tool') {
      flush();
      out.push(plainMessage(message));
      continue;
    }
    const turn = toolMessage(message);
    out.push(turn.message);
    if (turn.attachments.length > 0) {
      pending.push({ type: 'text', text: `Attachments of tool result ${message.tool_call_id}:` }, ...turn.attachments);
    }
  }
  flush();
  return out;
}

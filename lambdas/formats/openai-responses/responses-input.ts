import type { ChatMessage } from '../../api/chat-schemas.js';
import type {
  ContentPart,
  CustomToolCallOutputItem,
  FunctionCallOutputItem,
  MessageItem,
  ResolvedItem,
} from '../../api/responses-input-schemas.js';
import type { ThinkingBlock } from '../../api/chat-content-schemas.js';
import { HOSTED_CALL_ITEMS } from '../../api/hosted-call-items.js';
import type { HostedCallItem } from '../../api/responses-input-schemas.js';
import { badRequest } from '../../core/errors.js';
import { reasoningBlockOf } from './reasoning-items.js';
import { customArguments } from './responses-custom-tools.js';
import type { Toolset } from './responses-toolset.js';
import type { ReplayedItem } from '../../providers/native-responses.js';

/**
 * Responses input items (item references already resolved) → the canonical (Chat Completions) conversation:
 * - a message's input_text / output_text parts become text, input_image an image_url part (a URL or data URL; an
 *   OpenAI Files id cannot reach every target: 400), input_file a file part (file_url: 400); system and developer
 *   messages take text only; an assistant's refusal part is its `refusal`.
 * - function_call and custom_tool_call items become the tool_calls of an assistant message — the one just before (its
 *   text) or a new one — so parallel calls travel together, as Chat Completions wants them; named as the canonical
 *   request names their tool (a namespace's tool qualified), a custom tool's input as `{"input": …}`.
 * - function_call_output and custom_tool_call_output items become tool messages (text only).
 * - reasoning items become the `thinking_blocks` of the assistant message they belong to — the one just before (an
 *   assistant message or function calls) or the next one — (reasoning-items.ts: the gateway's wrapped blocks as they
 *   were, OpenAI's as `openai_reasoning`); one with nothing to carry back, or followed by no assistant turn, is dropped
 *   and named in `ignored` as input[].reasoning.
 */
type UserPart = Exclude<Extract<ChatMessage, { role: 'user' }>['content'], string>[number];
type TextPart = { type: 'text'; text: string };
type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

function textOf(part: ContentPart, param: string): string {
  if (part.type === 'input_text' || part.type === 'output_text') return part.text;
  if (part.type === 'refusal') return part.refusal;
  throw badRequest(`Only text can stand here, not ${part.type}.`, 'unsupported_content', param);
}

function userPart(part: ContentPart, param: string): UserPart {
  switch (part.type) {
    case 'input_image': {
      if (part.image_url == null) {
        throw badRequest(
          'An input_image needs image_url (a URL or a data URL) here: an OpenAI Files id cannot reach every target.',
          'unsupported_content',
          param,
        );
      }
      const detail = part.detail === 'original' || part.detail == null ? undefined : part.detail;
      return { type: 'image_url', image_url: { url: part.image_url, ...(detail === undefined ? {} : { detail }) } };
    }
    case 'input_file': {
      if (part.file_url !== undefined) {
        throw badRequest(
          'An input_file by file_url cannot reach every target: send file_data.',
          'unsupported_content',
          param,
        );
      }
      const file_id = part.file_id ?? undefined;
      return {
        type: 'file',
        file: {
          ...(part.file_data === undefined ? {} : { file_data: part.file_data }),
          ...(file_id === undefined ? {} : { file_id }),
          ...(part.filename === undefined ? {} : { filename: part.filename }),
        },
      };
    }
    default:
      return { type: 'text', text: textOf(part, param) };
  }
}

const texts = (parts: readonly ContentPart[], param: string): TextPart[] =>
  parts.map((part, index) => ({ type: 'text' as const, text: textOf(part, `${param}[${index}]`) }));

function messageOf(item: MessageItem, param: string): ChatMessage | undefined {
  const content = item.content;
  switch (item.role) {
    case 'user': {
      if (typeof content === 'string') return { role: 'user', content };
      const [first, ...rest] = content.map((part, index) => userPart(part, `${param}.content[${index}]`));
      return first === undefined ? undefined : { role: 'user', content: [first, ...rest] };
    }
    case 'system':
    case 'developer': {
      if (typeof content === 'string') return { role: item.role, content };
      const [first, ...rest] = texts(content, `${param}.content`);
      return first === undefined ? undefined : { role: item.role, content: [first, ...rest] };
    }
    case 'assistant': {
      if (typeof content === 'string') return { role: 'assistant', content };
      const refusal = content.flatMap((part) => (part.type === 'refusal' ? [part.refusal] : [])).join('');
      const text = texts(
        content.filter((part) => part.type !== 'refusal'),
        `${param}.content`,
      )
        .map((part) => part.text)
        .join('');
      return { role: 'assistant', content: text, ...(refusal === '' ? {} : { refusal }) };
    }
  }
}

function toolMessage(item: FunctionCallOutputItem | CustomToolCallOutputItem, param: string): ChatMessage {
  if (typeof item.output === 'string') return { role: 'tool', tool_call_id: item.call_id, content: item.output };
  const [first, ...rest] = texts(item.output, `${param}.output`);
  return { role: 'tool', tool_call_id: item.call_id, content: first === undefined ? '' : [first, ...rest] };
}

const REASONING_DROPPED = 'input[].reasoning';

const withThinking = (message: AssistantMessage, blocks: readonly ThinkingBlock[]): void => {
  if (blocks.length > 0) message.thinking_blocks = [...(message.thinking_blocks ?? []), ...blocks];
};

const isHostedCallItem = (item: ResolvedItem): item is HostedCallItem =>
  (HOSTED_CALL_ITEMS as readonly (string | undefined)[]).includes(item.type);

export function toChatMessages(
  items: readonly ResolvedItem[],
  toolset: Toolset,
  ignored: string[] = [],
  param = 'input',
  replayed: ReplayedItem[] = [],
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const dropped = (): void => {
    if (!ignored.includes(REASONING_DROPPED)) ignored.push(REASONING_DROPPED);
  };
  // The assistant message function calls and reasoning join: the one made from the item just before, if any.
  let assistant: AssistantMessage | undefined;
  // Reasoning that came before its assistant turn: it joins the next assistant message or function call.
  let pending: ThinkingBlock[] = [];
  items.forEach((item, index) => {
    const at = `${param}[${index}]`;
    if (item.type === 'reasoning') {
      const block = reasoningBlockOf(item, at);
      if (block === undefined) dropped();
      else if (assistant === undefined) pending.push(block);
      else withThinking(assistant, [block]);
      return;
    }
    if (item.type === 'function_call' || item.type === 'custom_tool_call') {
      const call = {
        id: item.call_id,
        type: 'function' as const,
        function: {
          name: toolset.canonicalName(item.name, item.namespace),
          arguments: item.type === 'function_call' ? item.arguments : customArguments(item.input),
        },
      };
      if (assistant === undefined) {
        assistant = { role: 'assistant', content: null, tool_calls: [call] };
        messages.push(assistant);
      } else {
        assistant.tool_calls = [...(assistant.tool_calls ?? []), call];
      }
      withThinking(assistant, pending);
      pending = [];
      return;
    }
    // Tools given in the input join the request's tools (responses-request.ts); a hosted tool's earlier item is not
    // part of the canonical conversation: it goes to `replayed` (an OpenAI target sends it back as it came) and is
    // named in `ignored` (other targets drop it).
    if (item.type === 'additional_tools') return;
    if (isHostedCallItem(item)) {
      replayed.push({ before: messages.length, item });
      const name = `input[].${item.type}`;
      if (!ignored.includes(name)) ignored.push(name);
      return;
    }
    assistant = undefined;
    const message =
      item.type === 'function_call_output' || item.type === 'custom_tool_call_output'
        ? toolMessage(item, at)
        : messageOf(item, at);
    if (message?.role === 'assistant') {
      withThinking(message, pending);
      assistant = message;
    } else if (pending.length > 0) {
      dropped();
    }
    pending = [];
    if (message !== undefined) messages.push(message);
  });
  if (pending.length > 0) dropped();
  return messages;
}

import type {
  ResponseFunctionCallOutputItemList,
  ResponseInputItem,
  ResponseInputMessageContentList,
} from 'openai/resources/responses/responses';
import type { MixedPart, ThinkingBlock } from '../../api/chat-content-schemas.js';
import type { ChatMessage } from '../../api/chat-schemas.js';
import type { ReplayedItem } from '../native-responses.js';

/**
 * The canonical conversation → the Responses API's `instructions` and input items (the native lane):
 * - a leading system message with text → `instructions`; other system and developer messages stay messages;
 * - user content: text → input_text, image_url → input_image, file → input_file;
 * - an assistant turn, in order: its OpenAI reasoning items (`openai_reasoning` thinking_blocks with their
 *   encrypted_content) → `reasoning` items, its text (and refusal) → an assistant `message` with output_text parts
 *   (no id: nothing is stored upstream), its tool calls → `function_call` items;
 * - tool messages → `function_call_output` (text, images and files as they are: the Responses API takes them there).
 * Left out (responses-ignored.ts names them): Anthropic's thinking blocks, a reasoning item without
 * encrypted_content (with `store: false` OpenAI cannot find it by id), `reasoning_content`, `name`, `cache_control`.
 */
export interface ResponsesInput {
  readonly instructions?: string;
  readonly input: ResponseInputItem[];
}

type InputPart = ResponseInputMessageContentList[number] & ResponseFunctionCallOutputItemList[number];

function inputPart(part: MixedPart): InputPart {
  switch (part.type) {
    case 'text':
      return { type: 'input_text', text: part.text };
    case 'image_url':
      return { type: 'input_image', image_url: part.image_url.url, detail: part.image_url.detail ?? 'auto' };
    case 'file': {
      const { file_data, file_id, filename } = part.file;
      return {
        type: 'input_file',
        ...(file_data === undefined ? {} : { file_data }),
        ...(file_id === undefined ? {} : { file_id }),
        ...(filename === undefined ? {} : { filename }),
      };
    }
  }
}

const textOf = (content: string | readonly { text: string }[]): string =>
  typeof content === 'string' ? content : content.map((part) => part.text).join('');

/** A reasoning item OpenAI can take back with `store: false`: only one that carries its encrypted content. */
export const returnable = (
  block: ThinkingBlock,
): block is Extract<ThinkingBlock, { type: 'openai_reasoning' }> & { encrypted_content: string } =>
  block.type === 'openai_reasoning' && block.encrypted_content !== undefined;

function assistantItems(message: Extract<ChatMessage, { role: 'assistant' }>): ResponseInputItem[] {
  // An item the client sent without its OpenAI id (Codex sends none; a gateway `rs_…` id is not OpenAI's) goes up
  // without one: with its encrypted_content OpenAI needs no id, and an id it never issued is refused.
  const items = (message.thinking_blocks ?? []).filter(returnable).map(
    (block) =>
      ({
        type: 'reasoning',
        ...(block.id === '' ? {} : { id: block.id }),
        summary: block.summary.map((text) => ({ type: 'summary_text', text })),
        encrypted_content: block.encrypted_content,
      }) as ResponseInputItem,
  );
  const text = message.content == null ? '' : textOf(message.content);
  const refusal = message.refusal ?? '';
  if (text !== '' || refusal !== '') {
    const content = [
      ...(text === '' ? [] : [{ type: 'output_text' as const, text, annotations: [] }]),
      ...(refusal === '' ? [] : [{ type: 'refusal' as const, refusal }]),
    ];
    // An output message as input, without the id and status of a stored one (the SDK's type asks for both).
    items.push({ type: 'message', role: 'assistant', content } as unknown as ResponseInputItem);
  }
  for (const call of message.tool_calls ?? []) {
    items.push({
      type: 'function_call',
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    });
  }
  return items;
}

function itemsOf(message: ChatMessage): ResponseInputItem[] {
  switch (message.role) {
    case 'system':
    case 'developer':
      return [{ type: 'message', role: message.role, content: textOf(message.content) }];
    case 'user':
      return [
        {
          type: 'message',
          role: 'user',
          content: typeof message.content === 'string' ? message.content : message.content.map(inputPart),
        },
      ];
    case 'assistant':
      return assistantItems(message);
    case 'tool':
      return [
        {
          type: 'function_call_output',
          call_id: message.tool_call_id,
          output: typeof message.content === 'string' ? message.content : message.content.map(inputPart),
        },
      ];
  }
}

/**
 * `replayed`: hosted tools' earlier items (web_search_call…) as the client sent them, each before the canonical
 * message it stood before (after the last when it came last).
 */
export function toResponsesInput(
  messages: readonly ChatMessage[],
  replayed: readonly ReplayedItem[] = [],
): ResponsesInput {
  const before = (index: number): ResponseInputItem[] =>
    replayed
      .filter((entry) => entry.before === index || (index === messages.length && entry.before > index))
      .map((entry) => entry.item as unknown as ResponseInputItem);
  const system = messages[0]?.role === 'system' ? messages[0] : undefined;
  const input = messages.flatMap((message, index) =>
    index === 0 && system !== undefined ? before(0) : [...before(index), ...itemsOf(message)],
  );
  input.push(...before(messages.length));
  return system === undefined ? { input } : { instructions: textOf(system.content), input };
}

import * as anthropic from '../fakes/fake-anthropic.js';
import * as openai from '../fakes/fake-openai.js';

/**
 * What the fake upstreams answer Claude Code with, as a model would (after the capture server of the issue's
 * captures): a prompt that is exactly READ_PROMPT gets a Read tool call for `readPath()`; a turn that carries the
 * tool's result gets text quoting it ("The file says: …"); anything else "Hello from fake.". Streamed when asked.
 */
export const READ_PROMPT = 'Read the file a.txt';
export const HELLO = 'Hello from fake.';
export const ANTHROPIC_CALL_ID = 'toolu_01ReadTheFileA';
export const OPENAI_CALL_ID = 'call_read_the_file_a';

interface Message {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_call_id?: string;
}

/** The texts of a message's content (a string, or blocks / parts with `text`, tool results' inner text included). */
export function textsOf(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((part: unknown) => {
    if (typeof part !== 'object' || part === null) return [];
    if ('text' in part && typeof part.text === 'string') return [part.text];
    if ('content' in part) return textsOf(part.content);
    return [];
  });
}

const messagesOf = (body: unknown): readonly Message[] =>
  typeof body === 'object' && body !== null && 'messages' in body && Array.isArray(body.messages)
    ? (body.messages as Message[])
    : [];
const streams = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && 'stream' in body && body.stream === true;
const asksToRead = (message: Message | undefined): boolean =>
  message !== undefined && textsOf(message.content).some((text) => text.trim().endsWith(READ_PROMPT));

export function anthropicReply(readPath: () => string): (request: anthropic.RecordedRequest) => anthropic.Script {
  return (request) => {
    const last = messagesOf(request.body).at(-1);
    const blocks = Array.isArray(last?.content) ? (last.content as { type?: string; content?: unknown }[]) : [];
    const result = blocks.find((block) => block.type === 'tool_result');
    if (result === undefined && asksToRead(last)) {
      const call = { id: ANTHROPIC_CALL_ID, name: 'Read', input: { file_path: readPath() } };
      return streams(request.body)
        ? anthropic.reply.stream(anthropic.toolUseEvents([call], { text: '' }))
        : anthropic.reply.toolUse([call]);
    }
    const text = result === undefined ? HELLO : `The file says: ${textsOf(result.content).join(' ')}`;
    return streams(request.body) ? anthropic.reply.stream(anthropic.textEvents(text)) : anthropic.reply.text(text);
  };
}

export function openAIReply(readPath: () => string): (request: openai.RecordedRequest) => openai.Script {
  return (request) => {
    // This turn: the messages after the last assistant message (a tool result, then the user's text, if any).
    const messages = messagesOf(request.body);
    const turn = messages.slice(messages.findLastIndex((message) => message.role === 'assistant') + 1);
    const result = turn.find((message) => message.role === 'tool');
    if (result === undefined && turn.some(asksToRead)) {
      const call = { id: OPENAI_CALL_ID, name: 'Read', arguments: JSON.stringify({ file_path: readPath() }) };
      return streams(request.body)
        ? openai.reply.stream(openai.toolCallChunks([call]))
        : openai.reply.toolCalls([call]);
    }
    const text = result === undefined ? HELLO : `The file says: ${textsOf(result.content).join(' ')}`;
    return streams(request.body) ? openai.reply.stream(openai.textChunks(text)) : openai.reply.text(text);
  };
}

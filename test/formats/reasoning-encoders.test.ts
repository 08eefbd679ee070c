import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '../../lambdas/api/chat-schemas.js';
import { anthropicMessageSchema } from '../../lambdas/api/messages-schemas.js';
import { toAnthropicMessage } from '../../lambdas/formats/anthropic-messages/anthropic-message.js';
import { AnthropicStreamEncoder } from '../../lambdas/formats/anthropic-messages/anthropic-event-stream.js';
import { toChatCompletion } from '../../lambdas/formats/openai-chat/chat-completion.js';
import { openAIStreamEncoder } from '../../lambdas/formats/openai-chat/openai-chunk-stream.js';
import { encodeStream } from '../../lambdas/formats/sse-stream.js';
import type { ChatResult, StreamPart, Usage } from '../../lambdas/providers/types.js';
import { expectSequentialBlocks } from '../helpers/anthropic-events.js';

// The canonical answer's reasoning in both client formats: Anthropic thinking / redacted_thinking blocks (JSON and
// events), chat completions' reasoning_content and thinking_blocks.

const request: ChatRequest = { model: 'target', messages: [{ role: 'user', content: 'Weather?' }] };
const meta = { id: 'msg_1', created: 1, alias: 'target', requestId: 'req-1' };
const USAGE: Usage = { inputTokens: 10, outputTokens: 20, cachedInputTokens: 0, cacheWriteTokens: 0 };
const SIG = 'EqQBCgIYAhIM+/sig==';

const interleaved: ChatResult = {
  content: 'Checking.',
  refusal: null,
  toolCalls: [
    { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
  ],
  finishReason: 'tool_calls',
  usage: USAGE,
  reasoning: [
    { type: 'thinking', thinking: 'Paris first.', signature: SIG },
    { type: 'redacted_thinking', data: 'ENCRYPTED==' },
    { type: 'thinking', thinking: 'Then Tokyo.', signature: 'SIG2' },
  ],
  reasoningAfterToolCalls: [0, 1, 1],
};

async function frames(
  encoder: ReturnType<typeof openAIStreamEncoder>,
  parts: readonly StreamPart[],
): Promise<string[]> {
  async function* source(): AsyncGenerator<StreamPart> {
    yield* parts;
  }
  const out: string[] = [];
  for await (const frame of encodeStream(source(), encoder, async () => undefined)) out.push(frame);
  return out;
}

const events = (list: readonly string[]): RawMessageStreamEvent[] =>
  list.map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as RawMessageStreamEvent);

describe('/v1/messages', () => {
  it('JSON: the blocks in answer order, thinking with its signature, redacted with its data; the schema allows them', () => {
    const body = toAnthropicMessage(interleaved, USAGE, meta);
    expect(body.content).toEqual([
      { type: 'thinking', thinking: 'Paris first.', signature: SIG },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' }, caller: { type: 'direct' } },
      { type: 'redacted_thinking', data: 'ENCRYPTED==' },
      { type: 'thinking', thinking: 'Then Tokyo.', signature: 'SIG2' },
      { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Tokyo' }, caller: { type: 'direct' } },
    ]);
    expect(anthropicMessageSchema.safeParse(body).success).toBe(true);
  });

  it('JSON: without placement every reasoning block comes first', () => {
    const { reasoningAfterToolCalls: _placement, ...plain } = interleaved;
    const types = toAnthropicMessage(plain, USAGE, meta).content.map((block) => block.type);
    expect(types).toEqual(['thinking', 'redacted_thinking', 'thinking', 'text', 'tool_use', 'tool_use']);
  });

  it('stream: thinking (start empty, thinking_delta, signature_delta, stop), redacted (start with data, stop), tools, in order', async () => {
    const parts: StreamPart[] = [
      { type: 'reasoning-delta', index: 0, delta: 'Paris ' },
      { type: 'reasoning-delta', index: 0, delta: 'first.' },
      { type: 'reasoning-signature', index: 0, signature: SIG },
      { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
      { type: 'reasoning-redacted', index: 1, data: 'ENCRYPTED==' },
      { type: 'reasoning-delta', index: 2, delta: 'Then Tokyo.' },
      { type: 'reasoning-signature', index: 2, signature: 'SIG2' },
      { type: 'tool-call-start', index: 1, id: 'toolu_2', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"Tokyo"}' },
      { type: 'finish', finishReason: 'tool_calls' },
      { type: 'usage', usage: USAGE },
    ];
    const list = events(await frames(new AnthropicStreamEncoder(request, meta), parts));
    expectSequentialBlocks(list);
    const blocks = list.flatMap((event) =>
      event.type === 'content_block_start' || event.type === 'content_block_delta' ? [event] : [],
    );
    expect(blocks.slice(0, 4)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Paris ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'first.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: SIG } },
    ]);
    expect(blocks.filter((event) => event.type === 'content_block_start').map((e) => e.content_block)).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {}, caller: { type: 'direct' } },
      { type: 'redacted_thinking', data: 'ENCRYPTED==' },
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {}, caller: { type: 'direct' } },
    ]);
    expect(list.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use' } });
  });

  it('stream: a thinking block with a signature and no text (display: omitted) still goes out whole', async () => {
    const list = events(
      await frames(new AnthropicStreamEncoder(request, meta), [
        { type: 'reasoning-signature', index: 0, signature: SIG },
        { type: 'text-delta', delta: 'Hi' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    expectSequentialBlocks(list);
    expect(list.filter((event) => event.type.startsWith('content_block')).slice(0, 3)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: SIG } },
      { type: 'content_block_stop', index: 0 },
    ]);
  });

  it('stream without provider usage: the output estimate counts the thinking text', async () => {
    const thought = 'x'.repeat(400);
    const list = events(
      await frames(new AnthropicStreamEncoder(request, meta), [
        { type: 'reasoning-delta', index: 0, delta: thought },
        { type: 'text-delta', delta: 'Hi' },
        { type: 'finish', finishReason: 'stop' },
      ]),
    );
    const delta = list.find((event) => event.type === 'message_delta');
    expect(delta?.type === 'message_delta' ? delta.usage.output_tokens : undefined).toBe(100 + 1);
  });
});

describe('chat completions', () => {
  it('JSON: reasoning_content (the thinking text) and thinking_blocks (signed and redacted blocks, for the next turn)', () => {
    const { message } = toChatCompletion(interleaved, meta).choices[0] ?? { message: undefined };
    expect(message).toMatchObject({
      reasoning_content: 'Paris first.Then Tokyo.',
      thinking_blocks: interleaved.reasoning,
    });
  });

  it('JSON: unsigned reasoning (an OpenAI-compatible upstream) is reasoning_content only; none, no fields at all', () => {
    const base: ChatResult = { content: '4', refusal: null, toolCalls: [], finishReason: 'stop', usage: USAGE };
    const unsigned = toChatCompletion(
      { ...base, reasoning: [{ type: 'thinking', thinking: 'Sum.', signature: '' }] },
      meta,
    );
    expect(unsigned.choices[0]?.message).toMatchObject({ reasoning_content: 'Sum.' });
    expect(unsigned.choices[0]?.message).not.toHaveProperty('thinking_blocks');
    const none = toChatCompletion(base, meta).choices[0]?.message;
    expect(none).not.toHaveProperty('reasoning_content');
    expect(none).not.toHaveProperty('thinking_blocks');
  });

  it('stream: reasoning deltas as delta.reasoning_content; signatures and redacted blocks send nothing', async () => {
    const list = await frames(openAIStreamEncoder({ ...meta, includeUsage: false }), [
      { type: 'reasoning-delta', index: 0, delta: 'Sum ' },
      { type: 'reasoning-delta', index: 0, delta: 'it.' },
      { type: 'reasoning-signature', index: 0, signature: SIG },
      { type: 'reasoning-redacted', index: 1, data: 'ENCRYPTED==' },
      { type: 'text-delta', delta: '4' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    const deltas = list
      .filter((frame) => frame !== 'data: [DONE]\n\n')
      .map((frame) => (JSON.parse(frame.slice(6)) as { choices: { delta: unknown }[] }).choices[0]?.delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'Sum ' },
      { reasoning_content: 'it.' },
      { content: '4' },
      {},
    ]);
  });
});

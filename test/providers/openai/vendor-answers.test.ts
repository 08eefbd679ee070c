import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { toChatResult } from '../../../lambdas/providers/openai/openai-response.js';
import { toStreamParts } from '../../../lambdas/providers/openai/openai-stream-parts.js';
import type { StreamPart } from '../../../lambdas/providers/types.js';
import { textChunks, textCompletion } from '../../fakes/fake-openai.js';

// Answers of OpenAI-compatible vendors in their own shapes: Azure's content-filter chunks, Groq's x_groq.usage,
// DeepSeek's prompt_cache_hit_tokens, vLLM's null prompt_tokens_details.

async function collect(chunks: readonly object[]): Promise<StreamPart[]> {
  async function* source(): AsyncGenerator<ChatCompletionChunk> {
    yield* chunks as ChatCompletionChunk[];
  }
  const parts: StreamPart[] = [];
  for await (const part of toStreamParts(source(), 'vendor')) parts.push(part);
  return parts;
}

const filterResults = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

it("Azure: a prompt-filter chunk (no choices) and an annotation choice without a delta are not content, and don't break the stream", async () => {
  const [first, ...rest] = textChunks('Hello there', { parts: 2 });
  if (first === undefined) throw new Error('no first chunk');
  const promptFilter = {
    id: '',
    object: '',
    created: 0,
    model: '',
    choices: [],
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: filterResults }],
  };
  const annotation = {
    id: '',
    object: '',
    created: 0,
    model: '',
    choices: [
      {
        index: 0,
        finish_reason: null,
        content_filter_results: filterResults,
        content_filter_offsets: { check_offset: 4, start_offset: 4, end_offset: 11 },
      },
    ],
  };
  const parts = await collect([promptFilter, first, annotation, ...rest]);
  expect(parts.filter((part) => part.type === 'error')).toEqual([]);
  expect(parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('')).toBe('Hello there');
  expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop' });
});

it('Azure: finish_reason content_filter in a stream is the content_filter finish', async () => {
  const parts = await collect(textChunks('Part', { parts: 1, finishReason: 'content_filter' }));
  expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'content_filter' });
});

it('Azure: a filtered JSON answer without content is the content_filter finish with no content', () => {
  const body = textCompletion('', { finishReason: 'content_filter' });
  const filtered = {
    ...body,
    choices: [
      {
        index: 0,
        finish_reason: 'content_filter',
        message: { role: 'assistant' },
        content_filter_results: filterResults,
      },
    ],
  } as unknown as ChatCompletion;
  const result = toChatResult(filtered);
  expect(result.finishReason).toBe('content_filter');
  expect(result.content).toBeNull();
});

it("Groq: the stream's usage from x_groq.usage on the last chunk", async () => {
  const chunks = textChunks('Hi', { parts: 1 });
  const last = chunks.at(-1) as ChatCompletionChunk;
  const withUsage = {
    ...last,
    x_groq: { id: 'req_01', usage: { prompt_tokens: 21, completion_tokens: 7, total_tokens: 28 } },
  };
  const parts = await collect([...chunks.slice(0, -1), withUsage]);
  expect(parts.find((part) => part.type === 'usage')).toMatchObject({ usage: { inputTokens: 21, outputTokens: 7 } });
});

it('DeepSeek: prompt_cache_hit_tokens are the cached input tokens', () => {
  const usage = {
    prompt_tokens: 100,
    completion_tokens: 9,
    total_tokens: 109,
    prompt_cache_hit_tokens: 64,
    prompt_cache_miss_tokens: 36,
  };
  const result = toChatResult({ ...textCompletion('ok'), usage } as ChatCompletion);
  expect(result.usage).toMatchObject({ inputTokens: 100, outputTokens: 9, cachedInputTokens: 64 });
});

it('vLLM: prompt_tokens_details null is no cached tokens, not a failure', () => {
  const usage = { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, prompt_tokens_details: null };
  const result = toChatResult({ ...textCompletion('ok'), usage } as unknown as ChatCompletion);
  expect(result.usage).toMatchObject({ inputTokens: 10, outputTokens: 2, cachedInputTokens: 0 });
});

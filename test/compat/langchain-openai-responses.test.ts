import { AIMessageChunk, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI, type ChatOpenAIFields } from '@langchain/openai';
import { expectOneUpstreamImage, expectUpstreamClosedEarly, upstreamToolResults } from './expectations.js';
import { compatSuite, openAIBacked, type CompatContext } from './harness.js';
import { record } from './request-reading.js';
import * as input from './inputs.js';
import {
  CACHED_TOKENS,
  IMAGE_REPLY,
  PLAIN_REPLY,
  SLOW_TEXT,
  STRUCTURED_VALUE,
  TOOL_ANSWER_PREFIX,
  UPSTREAM_USAGE,
} from './smart-upstreams.js';

// LangChain ChatOpenAI on the Responses API (`useResponsesApi: true`) with its defaults (apiKey → Authorization:
// Bearer, its own 6 retries), pointed at the gateway through `configuration.baseURL`. Its answers' content is a list
// of blocks; `.text` joins their text.
const chat = (ctx: CompatContext, fields: ChatOpenAIFields = {}): ChatOpenAI =>
  new ChatOpenAI({
    model: ctx.model,
    apiKey: ctx.key,
    configuration: { baseURL: ctx.baseURL },
    useResponsesApi: true,
    ...fields,
  });

const getWeather = tool(input.getWeather, {
  name: input.WEATHER_TOOL.name,
  description: input.WEATHER_TOOL.description,
  schema: input.weatherInput,
});

/** `.stream()` read to its end; `onFirstPiece` runs when the first text piece arrives. */
async function streamed(
  model: ChatOpenAI,
  prompt: string,
  onFirstPiece: () => void = () => undefined,
): Promise<{ pieces: string[]; whole: AIMessageChunk }> {
  const pieces: string[] = [];
  let whole: AIMessageChunk | undefined;
  for await (const chunk of await model.stream([new HumanMessage(prompt)])) {
    if (chunk.text !== '') {
      pieces.push(chunk.text);
      if (pieces.length === 1) onFirstPiece();
    }
    whole = whole === undefined ? chunk : whole.concat(chunk);
  }
  if (whole === undefined) throw new Error('empty stream');
  return { pieces, whole };
}

/** The agent loop an app writes: bindTools, then `tool.invoke(toolCall)` for each call until the model answers. */
async function toolLoop(ctx: CompatContext, prompt: string): Promise<{ turns: number; answer: BaseMessage }> {
  const model = chat(ctx).bindTools([getWeather]);
  const messages: BaseMessage[] = [new HumanMessage(prompt)];
  for (let turn = 1; turn <= 4; turn++) {
    const answer = await model.invoke(messages);
    if ((answer.tool_calls ?? []).length === 0) return { turns: turn, answer };
    messages.push(answer);
    for (const call of answer.tool_calls ?? []) messages.push(await getWeather.invoke(call));
  }
  throw new Error('the loop did not end');
}

/** `usage_metadata.input_token_details.cache_read` (its type is inferred from a message structure; read it as data). */
const cacheRead = (message: AIMessageChunk): unknown =>
  record(record(message.usage_metadata).input_token_details).cache_read ?? 0;

const statusOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (typeof error === 'object' && error !== null && 'status' in error ? error.status : error),
  );

compatSuite('langchain-openai-responses', {
  plain: async (ctx) => {
    const answer = await chat(ctx).invoke(input.PLAIN_PROMPT);
    expect(answer.text).toBe(PLAIN_REPLY);
    expect(answer.usage_metadata).toMatchObject({
      input_tokens: UPSTREAM_USAGE.input,
      output_tokens: UPSTREAM_USAGE.output,
    });
  },

  stream: async (ctx) => {
    let heldAtFirstPiece: boolean | undefined;
    const { pieces } = await streamed(
      chat(ctx),
      input.HELD_STREAM_PROMPT,
      () => (heldAtFirstPiece = ctx.releaseStream()),
    );
    expect(heldAtFirstPiece).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(PLAIN_REPLY);
  },

  'stream-usage': async (ctx) => {
    const { whole } = await streamed(chat(ctx), input.STREAM_PROMPT);
    expect(whole.usage_metadata).toMatchObject({
      input_tokens: UPSTREAM_USAGE.input,
      output_tokens: UPSTREAM_USAGE.output,
      total_tokens: UPSTREAM_USAGE.input + UPSTREAM_USAGE.output,
    });
  },

  'tool-loop': async (ctx) => {
    const { turns, answer } = await toolLoop(ctx, input.TOOL_PROMPT);
    expect(turns).toBe(2);
    expect(answer.text).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny`);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny']);
  },

  'parallel-tools': async (ctx) => {
    const { turns, answer } = await toolLoop(ctx, input.PARALLEL_PROMPT);
    expect(turns).toBe(2);
    expect(answer.text).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny; Tokyo: 18°C, rain`);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny', 'Tokyo: 18°C, rain']);
  },

  structured: async (ctx) => {
    const structured = chat(ctx).withStructuredOutput(input.weatherReport);
    expect(await structured.invoke(input.STRUCTURED_PROMPT)).toEqual(STRUCTURED_VALUE);
  },

  image: async (ctx) => {
    const answer = await chat(ctx).invoke([
      new HumanMessage({
        content: [
          { type: 'text', text: input.IMAGE_PROMPT },
          { type: 'image_url', image_url: { url: input.PNG_DATA_URL } },
        ],
      }),
    ]);
    expect(answer.text).toBe(IMAGE_REPLY(1));
    expectOneUpstreamImage(ctx);
  },

  abort: async (ctx) => {
    const controller = new AbortController();
    let text = '';
    const reading = (async () => {
      const stream = await chat(ctx).stream([new HumanMessage(input.SLOW_PROMPT)], { signal: controller.signal });
      for await (const chunk of stream) {
        text += chunk.text;
        if (text !== '') controller.abort();
      }
    })();
    await expect(reading).rejects.toThrow(/abort/i);
    expect(text.length).toBeLessThan(SLOW_TEXT.length);
    await expectUpstreamClosedEarly(ctx);
  },

  'typed-errors': async (ctx) => {
    expect(await statusOf(chat(ctx, { temperature: input.INVALID_TEMPERATURE }).invoke(input.PLAIN_PROMPT))).toBe(400);
    expect(ctx.upstream.requests).toHaveLength(0);
    expect(await statusOf(chat(ctx).invoke(input.RATE_LIMITED_PROMPT))).toBe(429);
    // LangChain does not read x-should-retry; it gives up at once on a Retry-After beyond 60 s (the fake says 120).
    expect(ctx.upstream.requests).toHaveLength(1);
  },

  'prompt-caching': async (ctx) => {
    // LangChain passes `promptCacheKey` as prompt_cache_key; Responses input parts have no cache_control.
    const ask = (): Promise<AIMessageChunk> =>
      chat(ctx, { promptCacheKey: 'compat-langchain-openai-responses' }).invoke([
        new SystemMessage(input.CACHE_PREFIX),
        new HumanMessage(input.cachePrompt('langchain-openai-responses')),
      ]);
    const first = await ask();
    const second = await ask();
    const sent = ctx.lastUpstreamBody();
    expect(cacheRead(first)).toBe(0);
    if (openAIBacked(ctx)) {
      expect(sent.prompt_cache_key).toBe('compat-langchain-openai-responses');
      expect(cacheRead(second)).toBe(CACHED_TOKENS);
    } else {
      // Anthropic has no cache key (dropped and named in X-Gateway-Ignored); without cache_control nothing is cached.
      expect(sent.prompt_cache_key).toBeUndefined();
      expect(cacheRead(second)).toBe(0);
    }
  },
});

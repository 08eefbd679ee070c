import { createAnthropic } from '@ai-sdk/anthropic';
import {
  APICallError,
  generateObject,
  generateText,
  jsonSchema,
  RetryError,
  stepCountIs,
  streamObject,
  streamText,
  tool,
  type LanguageModelUsage,
} from 'ai';
import { expectCachingThroughMessages, type PromptCounts } from './anthropic-helpers.js';
import { expectOneUpstreamImage, expectUpstreamClosedEarly, upstreamToolResults } from './expectations.js';
import { compatSuite, type CompatContext } from './harness.js';
import * as input from './inputs.js';
import { IMAGE_REPLY, PLAIN_REPLY, STRUCTURED_VALUE, TOOL_ANSWER_PREFIX, UPSTREAM_USAGE } from './smart-upstreams.js';

// The AI SDK's @ai-sdk/anthropic with its defaults (apiKey → x-api-key, the AI SDK's own 2 retries), /v1/messages.
const model = (ctx: CompatContext) => createAnthropic({ baseURL: ctx.baseURL, apiKey: ctx.key })(ctx.model);

const weather = tool({
  description: input.WEATHER_TOOL.description,
  inputSchema: jsonSchema<{ city: string }>({
    ...input.weatherParameters,
    required: [...input.weatherParameters.required],
  }),
  execute: async (args) => input.getWeather(args),
});
const tools = { [input.WEATHER_TOOL.name]: weather };
const anthropicCache = { anthropic: { cacheControl: { type: 'ephemeral' } } } as const;

/** What a call that must fail rejected with. */
const rejection = async (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );

const promptCounts = (usage: LanguageModelUsage): PromptCounts => ({
  total: usage.inputTokens ?? NaN,
  cacheRead: usage.inputTokenDetails.cacheReadTokens ?? 0,
});

compatSuite('ai-sdk-anthropic', {
  plain: async (ctx) => {
    const result = await generateText({ model: model(ctx), prompt: input.PLAIN_PROMPT });
    expect(result.text).toBe(PLAIN_REPLY);
    expect(result.usage).toMatchObject({ inputTokens: UPSTREAM_USAGE.input, outputTokens: UPSTREAM_USAGE.output });
  },

  stream: async (ctx) => {
    const result = streamText({ model: model(ctx), prompt: input.HELD_STREAM_PROMPT });
    const pieces: string[] = [];
    let heldAtFirstPiece: boolean | undefined;
    for await (const text of result.textStream) {
      pieces.push(text);
      heldAtFirstPiece ??= ctx.releaseStream();
    }
    expect(heldAtFirstPiece).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(PLAIN_REPLY);
  },

  'stream-usage': async (ctx) => {
    const result = streamText({ model: model(ctx), prompt: input.STREAM_PROMPT });
    await result.consumeStream();
    expect(await result.usage).toMatchObject({
      inputTokens: UPSTREAM_USAGE.input,
      outputTokens: UPSTREAM_USAGE.output,
      totalTokens: UPSTREAM_USAGE.input + UPSTREAM_USAGE.output,
    });
  },

  'tool-loop': async (ctx) => {
    const result = await generateText({
      model: model(ctx),
      prompt: input.TOOL_PROMPT,
      tools,
      stopWhen: stepCountIs(4),
    });
    expect(result.text).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny`);
    expect(result.steps).toHaveLength(2);
    expect(ctx.upstream.requests).toHaveLength(2);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny']);
  },

  'parallel-tools': async (ctx) => {
    // streamText this time: both calls of one streamed turn run, and both results go back in the next turn.
    const result = streamText({ model: model(ctx), prompt: input.PARALLEL_PROMPT, tools, stopWhen: stepCountIs(4) });
    expect(await result.text).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny; Tokyo: 18°C, rain`);
    const [first] = await result.steps;
    expect(first?.toolCalls.map((call) => call.input)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
    expect(ctx.upstream.requests).toHaveLength(2);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny', 'Tokyo: 18°C, rain']);
  },

  structured: async (ctx) => {
    const generated = await generateObject({
      model: model(ctx),
      schema: input.weatherReport,
      prompt: input.STRUCTURED_PROMPT,
    });
    expect(generated.object).toEqual(STRUCTURED_VALUE);
    const streamed = streamObject({ model: model(ctx), schema: input.weatherReport, prompt: input.STRUCTURED_PROMPT });
    const partials: unknown[] = [];
    for await (const partial of streamed.partialObjectStream) partials.push(partial);
    expect(await streamed.object).toEqual(STRUCTURED_VALUE);
    expect(partials.length).toBeGreaterThan(1);
  },

  image: async (ctx) => {
    const result = await generateText({
      model: model(ctx),
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: input.IMAGE_PROMPT },
            { type: 'image', image: input.PNG_BASE64, mediaType: 'image/png' },
          ],
        },
      ],
    });
    expect(result.text).toBe(IMAGE_REPLY(1));
    expectOneUpstreamImage(ctx);
  },

  abort: async (ctx) => {
    const controller = new AbortController();
    const aborted: unknown[] = [];
    const result = streamText({
      model: model(ctx),
      prompt: input.SLOW_PROMPT,
      abortSignal: controller.signal,
      onAbort: ({ steps }) => {
        aborted.push(steps.length);
      },
    });
    const parts: string[] = [];
    for await (const part of result.fullStream) {
      parts.push(part.type);
      if (part.type === 'text-delta') controller.abort();
    }
    // The AI SDK's abort: an `abort` part ends the stream and onAbort runs.
    expect(parts.at(-1)).toBe('abort');
    expect(aborted).toEqual([0]);
    await expectUpstreamClosedEarly(ctx);
  },

  'typed-errors': async (ctx) => {
    // The AI SDK clamps temperature itself; five stop sequences (the gateway takes four) pass it to the gateway.
    const refused = await rejection(
      generateText({ model: model(ctx), prompt: input.PLAIN_PROMPT, stopSequences: ['a', 'b', 'c', 'd', 'e'] }),
    );
    expect(APICallError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({
      statusCode: 400,
      isRetryable: false,
      message: expect.stringContaining('stop_sequences'),
    });
    expect(ctx.upstream.requests).toHaveLength(0);
    // A 429 is retryable to the AI SDK (it does not read x-should-retry): after its own 2 retries, a RetryError
    // whose errors are the gateway's 429s.
    const limited = await rejection(generateText({ model: model(ctx), prompt: input.RATE_LIMITED_PROMPT }));
    if (!RetryError.isInstance(limited)) throw limited;
    expect(limited.errors.map((e) => (APICallError.isInstance(e) ? e.statusCode : e))).toEqual([429, 429, 429]);
    expect(limited.lastError).toMatchObject({ statusCode: 429, isRetryable: true });
    expect(ctx.upstream.requests).toHaveLength(3);
  },

  'prompt-caching': async (ctx) => {
    const send = () =>
      generateText({
        model: model(ctx),
        system: { role: 'system', content: input.CACHE_PREFIX, providerOptions: anthropicCache },
        messages: [
          {
            role: 'user',
            content: [{ type: 'text', text: input.cachePrompt('ai-sdk-anthropic'), providerOptions: anthropicCache }],
          },
        ],
      });
    const first = await send();
    const second = await send();
    expectCachingThroughMessages(ctx, {
      ignored: second.response.headers?.['x-gateway-ignored'],
      first: promptCounts(first.usage),
      second: promptCounts(second.usage),
      breakpoints: 2,
    });
  },
});

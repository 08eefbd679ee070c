import {
  APICallError,
  generateObject,
  generateText,
  type LanguageModel,
  RetryError,
  stepCountIs,
  streamObject,
  streamText,
  tool,
} from 'ai';
import { expectOneUpstreamImage, expectUpstreamClosedEarly, upstreamToolResults } from './expectations.js';
import type { ClientScenarios, CompatContext, ScenarioTest } from './harness.js';
import * as input from './inputs.js';
import {
  IMAGE_REPLY,
  PLAIN_REPLY,
  SLOW_TEXT,
  STRUCTURED_VALUE,
  TOOL_ANSWER_PREFIX,
  UPSTREAM_USAGE,
} from './smart-upstreams.js';

/**
 * The Vercel AI SDK (`ai`) scenarios, the same for every provider package: `model(ctx)` builds the provider with its
 * defaults pointed at the gateway (its `apiKey` option as it sends it, the SDK's own 2 retries). The caller adds
 * `prompt-caching`, which depends on the provider package's options.
 */

const weather = tool({
  description: input.WEATHER_TOOL.description,
  inputSchema: input.weatherInput,
  execute: async (args: { city: string }) => input.getWeather(args),
});
const tools = { [input.WEATHER_TOOL.name]: weather };

/** The API error an AI SDK call ends with: itself, or the last try's when the SDK retried (RetryError). */
export function apiErrorOf(error: unknown): APICallError | undefined {
  const last = RetryError.isInstance(error) ? error.lastError : error;
  return APICallError.isInstance(last) ? last : undefined;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

export function aiSdkScenarios(
  model: (ctx: CompatContext) => LanguageModel,
  promptCaching: ScenarioTest,
): ClientScenarios {
  return {
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
      const expected = `${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny`;
      const generated = await generateText({
        model: model(ctx),
        prompt: input.TOOL_PROMPT,
        tools,
        stopWhen: stepCountIs(4),
      });
      expect(generated.steps).toHaveLength(2);
      expect(generated.text).toBe(expected);
      expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny']);
      const streamed = streamText({ model: model(ctx), prompt: input.TOOL_PROMPT, tools, stopWhen: stepCountIs(4) });
      expect(await streamed.text).toBe(expected);
      expect((await streamed.steps).length).toBe(2);
      expect(ctx.upstream.requests).toHaveLength(4);
    },

    'parallel-tools': async (ctx) => {
      const result = await generateText({
        model: model(ctx),
        prompt: input.PARALLEL_PROMPT,
        tools,
        stopWhen: stepCountIs(2),
      });
      expect(result.steps[0]?.toolCalls.map((call) => call.input)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
      expect(result.text).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny; Tokyo: 18°C, rain`);
      expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny', 'Tokyo: 18°C, rain']);
    },

    structured: async (ctx) => {
      const generated = await generateObject({
        model: model(ctx),
        schema: input.weatherReport,
        prompt: input.STRUCTURED_PROMPT,
      });
      expect(generated.object).toEqual(STRUCTURED_VALUE);
      const streamed = streamObject({
        model: model(ctx),
        schema: input.weatherReport,
        prompt: input.STRUCTURED_PROMPT,
      });
      // The SDK's streams are pulled: its promises settle once the stream is read.
      const partials: unknown[] = [];
      for await (const partial of streamed.partialObjectStream) partials.push(partial);
      expect(partials.at(-1)).toEqual(STRUCTURED_VALUE);
      expect(await streamed.object).toEqual(STRUCTURED_VALUE);
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
      let aborted = false;
      const result = streamText({
        model: model(ctx),
        prompt: input.SLOW_PROMPT,
        abortSignal: controller.signal,
        onAbort: () => void (aborted = true),
      });
      let text = '';
      // The SDK's documented abort: the text stream ends, `onAbort` is called.
      for await (const piece of result.textStream) {
        text += piece;
        controller.abort();
      }
      expect(aborted).toBe(true);
      expect(text.length).toBeLessThan(SLOW_TEXT.length);
      await expectUpstreamClosedEarly(ctx);
    },

    'typed-errors': async (ctx) => {
      const refused = apiErrorOf(
        await rejection(
          generateText({ model: model(ctx), prompt: input.PLAIN_PROMPT, temperature: input.INVALID_TEMPERATURE }),
        ),
      );
      expect(refused?.statusCode).toBe(400);
      expect(ctx.upstream.requests).toHaveLength(0);
      const limited = apiErrorOf(
        await rejection(generateText({ model: model(ctx), prompt: input.RATE_LIMITED_PROMPT })),
      );
      expect(limited?.statusCode).toBe(429);
      expect(limited?.isRetryable).toBe(true);
    },

    'prompt-caching': promptCaching,
  };
}

import OpenAI from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionContentPartText } from 'openai/resources/chat/completions';
import {
  expectOneUpstreamImage,
  expectUpstreamClosedEarly,
  ignoredNames,
  upstreamCacheBreakpoints,
  upstreamToolResults,
} from './expectations.js';
import { compatSuite, type CompatContext } from './harness.js';
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

// The openai SDK with its defaults (apiKey → Authorization: Bearer, its own 2 retries), `chat.completions`.
const client = (ctx: CompatContext): OpenAI => new OpenAI({ baseURL: ctx.baseURL, apiKey: ctx.key });

const weatherTool = {
  type: 'function',
  function: { ...input.WEATHER_TOOL, parameters: input.weatherParameters },
} as const;

/** A text part with LiteLLM-style `cache_control`, which the SDK's types do not name but the gateway accepts. */
const cachedPart = (text: string): ChatCompletionContentPartText =>
  ({ type: 'text', text, cache_control: { type: 'ephemeral' } }) as ChatCompletionContentPartText;

compatSuite('openai-sdk', {
  plain: async (ctx) => {
    const answer = await client(ctx).chat.completions.create({
      model: ctx.model,
      messages: [{ role: 'user', content: input.PLAIN_PROMPT }],
    });
    expect(answer.choices[0]?.message.content).toBe(PLAIN_REPLY);
    expect(answer.usage).toMatchObject({
      prompt_tokens: UPSTREAM_USAGE.input,
      completion_tokens: UPSTREAM_USAGE.output,
    });
  },

  stream: async (ctx) => {
    const stream = await client(ctx).chat.completions.create({
      model: ctx.model,
      messages: [{ role: 'user', content: input.HELD_STREAM_PROMPT }],
      stream: true,
    });
    const pieces: string[] = [];
    let heldAtFirstPiece: boolean | undefined;
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta.content;
      if (text) pieces.push(text);
      if (text && heldAtFirstPiece === undefined) heldAtFirstPiece = ctx.releaseStream();
    }
    expect(heldAtFirstPiece).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(PLAIN_REPLY);
  },

  'stream-usage': async (ctx) => {
    const stream = await client(ctx).chat.completions.create({
      model: ctx.model,
      messages: [{ role: 'user', content: input.STREAM_PROMPT }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    expect(usage).toMatchObject({
      prompt_tokens: UPSTREAM_USAGE.input,
      completion_tokens: UPSTREAM_USAGE.output,
      total_tokens: UPSTREAM_USAGE.input + UPSTREAM_USAGE.output,
    });
  },

  'tool-loop': async (ctx) => {
    const runner = client(ctx).chat.completions.runTools({
      model: ctx.model,
      messages: [{ role: 'user', content: input.TOOL_PROMPT }],
      tools: [zodFunction({ ...input.WEATHER_TOOL, parameters: input.weatherInput, function: input.getWeather })],
    });
    expect(await runner.finalContent()).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny`);
    expect(ctx.upstream.requests).toHaveLength(2);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny']);
  },

  'parallel-tools': async (ctx) => {
    const openai = client(ctx);
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: input.PARALLEL_PROMPT }];
    const first = await openai.chat.completions.create({ model: ctx.model, messages, tools: [weatherTool] });
    const asked = first.choices[0]?.message;
    const calls = (asked?.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [call] : []));
    expect(calls.map((call) => JSON.parse(call.function.arguments))).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
    if (asked !== undefined) messages.push(asked);
    for (const call of calls) {
      const content = input.getWeather(JSON.parse(call.function.arguments) as { city: string });
      messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
    const second = await openai.chat.completions.create({ model: ctx.model, messages, tools: [weatherTool] });
    expect(second.choices[0]?.message.content).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny; Tokyo: 18°C, rain`);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny', 'Tokyo: 18°C, rain']);
  },

  structured: async (ctx) => {
    const answer = await client(ctx).chat.completions.parse({
      model: ctx.model,
      messages: [{ role: 'user', content: input.STRUCTURED_PROMPT }],
      response_format: zodResponseFormat(input.weatherReport, 'weather_report'),
    });
    expect(answer.choices[0]?.message.parsed).toEqual(STRUCTURED_VALUE);
  },

  image: async (ctx) => {
    const answer = await client(ctx).chat.completions.create({
      model: ctx.model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: input.IMAGE_PROMPT },
            { type: 'image_url', image_url: { url: input.PNG_DATA_URL } },
          ],
        },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe(IMAGE_REPLY(1));
    expectOneUpstreamImage(ctx);
  },

  abort: async (ctx) => {
    const controller = new AbortController();
    const stream = await client(ctx).chat.completions.create(
      { model: ctx.model, messages: [{ role: 'user', content: input.SLOW_PROMPT }], stream: true },
      { signal: controller.signal },
    );
    let text = '';
    // The SDK's documented abort: the stream's iteration ends quietly (no error) once the signal aborts.
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (text !== '') controller.abort();
    }
    expect(controller.signal.aborted).toBe(true);
    expect(text.length).toBeLessThan(SLOW_TEXT.length);
    await expectUpstreamClosedEarly(ctx);
  },

  'typed-errors': async (ctx) => {
    const openai = client(ctx);
    const refused = openai.chat.completions.create({
      model: ctx.model,
      messages: [{ role: 'user', content: input.PLAIN_PROMPT }],
      temperature: input.INVALID_TEMPERATURE,
    });
    await expect(refused).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(refused).rejects.toMatchObject({ status: 400 });
    expect(ctx.upstream.requests).toHaveLength(0);
    const limited = openai.chat.completions.create({
      model: ctx.model,
      messages: [{ role: 'user', content: input.RATE_LIMITED_PROMPT }],
    });
    await expect(limited).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(limited).rejects.toMatchObject({ status: 429 });
    // The gateway's x-should-retry: false (its own tries are spent), which the SDK obeys: one upstream call.
    expect(ctx.upstream.requests).toHaveLength(1);
  },

  'prompt-caching': async (ctx) => {
    const openai = client(ctx);
    const ask = () =>
      openai.chat.completions
        .create({
          model: ctx.model,
          prompt_cache_key: 'compat-openai-sdk',
          messages: [
            { role: 'system', content: [cachedPart(input.CACHE_PREFIX)] },
            { role: 'user', content: input.cachePrompt('openai-sdk') },
          ],
        })
        .withResponse();
    const first = await ask();
    const second = await ask();
    const sent = ctx.lastUpstreamBody();
    const ignored = ignoredNames(second.response.headers.get('x-gateway-ignored'));
    if (ctx.backend === 'openai') {
      expect(sent.prompt_cache_key).toBe('compat-openai-sdk');
      expect(upstreamCacheBreakpoints(ctx)).toEqual([]);
      expect(ignored).toContain('cache_control');
    } else {
      expect(sent.prompt_cache_key).toBeUndefined();
      expect(ignored).toContain('prompt_cache_key');
      expect(upstreamCacheBreakpoints(ctx)).toEqual([{ type: 'ephemeral' }]);
    }
    expect(first.data.usage?.prompt_tokens_details?.cached_tokens ?? 0).toBe(0);
    expect(second.data.usage?.prompt_tokens_details?.cached_tokens).toBe(CACHED_TOKENS);
    expect(second.data.usage?.prompt_tokens).toBe(UPSTREAM_USAGE.input);
  },
});

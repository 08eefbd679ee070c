import Anthropic from '@anthropic-ai/sdk';
import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { anthropicPromptCounts, expectCachingThroughMessages, textOfMessage } from './anthropic-helpers.js';
import { expectOneUpstreamImage, expectUpstreamClosedEarly, upstreamToolResults } from './expectations.js';
import { compatSuite, type CompatContext } from './harness.js';
import * as input from './inputs.js';
import { IMAGE_REPLY, PLAIN_REPLY, STRUCTURED_VALUE, TOOL_ANSWER_PREFIX, UPSTREAM_USAGE } from './smart-upstreams.js';

// @anthropic-ai/sdk with its defaults (apiKey → x-api-key, its own 2 retries; base URL without /v1), /v1/messages.
const client = (ctx: CompatContext): Anthropic => new Anthropic({ baseURL: ctx.gatewayUrl, apiKey: ctx.key });

const MAX_TOKENS = 1024;
const weatherTool: Tool = {
  ...input.WEATHER_TOOL,
  input_schema: { ...input.weatherParameters, required: [...input.weatherParameters.required] },
};
const ask = (ctx: CompatContext, content: MessageParam['content']) => ({
  model: ctx.model,
  max_tokens: MAX_TOKENS,
  messages: [{ role: 'user' as const, content }],
});
const ephemeral = { type: 'ephemeral' } as const;

compatSuite('anthropic-sdk', {
  plain: async (ctx) => {
    const answer = await client(ctx).messages.create(ask(ctx, input.PLAIN_PROMPT));
    expect(textOfMessage(answer)).toBe(PLAIN_REPLY);
    expect(answer.usage).toMatchObject({ input_tokens: UPSTREAM_USAGE.input, output_tokens: UPSTREAM_USAGE.output });
  },

  stream: async (ctx) => {
    const stream = client(ctx).messages.stream(ask(ctx, input.HELD_STREAM_PROMPT));
    const pieces: string[] = [];
    let heldAtFirstPiece: boolean | undefined;
    stream.on('text', (text) => {
      pieces.push(text);
      heldAtFirstPiece ??= ctx.releaseStream();
    });
    expect(await stream.finalText()).toBe(PLAIN_REPLY);
    expect(heldAtFirstPiece).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(PLAIN_REPLY);
  },

  'stream-usage': async (ctx) => {
    const message = await client(ctx).messages.stream(ask(ctx, input.STREAM_PROMPT)).finalMessage();
    expect(message.usage).toMatchObject({ input_tokens: UPSTREAM_USAGE.input, output_tokens: UPSTREAM_USAGE.output });
  },

  'tool-loop': async (ctx) => {
    const runner = client(ctx).beta.messages.toolRunner({
      ...ask(ctx, input.TOOL_PROMPT),
      tools: [
        betaZodTool({ ...input.WEATHER_TOOL, inputSchema: input.weatherInput, run: (args) => input.getWeather(args) }),
      ],
    });
    const final = await runner.runUntilDone();
    expect(textOfMessage(final)).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny`);
    expect(ctx.upstream.requests).toHaveLength(2);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny']);
  },

  'parallel-tools': async (ctx) => {
    const anthropic = client(ctx);
    const messages: MessageParam[] = [{ role: 'user', content: input.PARALLEL_PROMPT }];
    const first = await anthropic.messages.create({ ...ask(ctx, ''), messages, tools: [weatherTool] });
    const calls = first.content.flatMap((block) => (block.type === 'tool_use' ? [block] : []));
    expect(first.stop_reason).toBe('tool_use');
    expect(calls.map((call) => call.input)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
    messages.push({ role: 'assistant', content: first.content });
    messages.push({
      role: 'user',
      content: calls.map((call) => ({
        type: 'tool_result' as const,
        tool_use_id: call.id,
        content: input.getWeather(call.input as { city: string }),
      })),
    });
    const second = await anthropic.messages.create({ ...ask(ctx, ''), messages, tools: [weatherTool] });
    expect(textOfMessage(second)).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny; Tokyo: 18°C, rain`);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny', 'Tokyo: 18°C, rain']);
  },

  structured: async (ctx) => {
    const anthropic = client(ctx);
    const format = zodOutputFormat(input.weatherReport);
    const parsed = await anthropic.messages.parse({
      ...ask(ctx, input.STRUCTURED_PROMPT),
      output_config: { format },
    });
    expect(parsed.parsed_output).toEqual(STRUCTURED_VALUE);
    const streamed = await anthropic.messages
      .stream({ ...ask(ctx, input.STRUCTURED_PROMPT), output_config: { format } })
      .finalMessage();
    expect(streamed.parsed_output).toEqual(STRUCTURED_VALUE);
  },

  image: async (ctx) => {
    const answer = await client(ctx).messages.create(
      ask(ctx, [
        { type: 'text', text: input.IMAGE_PROMPT },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: input.PNG_BASE64 } },
      ]),
    );
    expect(textOfMessage(answer)).toBe(IMAGE_REPLY(1));
    expectOneUpstreamImage(ctx);
  },

  abort: async (ctx) => {
    const controller = new AbortController();
    const stream = client(ctx).messages.stream(ask(ctx, input.SLOW_PROMPT), { signal: controller.signal });
    stream.on('text', () => controller.abort());
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    await expectUpstreamClosedEarly(ctx);
  },

  'typed-errors': async (ctx) => {
    const anthropic = client(ctx);
    // Five stop sequences (the gateway takes four; this SDK's API version has no temperature to get wrong).
    const refused = anthropic.messages.create({
      ...ask(ctx, input.PLAIN_PROMPT),
      stop_sequences: ['a', 'b', 'c', 'd', 'e'],
    });
    await expect(refused).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(refused).rejects.toMatchObject({
      status: 400,
      error: { error: { type: 'invalid_request_error', message: expect.stringContaining('stop_sequences') } },
    });
    expect(ctx.upstream.requests).toHaveLength(0);
    const limited = anthropic.messages.create(ask(ctx, input.RATE_LIMITED_PROMPT));
    await expect(limited).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    await expect(limited).rejects.toMatchObject({ status: 429, error: { error: { type: 'rate_limit_error' } } });
    // The gateway's retries are spent: it tells the SDK not to retry again, so one upstream call.
    expect(ctx.upstream.requests).toHaveLength(1);
  },

  'prompt-caching': async (ctx) => {
    const system: TextBlockParam[] = [{ type: 'text', text: input.CACHE_PREFIX, cache_control: ephemeral }];
    const send = () =>
      client(ctx)
        .messages.create({
          ...ask(ctx, [{ type: 'text', text: input.cachePrompt('anthropic-sdk'), cache_control: ephemeral }]),
          system,
        })
        .withResponse();
    const first = await send();
    const second = await send();
    expectCachingThroughMessages(ctx, {
      ignored: second.response.headers.get('x-gateway-ignored'),
      first: anthropicPromptCounts(first.data.usage),
      second: anthropicPromptCounts(second.data.usage),
      breakpoints: 2,
    });
  },
});

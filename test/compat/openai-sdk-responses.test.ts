import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import type { Response, ResponseInputItem } from 'openai/resources/responses/responses';
import {
  expectOneUpstreamImage,
  expectUpstreamClosedEarly,
  ignoredNames,
  upstreamToolResults,
} from './expectations.js';
import { compatSuite, openAIBacked, type CompatContext } from './harness.js';
import * as input from './inputs.js';
import { list, record } from './request-reading.js';
import {
  CACHED_TOKENS,
  IMAGE_REPLY,
  PLAIN_REPLY,
  SLOW_TEXT,
  STRUCTURED_VALUE,
  TOOL_ANSWER_PREFIX,
  UPSTREAM_USAGE,
} from './smart-upstreams.js';

// The openai SDK with its defaults (apiKey → Authorization: Bearer, its own 2 retries), the Responses API:
// `responses.create`, `responses.stream`, `responses.parse`. Nothing here depends on how the gateway reaches the
// backend (chat completions or OpenAI's own Responses API): what the upstream got is read in either format.
const client = (ctx: CompatContext): OpenAI => new OpenAI({ baseURL: ctx.baseURL, apiKey: ctx.key });

const weatherTool = {
  type: 'function',
  ...input.WEATHER_TOOL,
  parameters: input.weatherParameters,
  strict: true,
} as const;

/** The function calls of a Response's output, in order. */
const callsOf = (response: Response) =>
  response.output.flatMap((item) => (item.type === 'function_call' ? [item] : []));

/**
 * The loops an app writes with the Responses API (no SDK runner), until the model answers with text: stateless, the
 * model's output items go back into `input` followed by one `function_call_output` per call (`store: false`, with
 * reasoning and its encrypted content in `include`, as Codex runs); or
 * stateful (`stream`): each turn read with `responses.stream` and its `finalResponse()`, stored, and the next turn
 * sends only the `function_call_output` items with `previous_response_id`. (The streamed Response's function calls
 * carry the SDK's own `parsed_arguments`, which OpenAI refuses in `input`, so they are not sent back as they are.)
 */
async function toolLoop(
  ctx: CompatContext,
  prompt: string,
  stream: boolean,
): Promise<{ turns: number; answer: Response; firstCalls: unknown[] }> {
  const openai = client(ctx);
  let items: ResponseInputItem[] = [{ role: 'user', content: prompt }];
  let previous: string | undefined;
  let firstCalls: unknown[] = [];
  for (let turn = 1; turn <= 4; turn++) {
    const answer = stream
      ? await openai.responses
          .stream({
            model: ctx.model,
            input: items,
            tools: [weatherTool],
            store: true,
            ...(previous === undefined ? {} : { previous_response_id: previous }),
          })
          .finalResponse()
      : await openai.responses.create({
          model: ctx.model,
          input: items,
          tools: [weatherTool],
          store: false,
          reasoning: { effort: 'low' },
          include: ['reasoning.encrypted_content'],
        });
    const calls = callsOf(answer);
    if (calls.length === 0) return { turns: turn, answer, firstCalls };
    if (turn === 1) firstCalls = calls.map((call) => JSON.parse(call.arguments));
    const outputs: ResponseInputItem[] = calls.map((call) => ({
      type: 'function_call_output',
      call_id: call.call_id,
      output: input.getWeather(JSON.parse(call.arguments) as { city: string }),
    }));
    if (stream) {
      previous = answer.id;
      items = outputs;
    } else items.push(...(answer.output as ResponseInputItem[]), ...outputs);
  }
  throw new Error('the loop did not end');
}

compatSuite('openai-sdk-responses', {
  plain: async (ctx) => {
    const answer = await client(ctx).responses.create({ model: ctx.model, input: input.PLAIN_PROMPT });
    expect(answer.status).toBe('completed');
    expect(answer.output_text).toBe(PLAIN_REPLY);
    expect(answer.usage).toMatchObject({ input_tokens: UPSTREAM_USAGE.input, output_tokens: UPSTREAM_USAGE.output });
  },

  stream: async (ctx) => {
    const stream = await client(ctx).responses.create({
      model: ctx.model,
      input: input.HELD_STREAM_PROMPT,
      stream: true,
    });
    const pieces: string[] = [];
    let heldAtFirstPiece: boolean | undefined;
    for await (const event of stream) {
      if (event.type !== 'response.output_text.delta') continue;
      pieces.push(event.delta);
      heldAtFirstPiece ??= ctx.releaseStream();
    }
    expect(heldAtFirstPiece).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(PLAIN_REPLY);
  },

  'stream-usage': async (ctx) => {
    const stream = client(ctx).responses.stream({ model: ctx.model, input: input.STREAM_PROMPT });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(PLAIN_REPLY);
    expect(final.usage).toMatchObject({
      input_tokens: UPSTREAM_USAGE.input,
      output_tokens: UPSTREAM_USAGE.output,
      total_tokens: UPSTREAM_USAGE.input + UPSTREAM_USAGE.output,
    });
  },

  'tool-loop': async (ctx) => {
    const expected = `${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny`;
    const created = await toolLoop(ctx, input.TOOL_PROMPT, false);
    expect(created.turns).toBe(2);
    expect(created.answer.output_text).toBe(expected);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny']);
    if (ctx.backend === 'openai-native') {
      // The reasoning item came back with its encrypted content, and OpenAI got it as it made it (the fake verifies
      // the content belongs to the item's id).
      const reasoning = list(ctx.lastUpstreamBody().input)
        .map(record)
        .filter((item) => item.type === 'reasoning');
      expect(reasoning).toEqual([
        expect.objectContaining({ encrypted_content: expect.stringMatching(/^enc_compat_/) }),
      ]);
    }
    const streamed = await toolLoop(ctx, input.TOOL_PROMPT, true);
    expect(streamed.turns).toBe(2);
    expect(streamed.answer.output_text).toBe(expected);
    // previous_response_id: the gateway sent the stored turns and the new result upstream.
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny']);
    expect(ctx.upstream.requests).toHaveLength(4);
  },

  'parallel-tools': async (ctx) => {
    const { turns, answer, firstCalls } = await toolLoop(ctx, input.PARALLEL_PROMPT, false);
    expect(firstCalls).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
    expect(turns).toBe(2);
    expect(answer.output_text).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny; Tokyo: 18°C, rain`);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny', 'Tokyo: 18°C, rain']);
  },

  structured: async (ctx) => {
    const text = { format: zodTextFormat(input.weatherReport, 'weather_report') };
    const parsed = await client(ctx).responses.parse({ model: ctx.model, input: input.STRUCTURED_PROMPT, text });
    expect(parsed.output_parsed).toEqual(STRUCTURED_VALUE);
    const streamed = await client(ctx)
      .responses.stream({ model: ctx.model, input: input.STRUCTURED_PROMPT, text })
      .finalResponse();
    expect(streamed.output_parsed).toEqual(STRUCTURED_VALUE);
  },

  image: async (ctx) => {
    const answer = await client(ctx).responses.create({
      model: ctx.model,
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: input.IMAGE_PROMPT },
            { type: 'input_image', image_url: input.PNG_DATA_URL, detail: 'auto' },
          ],
        },
      ],
    });
    expect(answer.output_text).toBe(IMAGE_REPLY(1));
    expectOneUpstreamImage(ctx);
  },

  abort: async (ctx) => {
    const controller = new AbortController();
    const stream = await client(ctx).responses.create(
      { model: ctx.model, input: input.SLOW_PROMPT, stream: true },
      { signal: controller.signal },
    );
    let text = '';
    // The SDK's documented abort: the stream's iteration ends quietly (no error) once the signal aborts.
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (text !== '') controller.abort();
    }
    expect(controller.signal.aborted).toBe(true);
    expect(text.length).toBeLessThan(SLOW_TEXT.length);
    await expectUpstreamClosedEarly(ctx);
  },

  'typed-errors': async (ctx) => {
    const openai = client(ctx);
    const refused = openai.responses.create({
      model: ctx.model,
      input: input.PLAIN_PROMPT,
      temperature: input.INVALID_TEMPERATURE,
    });
    await expect(refused).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(refused).rejects.toMatchObject({ status: 400 });
    expect(ctx.upstream.requests).toHaveLength(0);
    const limited = openai.responses.create({ model: ctx.model, input: input.RATE_LIMITED_PROMPT });
    await expect(limited).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(limited).rejects.toMatchObject({ status: 429 });
    // The gateway's x-should-retry: false (its own tries are spent), which the SDK obeys: one upstream call.
    expect(ctx.upstream.requests).toHaveLength(1);
  },

  'prompt-caching': async (ctx) => {
    // The Responses API has `prompt_cache_key`; its input parts have no cache_control.
    const ask = () =>
      client(ctx)
        .responses.create({
          model: ctx.model,
          prompt_cache_key: 'compat-openai-sdk-responses',
          instructions: input.CACHE_PREFIX,
          input: input.cachePrompt('openai-sdk-responses'),
        })
        .withResponse();
    const first = await ask();
    const second = await ask();
    const sent = ctx.lastUpstreamBody();
    expect(first.data.usage?.input_tokens_details.cached_tokens ?? 0).toBe(0);
    if (openAIBacked(ctx)) {
      expect(sent.prompt_cache_key).toBe('compat-openai-sdk-responses');
      expect(second.data.usage?.input_tokens_details.cached_tokens).toBe(CACHED_TOKENS);
      expect(second.data.usage?.input_tokens).toBe(UPSTREAM_USAGE.input);
    } else {
      // Anthropic has no cache key: dropped and named; without cache_control nothing is cached.
      expect(sent.prompt_cache_key).toBeUndefined();
      expect(ignoredNames(second.response.headers.get('x-gateway-ignored'))).toContain('prompt_cache_key');
      expect(second.data.usage?.input_tokens_details.cached_tokens ?? 0).toBe(0);
    }
  },
});

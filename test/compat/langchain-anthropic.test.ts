import { ChatAnthropic } from '@langchain/anthropic';
import {
  AIMessageChunk,
  HumanMessage,
  SystemMessage,
  type BaseMessage,
  type BaseMessageLike,
  type UsageMetadata,
} from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { expectCachingThroughMessages, type PromptCounts } from './anthropic-helpers.js';
import { expectOneUpstreamImage, expectUpstreamClosedEarly, upstreamToolResults } from './expectations.js';
import { compatSuite, type CompatContext } from './harness.js';
import * as input from './inputs.js';
import { IMAGE_REPLY, PLAIN_REPLY, STRUCTURED_VALUE, TOOL_ANSWER_PREFIX, UPSTREAM_USAGE } from './smart-upstreams.js';

// LangChain ChatAnthropic with its defaults (apiKey → x-api-key, LangChain's own 6 retries), /v1/messages.
// Streaming uses `.stream()` (with `streaming: true`, `invoke` estimates tokens with tiktoken, which it downloads).
const chat = (ctx: CompatContext, watch?: Headers[]): ChatAnthropic =>
  new ChatAnthropic({
    model: ctx.model,
    anthropicApiUrl: ctx.gatewayUrl,
    apiKey: ctx.key,
    // `watch`: the answers' headers (X-Gateway-Ignored) are kept there; the SDK's own fetch does the request.
    ...(watch === undefined
      ? {}
      : {
          clientOptions: {
            fetch: async (url: string | URL | Request, init?: RequestInit) => {
              const response = await fetch(url, init);
              watch.push(response.headers);
              return response;
            },
          },
        }),
  });

const getWeather = tool(input.getWeather, { ...input.WEATHER_TOOL, schema: input.weatherInput });

/** The whole streamed answer: every chunk concatenated, and how many chunks carried text (`onText` runs for each). */
async function streamWhole(
  model: { stream(messages: BaseMessageLike[]): Promise<AsyncIterable<AIMessageChunk>> },
  messages: BaseMessageLike[],
  onText: () => void = () => undefined,
): Promise<{ whole: AIMessageChunk; textChunks: number }> {
  let whole: AIMessageChunk | undefined;
  let textChunks = 0;
  for await (const chunk of await model.stream(messages)) {
    if (chunk.text !== '') {
      textChunks++;
      onText();
    }
    whole = whole === undefined ? chunk : whole.concat(chunk);
  }
  if (whole === undefined) throw new Error('empty stream');
  return { whole, textChunks };
}

/** Resolves once the upstream has received `count` requests, or `settled` has (it checks every 10 ms). */
const upstreamCalls = (ctx: CompatContext, count: number, settled: Promise<unknown>): Promise<void> =>
  new Promise((resolve) => {
    let done = false;
    void settled.finally(() => (done = true));
    const timer = setInterval(() => {
      if (!done && ctx.upstream.requests.length < count) return;
      clearInterval(timer);
      resolve();
    }, 10);
  });

const promptCounts = (usage: UsageMetadata | undefined): PromptCounts => ({
  total: usage?.input_tokens ?? NaN,
  cacheRead: usage?.input_token_details?.cache_read ?? 0,
});

compatSuite('langchain-anthropic', {
  plain: async (ctx) => {
    const answer = await chat(ctx).invoke(input.PLAIN_PROMPT);
    expect(answer.content).toBe(PLAIN_REPLY);
    expect(answer.usage_metadata).toMatchObject({
      input_tokens: UPSTREAM_USAGE.input,
      output_tokens: UPSTREAM_USAGE.output,
    });
  },

  stream: async (ctx) => {
    let heldAtFirstPiece: boolean | undefined;
    const { whole, textChunks } = await streamWhole(
      chat(ctx),
      [new HumanMessage(input.HELD_STREAM_PROMPT)],
      () => (heldAtFirstPiece ??= ctx.releaseStream()),
    );
    expect(heldAtFirstPiece).toBe(true);
    expect(textChunks).toBeGreaterThan(1);
    expect(whole.text).toBe(PLAIN_REPLY);
  },

  'stream-usage': async (ctx) => {
    const bodies: Promise<string>[] = [];
    const model = new ChatAnthropic({
      model: ctx.model,
      anthropicApiUrl: ctx.gatewayUrl,
      apiKey: ctx.key,
      // Only watches: a copy of each answer's body (the SSE events), the SDK reads the original.
      clientOptions: {
        fetch: async (url: string | URL | Request, init?: RequestInit) => {
          const response = await fetch(url, init);
          bodies.push(response.clone().text());
          return response;
        },
      },
    });
    const { whole } = await streamWhole(model, [new HumanMessage(input.STREAM_PROMPT)]);
    const events = (await Promise.all(bodies)).join('');
    const usageOf = (type: string): { input_tokens: number; output_tokens: number } => {
      const line = events.split('\n').find((l) => l.startsWith('data: ') && l.includes(`"type":"${type}"`));
      if (line === undefined) throw new Error(`no ${type} event`);
      const data = JSON.parse(line.slice(6)) as {
        message?: { usage: { input_tokens: number; output_tokens: number } };
        usage?: { input_tokens: number; output_tokens: number };
      };
      const usage = data.message?.usage ?? data.usage;
      if (usage === undefined) throw new Error(`${type} without usage`);
      return usage;
    };
    // The gateway's message_delta carries the upstream's exact counts on both backends.
    expect(usageOf('message_delta')).toMatchObject({
      input_tokens: UPSTREAM_USAGE.input,
      output_tokens: UPSTREAM_USAGE.output,
    });
    // LangChain reads input tokens from message_start: exact from an Anthropic upstream, which sends them first; the
    // gateway's estimate from an OpenAI upstream, which counts only at the end (LIMITATIONS in scenarios.ts).
    const startInput = usageOf('message_start').input_tokens;
    if (ctx.backend === 'anthropic') expect(startInput).toBe(UPSTREAM_USAGE.input);
    else expect(startInput).toBeGreaterThan(0);
    expect(whole.usage_metadata).toMatchObject({
      input_tokens: startInput,
      output_tokens: UPSTREAM_USAGE.output,
      total_tokens: startInput + UPSTREAM_USAGE.output,
    });
  },

  'tool-loop': async (ctx) => {
    const model = chat(ctx).bindTools([getWeather]);
    const messages: BaseMessage[] = [new HumanMessage(input.TOOL_PROMPT)];
    for (let turn = 0; turn < 4; turn++) {
      const answer = await model.invoke(messages);
      messages.push(answer);
      if ((answer.tool_calls ?? []).length === 0) break;
      for (const call of answer.tool_calls ?? []) messages.push(await getWeather.invoke(call));
    }
    expect(messages.at(-1)?.content).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny`);
    expect(messages).toHaveLength(4);
    expect(ctx.upstream.requests).toHaveLength(2);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny']);
  },

  'parallel-tools': async (ctx) => {
    // Streamed turns this time: both calls assembled from the chunks, both results sent back.
    const model = chat(ctx).bindTools([getWeather]);
    const messages: BaseMessage[] = [new HumanMessage(input.PARALLEL_PROMPT)];
    const { whole: first } = await streamWhole(model, messages);
    expect(first.tool_calls?.map((call) => call.args)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
    messages.push(first);
    for (const call of first.tool_calls ?? []) messages.push(await getWeather.invoke(call));
    const { whole: second } = await streamWhole(model, messages);
    expect(second.text).toBe(`${TOOL_ANSWER_PREFIX}Paris: 21°C, sunny; Tokyo: 18°C, rain`);
    expect(upstreamToolResults(ctx)).toEqual(['Paris: 21°C, sunny', 'Tokyo: 18°C, rain']);
  },

  structured: async (ctx) => {
    // The default method (a forced tool call) and `jsonSchema` (output_config.format).
    const byTool = await chat(ctx).withStructuredOutput(input.weatherReport).invoke(input.STRUCTURED_PROMPT);
    expect(byTool).toEqual(STRUCTURED_VALUE);
    const bySchema = await chat(ctx)
      .withStructuredOutput(input.weatherReport, { method: 'jsonSchema' })
      .invoke(input.STRUCTURED_PROMPT);
    expect(bySchema).toEqual(STRUCTURED_VALUE);
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
    expect(answer.content).toBe(IMAGE_REPLY(1));
    expectOneUpstreamImage(ctx);
  },

  abort: async (ctx) => {
    const controller = new AbortController();
    const stream = await chat(ctx).stream(input.SLOW_PROMPT, { signal: controller.signal });
    const reading = (async () => {
      for await (const chunk of stream) if (chunk.text !== '') controller.abort();
    })();
    // LangChain's abort error: Error('Aborted') (the signal's reason, when it is one).
    await expect(reading).rejects.toThrow(/^Aborted$|aborted/);
    await expectUpstreamClosedEarly(ctx);
  },

  'typed-errors': async (ctx) => {
    const refused = chat(ctx).invoke(input.PLAIN_PROMPT, { stop: ['a', 'b', 'c', 'd', 'e'] });
    await expect(refused).rejects.toMatchObject({ status: 400, message: expect.stringContaining('stop_sequences') });
    expect(ctx.upstream.requests).toHaveLength(0);
    // The gateway's 429 comes after its own tries (x-should-retry: false). LangChain reads only Retry-After: the
    // answer fails the cell as soon as LangChain sends the request again (it would, up to 6 times, for minutes).
    const controller = new AbortController();
    const limited = chat(ctx)
      .invoke(input.RATE_LIMITED_PROMPT, { signal: controller.signal })
      .then(
        () => 'answered',
        (error: unknown) => error,
      );
    const retried = upstreamCalls(ctx, 2, limited).then(() => 'the client sent it again');
    const outcome = await Promise.race([limited, retried]);
    controller.abort();
    await Promise.all([limited, retried]);
    expect(outcome).toMatchObject({ status: 429 });
    expect(ctx.upstream.requests).toHaveLength(1);
  },

  'prompt-caching': async (ctx) => {
    const ephemeral = { type: 'ephemeral' } as const;
    const headers: Headers[] = [];
    const model = chat(ctx, headers);
    const messages = [
      new SystemMessage({ content: [{ type: 'text', text: input.CACHE_PREFIX, cache_control: ephemeral }] }),
      new HumanMessage({
        content: [{ type: 'text', text: input.cachePrompt('langchain-anthropic'), cache_control: ephemeral }],
      }),
    ];
    const first = await model.invoke(messages);
    const second = await model.invoke(messages);
    expectCachingThroughMessages(ctx, {
      ignored: headers.at(-1)?.get('x-gateway-ignored'),
      first: promptCounts(first.usage_metadata),
      second: promptCounts(second.usage_metadata),
      breakpoints: 2,
    });
  },
});

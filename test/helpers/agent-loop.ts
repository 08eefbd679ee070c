import type Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import * as fakeAnthropic from '../fakes/fake-anthropic.js';
import * as fakeOpenAI from '../fakes/fake-openai.js';

/**
 * Agent loops through the gateway (test/e2e/agent-loops-*.test.ts): the loops an app writes with the official SDKs,
 * the client's tool, and scripted upstream models.
 *
 * The upstream is a scripted model: asked about the weather, it calls get_weather once per city (two parallel calls;
 * the OpenAI fake streams them interleaved); given tool results, it answers from them, naming each result by the city
 * of the call its id belongs to, looked up in the conversation as the upstream received it. So a loop ends with
 * EXPECTED_ANSWER only if calls, ids, arguments and results survive both translations on every turn.
 */

const CITIES = ['Paris', 'Tokyo'] as const;
export const FORECAST: Readonly<Record<string, string>> = { Paris: '21°C, sunny', Tokyo: '18°C, rain' };
export const EXPECTED_ANSWER = 'Paris: 21°C, sunny; Tokyo: 18°C, rain';
const QUESTION = 'What is the weather in Paris and Tokyo?';
const MAX_STEPS = 4;

/** The client's tool. */
const getWeather = (input: unknown): string => {
  const city = typeof input === 'object' && input !== null && 'city' in input ? String(input.city) : '';
  return FORECAST[city] ?? `no forecast for ${JSON.stringify(city)}`;
};

export const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const cityOf = (args: unknown): string =>
  String(record(typeof args === 'string' ? JSON.parse(args) : args).city ?? '?');

// ------------------------------------------------------------------------------------------- scripted models

/** OpenAI-format model: tool calls for a question; after `tool` messages, the answer from them. */
export function openAIModel(request: fakeOpenAI.RecordedRequest): fakeOpenAI.Script {
  const body = record(request.body);
  const messages = list(body.messages).map(record);
  const stream = body.stream === true;
  const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant');
  const results = messages.slice(lastAssistant + 1).filter((m) => m.role === 'tool');
  if (results.length === 0) {
    const calls = CITIES.map((city) => ({
      id: `call_${city.toLowerCase()}`,
      name: 'get_weather',
      arguments: JSON.stringify({ city }),
    }));
    return stream ? fakeOpenAI.reply.stream(fakeOpenAI.toolCallChunks(calls)) : fakeOpenAI.reply.toolCalls(calls);
  }
  const calls = list(messages[lastAssistant]?.tool_calls).map(record);
  const answer = results
    .map((result) => {
      const call = calls.find((c) => c.id === result.tool_call_id);
      return `${call === undefined ? 'unknown call' : cityOf(record(call.function).arguments)}: ${String(result.content)}`;
    })
    .join('; ');
  return stream ? fakeOpenAI.reply.stream(fakeOpenAI.textChunks(answer, { parts: 5 })) : fakeOpenAI.reply.text(answer);
}

/** Anthropic-format model: tool_use blocks for a question; after tool_result blocks, the answer from them. */
export function anthropicModel(request: fakeAnthropic.RecordedRequest): fakeAnthropic.Script {
  const body = record(request.body);
  const messages = list(body.messages).map(record);
  const stream = body.stream === true;
  const results = list(messages.at(-1)?.content)
    .map(record)
    .filter((block) => block.type === 'tool_result');
  if (results.length === 0) {
    const calls = CITIES.map((city) => ({ id: `toolu_${city.toLowerCase()}`, name: 'get_weather', input: { city } }));
    return stream
      ? fakeAnthropic.reply.stream(fakeAnthropic.toolUseEvents(calls))
      : fakeAnthropic.reply.toolUse(calls, { text: 'Checking both.' });
  }
  const uses = list(messages.at(-2)?.content)
    .map(record)
    .filter((block) => block.type === 'tool_use');
  const answer = results
    .map((result) => {
      const use = uses.find((u) => u.id === result.tool_use_id);
      const content =
        typeof result.content === 'string'
          ? result.content
          : list(result.content)
              .map((b) => String(record(b).text))
              .join('');
      return `${use === undefined ? 'unknown call' : cityOf(use.input)}: ${content}`;
    })
    .join('; ');
  return stream
    ? fakeAnthropic.reply.stream(fakeAnthropic.textEvents(answer, { parts: 5 }))
    : fakeAnthropic.reply.text(answer);
}

// ------------------------------------------------------------------------------------------------- the loops

export interface LoopOutcome {
  readonly answer: string;
  readonly steps: number;
  readonly toolRuns: number;
}

const openAITools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

/** The loop an app writes with the openai SDK (streaming through its stream helper, which assembles tool calls). */
export async function openAILoop(client: OpenAI, stream: boolean): Promise<LoopOutcome> {
  const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: QUESTION }];
  let toolRuns = 0;
  for (let step = 1; step <= MAX_STEPS; step += 1) {
    const params = { model: 'target', messages, tools: openAITools };
    const completion = stream
      ? await client.chat.completions.stream(params).finalChatCompletion()
      : await client.chat.completions.create(params);
    const choice = completion.choices[0];
    if (choice === undefined) throw new Error('no choice');
    const calls = choice.message.tool_calls ?? [];
    messages.push({
      role: 'assistant',
      content: choice.message.content,
      ...(calls.length === 0 ? {} : { tool_calls: calls }),
    });
    if (choice.finish_reason !== 'tool_calls') return { answer: choice.message.content ?? '', steps: step, toolRuns };
    for (const call of calls) {
      if (call.type !== 'function') continue;
      toolRuns += 1;
      messages.push({ role: 'tool', tool_call_id: call.id, content: getWeather(JSON.parse(call.function.arguments)) });
    }
  }
  throw new Error(`no answer after ${MAX_STEPS} steps`);
}

const anthropicTools: Tool[] = [
  {
    name: 'get_weather',
    description: 'Weather of a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
];

/** The loop an app writes with @anthropic-ai/sdk: the response's content goes back as the assistant turn, as is. */
export async function anthropicLoop(client: Anthropic, stream: boolean): Promise<LoopOutcome> {
  const messages: MessageParam[] = [{ role: 'user', content: QUESTION }];
  let toolRuns = 0;
  for (let step = 1; step <= MAX_STEPS; step += 1) {
    const params = { model: 'target', max_tokens: 1024, messages, tools: anthropicTools };
    const message = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params);
    messages.push({ role: 'assistant', content: message.content });
    if (message.stop_reason !== 'tool_use') {
      return {
        answer: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
        steps: step,
        toolRuns,
      };
    }
    const results = message.content.flatMap((block) =>
      block.type === 'tool_use'
        ? [{ type: 'tool_result' as const, tool_use_id: block.id, content: getWeather(block.input) }]
        : [],
    );
    toolRuns += results.length;
    messages.push({ role: 'user', content: results });
  }
  throw new Error(`no answer after ${MAX_STEPS} steps`);
}

// -------------------------------------------------------------------------------------------------- the tests

interface LoopFixture {
  readonly client: OpenAI;
  readonly anthropic: Anthropic;
  readonly fake: { readonly requests: readonly { readonly body: unknown }[] };
}

/**
 * The four loops against one upstream: each SDK, without and with streaming. Each ends with EXPECTED_ANSWER after
 * two steps and two tool runs; `expectResultsUpstream` checks the messages of the second upstream call (the tool
 * results, in the upstream's own format, under the ids it issued).
 */
export function agentLoopTests(
  fixture: LoopFixture,
  expectResultsUpstream: (messages: Record<string, unknown>[]) => void,
): void {
  const secondTurn = (): Record<string, unknown>[] => list(record(fixture.fake.requests[1]?.body).messages).map(record);
  describe.each([false, true])('stream %s', (stream) => {
    it('openai SDK on /v1/chat/completions', async () => {
      expect(await openAILoop(fixture.client, stream)).toEqual({ answer: EXPECTED_ANSWER, steps: 2, toolRuns: 2 });
      expect(fixture.fake.requests).toHaveLength(2);
      expectResultsUpstream(secondTurn());
    });

    it('@anthropic-ai/sdk on /v1/messages', async () => {
      expect(await anthropicLoop(fixture.anthropic, stream)).toEqual({
        answer: EXPECTED_ANSWER,
        steps: 2,
        toolRuns: 2,
      });
      expect(fixture.fake.requests).toHaveLength(2);
      expectResultsUpstream(secondTurn());
    });
  });
}

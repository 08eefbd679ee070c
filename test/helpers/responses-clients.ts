import { createOpenAI } from '@ai-sdk/openai';
import { AIMessageChunk, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { tool as langChainTool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import type { ResponseFunctionToolCall, ResponseInputItem } from 'openai/resources/responses/responses';
import { z } from 'zod';
import * as fakeAnthropic from '../fakes/fake-anthropic.js';
import type * as fakeOpenAI from '../fakes/fake-openai.js';
import { messageItem, responseBody, responsesReply } from '../fakes/fake-openai-responses.js';
import { EXPECTED_ANSWER, FORECAST } from './agent-loop.js';
import type { ChatFixture } from './chat-gateway.js';

/**
 * /v1/responses with the real clients on their defaults (test/e2e/responses-clients-*.test.ts): the openai SDK's
 * responses.create, @ai-sdk/openai's default provider (createOpenAI()(id) speaks the Responses API) and LangChain's
 * ChatOpenAI({ useResponsesApi: true }). The upstream is the scripted weather model of agent-loop.ts (its
 * `defaultReply`); plain answers are queued per test with `say`.
 */
export interface Upstream {
  /** Queues a plain text answer, streamed or not. */
  say(text: string, stream: boolean): void;
}

/** An OpenAI target answers /v1/responses through the Responses API (the native lane). */
export const openAIUpstream = (fake: fakeOpenAI.FakeOpenAI): Upstream => ({
  say: (text, stream) =>
    fake.enqueue(
      stream
        ? responsesReply.stream(responseBody([messageItem(text)]))
        : responsesReply.json(responseBody([messageItem(text)])),
    ),
});

export const anthropicUpstream = (fake: fakeAnthropic.FakeAnthropic): Upstream => ({
  say: (text, stream) =>
    fake.enqueue(stream ? fakeAnthropic.reply.stream(fakeAnthropic.textEvents(text)) : fakeAnthropic.reply.text(text)),
});

type Fixture = Pick<ChatFixture<never>, 'gateway' | 'client'>;

const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};
const QUESTION = 'What is the weather in Paris and Tokyo?';
const cityOf = (args: string): string => String((JSON.parse(args) as { city?: unknown }).city);

/** The openai SDK's tool loop: output items go back as input, with one function_call_output per call. */
export async function openAISdkToolLoop(fixture: Fixture, stream: boolean): Promise<string> {
  const input: ResponseInputItem[] = [{ role: 'user', content: QUESTION }];
  for (let step = 0; step < 3; step += 1) {
    let output: ResponseInputItem[] = [];
    let text = '';
    if (stream) {
      const events = await fixture.client.responses.create({ model: 'target', input, tools: [WEATHER], stream });
      for await (const event of events) {
        if (event.type === 'response.output_text.delta') text += event.delta;
        if (event.type === 'response.completed') output = [...event.response.output] as ResponseInputItem[];
      }
    } else {
      const response = await fixture.client.responses.create({
        model: 'target',
        input,
        tools: [WEATHER],
        store: false,
      });
      output = [...response.output] as ResponseInputItem[];
      text = response.output_text;
    }
    const calls = output.filter((item): item is ResponseFunctionToolCall => item.type === 'function_call');
    if (calls.length === 0) return text;
    input.push(...output);
    for (const call of calls)
      input.push({
        type: 'function_call_output',
        call_id: call.call_id,
        output: FORECAST[cityOf(call.arguments)] ?? '',
      });
  }
  throw new Error('the loop did not end');
}

const aiSdkModel = (fixture: Fixture) =>
  createOpenAI({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key })('target');

const aiSdkTools = {
  get_weather: tool({
    description: 'Weather of a city',
    inputSchema: jsonSchema<{ city: string }>({
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    }),
    execute: async ({ city }) => FORECAST[city] ?? 'unknown',
  }),
};

export async function aiSdkGenerateText(fixture: Fixture): Promise<string> {
  return (await generateText({ model: aiSdkModel(fixture), prompt: 'Say hi' })).text;
}

/** streamText with a tool the SDK runs, and stopWhen: the second step answers from the results. */
export async function aiSdkStreamTools(fixture: Fixture): Promise<{ text: string; steps: number }> {
  const result = streamText({
    model: aiSdkModel(fixture),
    prompt: QUESTION,
    tools: aiSdkTools,
    stopWhen: stepCountIs(3),
  });
  return { text: await result.text, steps: (await result.steps).length };
}

export async function aiSdkGenerateObject(fixture: Fixture): Promise<unknown> {
  const result = await generateObject({
    model: aiSdkModel(fixture),
    prompt: 'Who?',
    schema: z.object({ name: z.string(), age: z.number() }),
  });
  return result.object;
}

const langChainModel = (fixture: Fixture) =>
  new ChatOpenAI({
    model: 'target',
    apiKey: fixture.gateway.devKey.key,
    configuration: { baseURL: `${fixture.gateway.url}/v1` },
    useResponsesApi: true,
  });

export const langChainInvoke = async (fixture: Fixture): Promise<unknown> =>
  (await langChainModel(fixture).invoke('Say hi')).content;

export async function langChainStream(fixture: Fixture): Promise<unknown> {
  let whole: AIMessageChunk | undefined;
  for await (const chunk of await langChainModel(fixture).stream('Say hi'))
    whole = whole === undefined ? chunk : whole.concat(chunk);
  return whole?.text;
}

const getWeather = langChainTool(({ city }: { city: string }) => FORECAST[city] ?? 'unknown', {
  name: 'get_weather',
  description: 'The weather in a city',
  schema: z.object({ city: z.string() }),
});

/** bindTools, the two parallel calls, tool.invoke for each, the answer from the results. */
export async function langChainToolLoop(fixture: Fixture): Promise<unknown> {
  const model = langChainModel(fixture).bindTools([getWeather]);
  const messages: BaseMessage[] = [new HumanMessage(QUESTION)];
  const first = await model.invoke(messages);
  expect(first.tool_calls?.map((call) => call.args)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
  messages.push(first);
  for (const call of first.tool_calls ?? []) messages.push(await getWeather.invoke(call));
  return (await model.invoke(messages)).text;
}

export { EXPECTED_ANSWER };

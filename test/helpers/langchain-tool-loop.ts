import { HumanMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { EXPECTED_ANSWER, FORECAST } from './agent-loop.js';
import type { ChatFixture } from './chat-gateway.js';

// test/e2e/langchain-tool-loop-*.test.ts: LangChain's ChatOpenAI agent loop with its defaults against the gateway's /v1/chat/completions: bindTools, the
// model's two parallel tool calls, `tool.invoke(toolCall)` (which makes ToolMessages carrying the tool's `name`, as
// LangGraph's ToolNode does), and the second turn answering from the results. On an OpenAI-backed alias the tool
// messages reach the upstream as sent (name included); on an Anthropic-backed one they become tool_result blocks.

const getWeather = tool(({ city }: { city: string }) => FORECAST[city] ?? 'unknown', {
  name: 'get_weather',
  description: 'The weather in a city',
  schema: z.object({ city: z.string() }),
});

// Streaming uses `.stream()` and concatenates the chunks: `invoke` with `streaming: true` also estimates tokens with
// tiktoken, whose encodings LangChain downloads (offline here, it retries for minutes before its fallback).
export async function langChainToolLoop(
  fixture: Pick<ChatFixture<never>, 'gateway'>,
  streaming: boolean,
): Promise<BaseMessage[]> {
  const model = new ChatOpenAI({
    model: 'target',
    apiKey: fixture.gateway.devKey.key,
    configuration: { baseURL: `${fixture.gateway.url}/v1` },
  }).bindTools([getWeather]);
  const ask = async (input: BaseMessage[]): Promise<BaseMessage & Pick<AIMessageChunk, 'tool_calls'>> => {
    if (!streaming) return model.invoke(input);
    let whole: AIMessageChunk | undefined;
    for await (const chunk of await model.stream(input)) whole = whole === undefined ? chunk : whole.concat(chunk);
    if (whole === undefined) throw new Error('empty stream');
    return whole;
  };
  const messages: BaseMessage[] = [new HumanMessage('What is the weather in Paris and Tokyo?')];
  const first = await ask(messages);
  expect(first.tool_calls?.map((call) => call.args)).toEqual([{ city: 'Paris' }, { city: 'Tokyo' }]);
  messages.push(first);
  for (const call of first.tool_calls ?? []) messages.push(await getWeather.invoke(call));
  const second = await ask(messages);
  expect(second.content).toBe(EXPECTED_ANSWER);
  return messages;
}

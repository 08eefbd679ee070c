import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { FORECAST, list, openAIModel, record } from '../helpers/agent-loop.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { langChainToolLoop as agentLoop } from '../helpers/langchain-tool-loop.js';

describe('LangChain ChatOpenAI tool loop, OpenAI-backed alias', () => {
  const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-lc-openai', defaultReply: openAIModel }));

  it.each([false, true])('two turns with tool.invoke tool messages (streaming: %s)', async (streaming) => {
    const messages = await agentLoop(fixture, streaming);
    expect(messages.filter((m) => m.getType() === 'tool').map((m) => m.name)).toEqual(['get_weather', 'get_weather']);
    const upstream = list(record(fixture.fake.requests.at(-1)?.body).messages).map(record);
    expect(upstream.filter((m) => m.role === 'tool')).toEqual([
      { role: 'tool', tool_call_id: 'call_paris', content: FORECAST.Paris, name: 'get_weather' },
      { role: 'tool', tool_call_id: 'call_tokyo', content: FORECAST.Tokyo, name: 'get_weather' },
    ]);
  });
});

import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import { anthropicModel, FORECAST, list, record } from '../helpers/agent-loop.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { langChainToolLoop as agentLoop } from '../helpers/langchain-tool-loop.js';

describe('LangChain ChatOpenAI tool loop, Anthropic-backed alias', () => {
  const fixture = chatFixture('anthropic', () =>
    startFakeAnthropic({ apiKey: 'sk-ant-lc', defaultReply: anthropicModel }),
  );

  it.each([false, true])('two turns with tool.invoke tool messages (streaming: %s)', async (streaming) => {
    await agentLoop(fixture, streaming);
    const last = list(record(fixture.fake.requests.at(-1)?.body).messages)
      .map(record)
      .at(-1);
    expect(list(last?.content).map(record)).toEqual([
      { type: 'tool_result', tool_use_id: 'toolu_paris', content: FORECAST.Paris },
      { type: 'tool_result', tool_use_id: 'toolu_tokyo', content: FORECAST.Tokyo },
    ]);
  });
});

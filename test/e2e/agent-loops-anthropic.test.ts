import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import { agentLoopTests, anthropicModel, FORECAST } from '../helpers/agent-loop.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Agent loops through the gateway to an Anthropic upstream (a scripted model, see test/helpers/agent-loop.ts): model
// → two parallel tool_use blocks → tool results → the answer from them, with the openai SDK on /v1/chat/completions
// and @anthropic-ai/sdk on /v1/messages, without and with streaming.

const fixture = chatFixture('anthropic', () =>
  startFakeAnthropic({ apiKey: 'sk-ant-agent', defaultReply: anthropicModel }),
);

agentLoopTests(fixture, (messages) => {
  expect(messages.at(-1)).toEqual({
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: 'toolu_paris', content: FORECAST.Paris },
      { type: 'tool_result', tool_use_id: 'toolu_tokyo', content: FORECAST.Tokyo },
    ],
  });
});

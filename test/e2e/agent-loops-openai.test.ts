import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { agentLoopTests, FORECAST, openAIModel } from '../helpers/agent-loop.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Agent loops through the gateway to an OpenAI upstream (a scripted model, see test/helpers/agent-loop.ts): model →
// two parallel tool calls → tool results → the answer from them, with the openai SDK on /v1/chat/completions and
// @anthropic-ai/sdk on /v1/messages, without and with streaming.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-agent-openai', defaultReply: openAIModel }));

agentLoopTests(fixture, (messages) => {
  expect(messages.filter((m) => m.role === 'tool')).toEqual([
    { role: 'tool', tool_call_id: 'call_paris', content: FORECAST.Paris },
    { role: 'tool', tool_call_id: 'call_tokyo', content: FORECAST.Tokyo },
  ]);
});

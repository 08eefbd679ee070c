import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import {
  aiSdkGenerateObject,
  aiSdkGenerateText,
  aiSdkStreamTools,
  EXPECTED_ANSWER,
  langChainInvoke,
  langChainStream,
  langChainToolLoop,
  openAISdkToolLoop,
  openAIUpstream,
} from '../helpers/responses-clients.js';
import { weatherModel } from '../helpers/responses-weather.js';

// The real clients on their defaults → /v1/responses → an OpenAI-backed alias (through the Responses API: the native
// lane).

const fixture = chatFixture('openai', () =>
  startFakeOpenAI({ apiKey: 'sk-upstream-openai-key', defaultReply: weatherModel }),
);
const upstream = () => openAIUpstream(fixture.fake);

it.each([false, true])(
  'openai SDK responses.create tool loop with function_call_output (stream: %s)',
  async (stream) => {
    expect(await openAISdkToolLoop(fixture, stream)).toBe(EXPECTED_ANSWER);
  },
);

it('@ai-sdk/openai default provider: generateText', async () => {
  upstream().say('Hello from the gateway', false);
  expect(await aiSdkGenerateText(fixture)).toBe('Hello from the gateway');
});

it('@ai-sdk/openai default provider: streamText with tools and stopWhen runs the tool loop', async () => {
  expect(await aiSdkStreamTools(fixture)).toEqual({ text: EXPECTED_ANSWER, steps: 2 });
});

it('@ai-sdk/openai default provider: generateObject', async () => {
  upstream().say('{"name":"Ada","age":36}', false);
  expect(await aiSdkGenerateObject(fixture)).toEqual({ name: 'Ada', age: 36 });
});

it('LangChain ChatOpenAI({ useResponsesApi: true }): invoke and stream', async () => {
  upstream().say('Hi there', false);
  expect(await langChainInvoke(fixture)).toEqual([expect.objectContaining({ type: 'text', text: 'Hi there' })]);
  upstream().say('Streamed hi', true);
  expect(await langChainStream(fixture)).toBe('Streamed hi');
});

it('LangChain ChatOpenAI({ useResponsesApi: true }): bindTools loop', async () => {
  expect(await langChainToolLoop(fixture)).toBe(EXPECTED_ANSWER);
});

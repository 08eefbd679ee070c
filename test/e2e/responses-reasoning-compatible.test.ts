import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { reply, startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { reasoningChunks, reasoningCompletion } from '../fakes/fake-openai-reasoning.js';
import { startChatGateway, type ChatGateway } from '../helpers/chat-gateway.js';

// An OpenAI-compatible server's reasoning_content (DeepSeek, vLLM) through /v1/responses with the openai SDK: a
// reasoning item whose summary is the text, with nothing to carry back (unsigned) — sent back, it is named, not sent.

let fake: FakeOpenAI;
let chat: ChatGateway;
beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'sk-upstream-compat' });
  chat = await startChatGateway({ type: 'openai', baseURL: fake.url, apiKey: fake.apiKey }, undefined, {
    providers: {
      upstream: {
        type: 'openai-compatible',
        baseURL: fake.url,
        apiKeyEnv: 'TEST_OPENAI_UPSTREAM_KEY',
        timeoutMs: 5000,
      },
    },
  });
});
afterAll(async () => {
  await chat.stop();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const include = ['reasoning.encrypted_content' as const];

it('JSON: a reasoning item before the message, no encrypted_content; sent back it is dropped and named', async () => {
  fake.enqueue(reply.json(reasoningCompletion('Two plus two.', '4')));
  const first = await chat.client.responses.create({ model: 'target', input: '2+2?', store: false, include });
  expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
  expect(first.output[0]).toEqual({
    id: expect.stringMatching(/^rs_req_/),
    type: 'reasoning',
    summary: [{ type: 'summary_text', text: 'Two plus two.' }],
  });

  fake.enqueue(reply.json(reasoningCompletion('Again.', '5')));
  const { response } = await chat.client.responses
    .create({
      model: 'target',
      store: false,
      include,
      input: [
        { role: 'user', content: '2+2?' },
        ...(first.output as ResponseInputItem[]),
        { role: 'user', content: '+1?' },
      ],
    })
    .withResponse();
  expect(response.headers.get('x-gateway-ignored')).toBe('input[].reasoning');
  const sent = fake.requests[1]?.body as { messages: Record<string, unknown>[] };
  expect(sent.messages[1]).toEqual({ role: 'assistant', content: '4' });
});

it('stream: reasoning_content deltas are reasoning_summary_text deltas of one reasoning item', async () => {
  fake.enqueue(reply.stream(reasoningChunks('Two plus two.', '4')));
  const stream = await chat.client.responses.create({ model: 'target', input: '2+2?', stream: true, store: false });
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  const summary = events.flatMap((e) => (e.type === 'response.reasoning_summary_text.delta' ? [e.delta] : []));
  expect(summary.join('')).toBe('Two plus two.');
  const completed = events.at(-1);
  if (completed?.type !== 'response.completed') throw new Error(`ended with ${String(completed?.type)}`);
  expect(completed.response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
});

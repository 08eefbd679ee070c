import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { startChatGateway, type ChatGateway } from '../helpers/chat-gateway.js';

// A plain chat body passes the zod-free check (api/chat-fast-check.ts) without loading the chat schemas; an alias
// with parameter overrides still has them checked with the schema, loaded then — even on the instance's first
// request. Bodies the check is not sure of still get the schema's own 400.
let fake: FakeOpenAI;
let chat: ChatGateway;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'sk-upstream-openai-key' });
  chat = await startChatGateway({ type: 'openai', baseURL: fake.url, apiKey: fake.apiKey }, undefined, {
    models: {
      target: {
        targets: [{ provider: 'upstream', model: 'openai-upstream-model', params: { temperature: 0.25 } }],
        retry: { attempts: 1 },
      },
    },
  });
});
afterAll(async () => {
  await chat.stop();
  await fake.close();
});

describe('a plain chat body', () => {
  it("first request: the alias's overrides are applied (the schema that checks them is loaded for it)", async () => {
    const completion = await chat.client.chat.completions.create({
      model: 'target',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(completion.choices[0]?.message.content).toContain('Hello there');
    expect(fake.requests.at(-1)?.body).toMatchObject({ temperature: 0.25, model: 'openai-upstream-model' });
  });

  it("a body the zod-free check leaves alone gets the schema's 400, naming the field", async () => {
    const res = await fetch(`${chat.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${chat.gateway.devKey.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'target', messages: [{ role: 'user', content: 'Hi' }], temperature: 3 }),
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { param: string; code: string } };
    expect(error).toMatchObject({ param: 'temperature', code: 'invalid_request_body' });
  });
});

import Anthropic, { BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import { reply, startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../fakes/fake-anthropic.js';
import { anthropicFailure } from '../helpers/api-error.js';
import { startChatGateway, type ChatGateway } from '../helpers/chat-gateway.js';
import { readCapture, replay } from '../helpers/claude-code-capture.js';
import { ledgerOf } from '../helpers/ledger.js';

// POST /v1/messages/count_tokens on an Anthropic-backed alias: @anthropic-ai/sdk's messages.countTokens (and its beta
// variant, ?beta=true) with its default settings gets the provider's own count (X-Gateway-Token-Count: provider), the
// request translated as a create would send it; Claude Code's captured count_tokens requests, replayed as sent, too.
// Not booked, no quota: the plan's daily token quota (1 token) refuses any message, never a count.
const COUNT = 4321;
let fake: FakeAnthropic;
let chat: ChatGateway;
let countReply: number | ReturnType<typeof reply.serverError> = COUNT;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'sk-ant-count', countTokens: () => countReply });
  chat = await startChatGateway({ type: 'anthropic', baseURL: fake.url, apiKey: fake.apiKey }, undefined, {
    models: {
      target: { targets: [{ provider: 'upstream', model: 'anthropic-upstream-model' }], retry: { attempts: 1 } },
      'claude-sonnet-4-6': { targets: [{ provider: 'upstream', model: 'claude-sonnet-4-6' }] },
      other: { targets: [{ provider: 'upstream', model: 'anthropic-upstream-model' }] },
    },
    plans: { default: { rateLimit: 1000, burstLimit: 1000, quotas: { tenant: { tokensPerDay: 1 } } } },
  });
});
afterAll(async () => {
  await chat.stop();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  countReply = COUNT;
});

/** The SDK as an app would create it: the gateway URL and key, nothing else (x-api-key, default retries). */
const sdk = (key = chat.gateway.devKey.key) => new Anthropic({ baseURL: chat.gateway.url, apiKey: key });
const counted = (): RecordedRequest[] => fake.requests.filter((r) => r.path.startsWith('/v1/messages/count_tokens'));
const ask = {
  model: 'target',
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'How many tokens is this?' }],
  tools: [{ name: 'get_weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }],
};

it("messages.countTokens: the provider's count, the request translated for the target, marked provider", async () => {
  const { data, response } = await sdk().messages.countTokens(ask).withResponse();
  expect(data).toEqual({ input_tokens: COUNT });
  expect(response.headers.get('x-gateway-token-count')).toBe('provider');
  expect(response.headers.get('request-id')).toBeTruthy();
  expect(counted()).toHaveLength(1);
  const sent = counted()[0]?.body as Record<string, unknown>;
  expect(Object.keys(sent).sort()).toEqual(['messages', 'model', 'system', 'tools']);
  expect(sent).toMatchObject({
    model: 'anthropic-upstream-model',
    system: 'Be brief.',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'How many tokens is this?' }] }],
    tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
  });
});

it('beta.messages.countTokens, and ?beta=true as Claude Code sends it, answer the same', async () => {
  const beta = await sdk().beta.messages.countTokens(ask).withResponse();
  expect(beta.data).toEqual({ input_tokens: COUNT });
  expect(beta.response.headers.get('x-gateway-token-count')).toBe('provider');
  const query = await sdk()
    .messages.countTokens(ask, { query: { beta: 'true' } })
    .withResponse();
  expect(query.response.url).toMatch(/\/v1\/messages\/count_tokens\?beta=true$/);
  expect(query.data).toEqual({ input_tokens: COUNT });
});

it("an upstream count that fails: the gateway's estimate, marked estimate (no retries, no error)", async () => {
  countReply = reply.serverError();
  const { data, response } = await sdk().messages.countTokens(ask).withResponse();
  expect(response.headers.get('x-gateway-token-count')).toBe('estimate');
  expect(data.input_tokens).toBeGreaterThan(10);
  expect(counted()).toHaveLength(1);
});

it('not booked and no quota: counts go through where the exhausted daily quota refuses a message', async () => {
  for (let i = 0; i < 3; i++) expect((await sdk().messages.countTokens(ask)).input_tokens).toBe(COUNT);
  const refused = await anthropicFailure(sdk().messages.create({ ...ask, max_tokens: 16 }));
  expect(refused.status).toBe(429);
  expect(await ledgerOf(chat.gateway.store.endpoint)).toEqual({ records: [], counters: [] });
});

describe.each(['x-api-key', 'bearer'] as const)(
  "Claude Code's captured count_tokens requests (key as %s)",
  (header) => {
    it.each(['count-tokens-plain', 'count-tokens-tools'])(
      '%s, replayed as captured: 200 with the provider count',
      async (name) => {
        const capture = readCapture(name);
        const res = await replay(capture, chat.gateway.url, { header, value: chat.gateway.devKey.key });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-gateway-token-count')).toBe('provider');
        expect(await res.json()).toEqual({ input_tokens: COUNT });
        const sent = counted()[0]?.body as { model: string; tools?: unknown[] };
        expect(sent.model).toBe('claude-sonnet-4-6');
        expect(sent.tools ?? []).toHaveLength((capture.body.tools as unknown[]).length);
      },
    );
  },
);

it("a body Anthropic's count_tokens refuses: 400 in Anthropic's error shape, nothing upstream", async () => {
  const res = await fetch(`${chat.gateway.url}/v1/messages/count_tokens`, {
    method: 'POST',
    headers: { 'x-api-key': chat.gateway.devKey.key, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'target', messages: [] }),
  });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { type: string; error: { type: string; message: string } };
  expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  expect(body.error.message).toMatch(/messages/);
  const withMax = await anthropicFailure(
    sdk().messages.countTokens({ ...ask, max_tokens: 5 } as Anthropic.MessageCountTokensParams),
  );
  expect(withMax).toBeInstanceOf(BadRequestError);
  expect(counted()).toHaveLength(0);
});

it('an alias the key may not use: the same 404 as an unknown alias', async () => {
  const res = await fetch(`${chat.gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: 'Bearer admin', 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'acme', models: ['target'] }),
  });
  expect(res.status).toBe(201);
  const { key } = (await res.json()) as { key: string };
  expect((await sdk(key).messages.countTokens(ask)).input_tokens).toBe(COUNT);
  const hidden = await anthropicFailure(sdk(key).messages.countTokens({ ...ask, model: 'other' }));
  const missing = await anthropicFailure(sdk(key).messages.countTokens({ ...ask, model: 'no-such-alias' }));
  for (const failure of [hidden, missing]) {
    expect(failure).toBeInstanceOf(NotFoundError);
    expect(failure.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  }
  expect(counted()).toHaveLength(1);
});

it("GET on count_tokens: 405 with Allow: POST, in Anthropic's error shape", async () => {
  const res = await fetch(`${chat.gateway.url}/v1/messages/count_tokens`, {
    headers: { 'x-api-key': chat.gateway.devKey.key },
  });
  expect(res.status).toBe(405);
  expect(res.headers.get('allow')).toBe('POST');
  expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
});

import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import { reply, startFakeOpenAI, type FakeOpenAI, type Script } from '../fakes/fake-openai.js';
import { startChatGateway, type ChatGateway } from '../helpers/chat-gateway.js';

// The SDKs with their default retries (openai: 2, @anthropic-ai/sdk: 2) in front of a gateway that retries itself:
// after the gateway's tries are spent, its answer says x-should-retry: false, so the upstream sees only the gateway's
// tries, not the gateway's times the SDK's. Retry-After only where a later retry can succeed (429), not on a 502.
const GATEWAY_ATTEMPTS = 2;
let fake: FakeOpenAI;
// What the fake answers every request with (its queue stays empty).
let answer: Script = reply.serverError(500);
let chat: ChatGateway;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'sk-upstream-openai-key', defaultReply: () => answer });
  chat = await startChatGateway({ type: 'openai', baseURL: fake.url, apiKey: fake.apiKey }, undefined, {
    models: {
      target: {
        targets: [{ provider: 'upstream', model: 'openai-upstream-model' }],
        retry: { attempts: GATEWAY_ATTEMPTS, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 10 },
        breaker: { failures: 1000 },
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

const ask = { model: 'target', messages: [{ role: 'user' as const, content: 'Hi' }] };
const failureOf = async (call: Promise<unknown>): Promise<APIError> => {
  const failure = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure instanceof APIError || failure instanceof Anthropic.APIError).toBe(true);
  return failure as APIError;
};
const openai = () => new OpenAI({ baseURL: `${chat.gateway.url}/v1`, apiKey: chat.gateway.devKey.key });

it('openai SDK, default maxRetries, upstream always 500: the upstream sees exactly the gateway tries', async () => {
  answer = reply.serverError(500);
  const error = await failureOf(openai().chat.completions.create(ask));
  expect(error.status).toBe(502);
  expect(error.headers?.get('x-should-retry')).toBe('false');
  expect(fake.requests).toHaveLength(GATEWAY_ATTEMPTS);
});

it('@anthropic-ai/sdk on /v1/messages, default maxRetries, upstream always 500: only the gateway tries', async () => {
  answer = reply.serverError(500);
  const anthropic = new Anthropic({ baseURL: chat.gateway.url, apiKey: chat.gateway.devKey.key });
  const error = await failureOf(anthropic.messages.create({ ...ask, max_tokens: 16 }));
  expect(error.status).toBe(502);
  expect(error.headers?.get('x-should-retry')).toBe('false');
  expect(fake.requests).toHaveLength(GATEWAY_ATTEMPTS);
});

it("a 503 with the provider's Retry-After: the 502 answer carries no Retry-After (it was advice to the gateway)", async () => {
  answer = reply.overloaded({ headers: { 'retry-after': '0' } });
  const error = await failureOf(openai().chat.completions.create(ask));
  expect(error.status).toBe(502);
  expect(error.headers?.get('retry-after')).toBeNull();
  expect(error.headers?.get('retry-after-ms')).toBeNull();
  expect(error.headers?.get('x-should-retry')).toBe('false');
  expect(fake.requests).toHaveLength(GATEWAY_ATTEMPTS);
});

it('an upstream 429 longer than the gateway waits: 429 with Retry-After (a later retry can succeed), no SDK retry', async () => {
  answer = reply.rateLimit(30);
  const error = await failureOf(openai().chat.completions.create(ask));
  expect(error.status).toBe(429);
  expect(error.headers?.get('retry-after')).toBe('30');
  expect(error.headers?.get('x-should-retry')).toBe('false');
  expect(fake.requests).toHaveLength(1);
});

it('a request error stays as it was: no x-should-retry on a 404', async () => {
  const error = await failureOf(openai().chat.completions.create({ ...ask, model: 'nope' }));
  expect(error.status).toBe(404);
  expect(error.headers?.get('x-should-retry')).toBeNull();
  expect(fake.requests).toHaveLength(0);
});

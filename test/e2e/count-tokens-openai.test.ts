import Anthropic from '@anthropic-ai/sdk';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { startChatGateway, type ChatGateway } from '../helpers/chat-gateway.js';
import { readCapture, replay } from '../helpers/claude-code-capture.js';
import { estimateInputTokens } from '../../lambdas/usage/estimate.js';
import { toChatRequest } from '../../lambdas/formats/anthropic-messages/messages-request.js';
import { countTokensRequestSchema } from '../../lambdas/api/count-tokens-schemas.js';

// POST /v1/messages/count_tokens on an OpenAI-backed alias: OpenAI has no count, so the answer is the gateway's
// estimate (usage/estimate.ts on the canonical request), marked X-Gateway-Token-Count: estimate; nothing goes
// upstream. @anthropic-ai/sdk's messages.countTokens with its defaults, and Claude Code's captured requests.
let fake: FakeOpenAI;
let chat: ChatGateway;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'sk-openai-count' });
  chat = await startChatGateway({ type: 'openai', baseURL: fake.url, apiKey: fake.apiKey }, undefined, {
    models: {
      target: { targets: [{ provider: 'upstream', model: 'openai-upstream-model' }] },
      'claude-sonnet-4-6': { targets: [{ provider: 'upstream', model: 'gpt-upstream' }] },
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

const estimateOf = (body: unknown): number => estimateInputTokens(toChatRequest(countTokensRequestSchema.parse(body)));

it("messages.countTokens: the gateway's estimate, marked estimate, nothing upstream", async () => {
  const ask = {
    model: 'target',
    system: 'Be brief.',
    messages: [{ role: 'user' as const, content: 'How many tokens is this, roughly?' }],
  };
  const sdk = new Anthropic({ baseURL: chat.gateway.url, apiKey: chat.gateway.devKey.key });
  const { data, response } = await sdk.messages.countTokens(ask).withResponse();
  expect(response.headers.get('x-gateway-token-count')).toBe('estimate');
  expect(data).toEqual({ input_tokens: estimateOf(ask) });
  expect(data.input_tokens).toBeGreaterThan(0);
  expect(fake.requests).toHaveLength(0);
});

describe.each(['x-api-key', 'bearer'] as const)(
  "Claude Code's captured count_tokens requests (key as %s)",
  (header) => {
    it.each(['count-tokens-plain', 'count-tokens-tools'])(
      '%s, replayed as captured: 200 with the estimate',
      async (name) => {
        const capture = readCapture(name);
        const res = await replay(capture, chat.gateway.url, { header, value: chat.gateway.devKey.key });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-gateway-token-count')).toBe('estimate');
        expect(await res.json()).toEqual({ input_tokens: estimateOf(capture.body) });
        expect(fake.requests).toHaveLength(0);
      },
    );
  },
);

import type { ToolChoiceTypes } from 'openai/resources/responses/responses';
import { reply, startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { replayedInput } from '../fakes/fake-openai-web-search.js';
import { QUERY, webSearchMessage } from '../fakes/fake-web-search.js';
import { apiFailure } from '../helpers/api-error.js';
import { startChatGateway, type ChatGateway } from '../helpers/chat-gateway.js';

// The hosted-tool rule through the local gateway (openai SDK on /v1/responses): a web_search the client forces
// (tool_choice {type: "web_search"}) goes only to targets that run it: on an echo alias a 400 unsupported_tool naming
// it; on an alias echo → Anthropic, the Anthropic target answers. Offered, the echo target drops it and names it in
// X-Gateway-Ignored.

let anthropic: FakeAnthropic;
let chat: ChatGateway;
beforeAll(async () => {
  anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-rule-key' });
  chat = await startChatGateway({ type: 'anthropic', baseURL: anthropic.url, apiKey: anthropic.apiKey }, undefined, {
    providers: {
      echo: { type: 'echo' },
      claude: { type: 'anthropic', baseURL: anthropic.url, apiKeyEnv: 'TEST_ANTHROPIC_UPSTREAM_KEY', timeoutMs: 5000 },
    },
    models: {
      echo: { targets: [{ provider: 'echo', model: 'echo-1' }], retry: { attempts: 1 } },
      fallback: {
        targets: [
          { provider: 'echo', model: 'echo-1' },
          { provider: 'claude', model: 'claude-upstream' },
        ],
        retry: { attempts: 1 },
      },
    },
  });
});
afterAll(async () => {
  await chat.stop();
  await anthropic.close();
});
beforeEach(() => anthropic.requests.splice(0));

const webSearch = { type: 'web_search' as const };
// OpenAI takes {type: "web_search"} for the web_search tool; the SDK's ToolChoiceTypes lists only the preview names.
const choice = { type: 'web_search' } as unknown as ToolChoiceTypes;
const forced = { input: 'News?', tools: [webSearch], tool_choice: choice };

it('forced on an echo alias: 400 unsupported_tool naming tools[web_search], in the Responses error shape', async () => {
  const err = await apiFailure(chat.client.responses.create({ model: 'echo', ...forced }));
  expect(err.status).toBe(400);
  expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'unsupported_tool', param: 'tools' });
  expect(err.message).toContain('tools[web_search]');
  expect(anthropic.requests).toHaveLength(0);
});

it('offered on an echo alias: answered, web_search dropped and named in X-Gateway-Ignored', async () => {
  const { data, response } = await chat.client.responses
    .create({ model: 'echo', input: 'News?', tools: [webSearch] })
    .withResponse();
  expect(data.status).toBe('completed');
  expect(response.headers.get('x-gateway-ignored')).toContain('tools[web_search]');
});

it('forced on an alias echo → Anthropic: the Anthropic target runs it as web_search_20250305 and answers', async () => {
  anthropic.enqueue(reply.message(webSearchMessage()));
  const { data, response } = await chat.client.responses.create({ model: 'fallback', ...forced }).withResponse();
  expect(anthropic.requests).toHaveLength(1);
  const sent = anthropic.requests[0]?.body as { tools?: unknown[]; tool_choice?: unknown };
  expect(sent.tools).toEqual([{ type: 'web_search_20250305', name: 'web_search' }]);
  expect(sent.tool_choice).toMatchObject({ type: 'tool', name: 'web_search' });
  expect(data.output.some((item) => item.type === 'web_search_call')).toBe(true);
  expect(data.output.find((item) => item.type === 'web_search_call')).toMatchObject({ action: { query: QUERY } });
  expect(response.headers.get('x-gateway-provider')).toBe('claude');
});

it('a replayed web_search_call input item: an echo target drops it and names it input[].web_search_call', async () => {
  const { data, response } = await chat.client.responses
    .create({ model: 'echo', input: replayedInput, tools: [webSearch] })
    .withResponse();
  expect(data.status).toBe('completed');
  expect(response.headers.get('x-gateway-ignored')?.split(',')).toEqual(
    expect.arrayContaining(['input[].web_search_call', 'tools[web_search]']),
  );
});

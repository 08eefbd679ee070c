import Anthropic from '@anthropic-ai/sdk';
import { reply, startFakeAnthropic } from '../fakes/fake-anthropic.js';
import { ANSWER_TEXT, QUERY, SOURCE, webSearchEvents } from '../fakes/fake-web-search.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// The response cache with Anthropic's server tool (web_search_20250305 on /v1/messages, @anthropic-ai/sdk): a
// streamed miss is recorded with the server_tool_use, its result and the cited text, so the streamed hit and the
// JSON hit give them back.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-cache-key' }), undefined, {
  plans: { default: { rateLimit: 1000, burstLimit: 1000, cache: { ttlSeconds: 60, cacheSampled: true } } },
});
const anthropic = () => new Anthropic({ baseURL: fixture.gateway.url, apiKey: fixture.gateway.devKey.key });
const webSearch = { type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 3 };
const ask = {
  model: 'target',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'News, cached?' }],
  tools: [webSearch],
};

function expectSearched(message: Anthropic.Message): void {
  expect(message.content.map((block) => block.type)).toContain('server_tool_use');
  expect(message.content.map((block) => block.type)).toContain('web_search_tool_result');
  const use = message.content.find((block) => block.type === 'server_tool_use');
  expect(use).toMatchObject({ name: 'web_search', input: { query: QUERY } });
  const texts = message.content.flatMap((block) => (block.type === 'text' ? [block] : []));
  expect(texts.map((block) => block.text).join('')).toBe(ANSWER_TEXT);
  const cited = texts.find((block) => (block.citations ?? []).length > 0);
  expect(cited?.citations?.[0]).toMatchObject({ type: 'web_search_result_location', url: SOURCE.url });
}

it('a streamed miss with a server tool is replayed with its blocks and citation, streamed and as JSON', async () => {
  fixture.fake.enqueue(reply.stream(webSearchEvents()));
  expectSearched(await anthropic().messages.stream(ask).finalMessage());
  expectSearched(await anthropic().messages.stream(ask).finalMessage());
  expectSearched(await anthropic().messages.create(ask));
  expect(fixture.fake.requests).toHaveLength(1);
});

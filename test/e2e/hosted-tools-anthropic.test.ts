import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ResponseOutputMessage } from 'openai/resources/responses/responses';
import { reply, startFakeAnthropic } from '../fakes/fake-anthropic.js';
import {
  AFTER,
  ANSWER_TEXT,
  BEFORE,
  CITED,
  QUERY,
  SOURCE,
  webSearchBlocks,
  webSearchEvents,
  webSearchMessage,
} from '../fakes/fake-web-search.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';

// Provider-hosted web search on an Anthropic alias: /v1/messages passes the server tool through and its blocks back
// (@anthropic-ai/sdk, JSON and stream); /v1/responses maps web_search → web_search_20250305 and the blocks to a
// web_search_call item and url_citation annotations (openai SDK). Each search is priced: 100 input × 1 + 20 output × 5
// + 1 search × 10 USD / 1,000 = 100 + 100 + 10,000 = 10,200 µ$.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-upstream-key' }), {
  input: 1,
  output: 5,
  webSearchPerThousand: 10,
});
const anthropic = () => new Anthropic({ baseURL: fixture.gateway.url, apiKey: fixture.gateway.devKey.key });
const webSearch = { type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 3 };
const ask = { model: 'target', max_tokens: 256, messages: [{ role: 'user' as const, content: 'News?' }] };
const sentTools = (at: number) => (fixture.fake.requests[at]?.body as { tools?: unknown[] }).tools;

it('/v1/messages: the server tool goes upstream as sent; its blocks and citations come back (JSON)', async () => {
  fixture.fake.enqueue(reply.message(webSearchMessage()));
  const message = await anthropic().messages.create({ ...ask, tools: [webSearch] });
  expect(sentTools(0)).toEqual([webSearch]);
  // Adjacent uncited text joins one block; the cited text stands alone with its citation.
  const blocks = webSearchBlocks();
  expect(message.content).toEqual([
    { type: 'text', text: BEFORE },
    blocks[1],
    blocks[2],
    { type: 'text', text: AFTER },
    blocks[4],
    { type: 'text', text: '.' },
  ]);
  expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
});

it('/v1/messages stream: server_tool_use, its result and the cited text reach the SDK', async () => {
  fixture.fake.enqueue(reply.stream(webSearchEvents()));
  const stream = anthropic().messages.stream({ ...ask, tools: [webSearch] });
  const message = await stream.finalMessage();
  const types = message.content.map((block) => block.type);
  expect(types).toEqual(['text', 'server_tool_use', 'web_search_tool_result', 'text', 'text']);
  expect(message.content[4]).toEqual({ type: 'text', text: '.' });
  expect(message.content[1]).toMatchObject({ type: 'server_tool_use', name: 'web_search', input: { query: QUERY } });
  const texts = message.content.flatMap((block) => (block.type === 'text' ? [block] : []));
  expect(texts.map((block) => block.text).join('')).toBe(ANSWER_TEXT);
  const cited = texts.find((block) => (block.citations ?? []).length > 0);
  expect(cited?.citations?.[0]).toMatchObject({ type: 'web_search_result_location', url: SOURCE.url });
  expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 });
});

it('/v1/responses: web_search → web_search_20250305; a web_search_call item and a url_citation annotation', async () => {
  fixture.fake.enqueue(reply.message(webSearchMessage()));
  const client = new OpenAI({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key });
  const response = await client.responses.create({
    model: 'target',
    input: 'News?',
    tools: [{ type: 'web_search', filters: { allowed_domains: ['example.com'] }, search_context_size: 'low' }],
    include: ['web_search_call.action.sources'],
  });
  expect(sentTools(0)).toEqual([{ type: 'web_search_20250305', name: 'web_search', allowed_domains: ['example.com'] }]);
  expect(response.output.map((item) => item.type)).toEqual(['message', 'web_search_call', 'message']);
  expect(response.output[1]).toMatchObject({
    type: 'web_search_call',
    status: 'completed',
    action: { type: 'search', query: QUERY, sources: [{ type: 'url', url: SOURCE.url }] },
  });
  const after = response.output[2] as ResponseOutputMessage;
  const part = after.content[0];
  expect(part?.type === 'output_text' ? part.annotations : []).toEqual([
    {
      type: 'url_citation',
      start_index: AFTER.length,
      end_index: AFTER.length + CITED.length,
      url: SOURCE.url,
      title: SOURCE.title,
    },
  ]);
  expect(response.output_text).toBe(ANSWER_TEXT);
  expect(BEFORE.length).toBeGreaterThan(0);
});

it('each search is booked at webSearchPerThousand: 10,200 µ$ a request', async () => {
  const { records } = await ledgerOf(fixture.gateway.store.endpoint);
  expect(records.map((record) => record.costMicros?.N)).toEqual(['10200', '10200', '10200']);
});

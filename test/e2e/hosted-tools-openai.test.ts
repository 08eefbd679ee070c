import type { ResponseOutputMessage, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { responseBody, responsesReply, responsesUsage } from '../fakes/fake-openai-responses.js';
import {
  WEB_BEFORE,
  WEB_CITED,
  WEB_QUERY,
  WEB_SOURCE,
  WEB_TEXT,
  priorSearch,
  replayedInput,
  webSearchOutput,
} from '../fakes/fake-openai-web-search.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';

// OpenAI's hosted web search on a native-lane OpenAI alias (type openai, api responses by default), with the real
// openai SDK: the web_search tool goes upstream as sent; the web_search_call item and the url_citation annotation come
// back (JSON, and streamed with the documented web_search_call progress and annotation.added events). Each search is
// priced: 100 input × 1 + 20 output × 5 + 1 search × 10 USD / 1,000 = 100 + 100 + 10,000 = 10,200 µ$.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-openai-upstream-key' }), {
  input: 1,
  output: 5,
  webSearchPerThousand: 10,
});
const webSearch = { type: 'web_search' as const, search_context_size: 'low' as const };
const searched = () => responseBody(webSearchOutput(), { usage: responsesUsage({ input: 100, output: 20 }) });
const sent = (at: number) => fixture.fake.requests[at]?.body as { tools?: unknown[]; input?: unknown };
const citation = {
  type: 'url_citation',
  start_index: WEB_BEFORE.length,
  end_index: WEB_BEFORE.length + WEB_CITED.length,
  url: WEB_SOURCE.url,
  title: WEB_SOURCE.title,
};

it('responses.create: web_search goes upstream as sent; the web_search_call and url_citation come back', async () => {
  fixture.fake.enqueue(responsesReply.json(searched()));
  const response = await fixture.client.responses.create({ model: 'target', input: 'News?', tools: [webSearch] });
  expect(sent(0).tools).toEqual([webSearch]);
  expect(response.output.map((item) => item.type)).toEqual(['web_search_call', 'message']);
  expect(response.output[0]).toMatchObject({
    type: 'web_search_call',
    status: 'completed',
    action: { type: 'search', query: WEB_QUERY },
  });
  const part = (response.output[1] as ResponseOutputMessage).content[0];
  expect(part?.type === 'output_text' ? part.annotations : []).toEqual([citation]);
  expect(response.output_text).toBe(WEB_TEXT);
});

it('responses.create stream: the web_search_call events, the annotation event and the final items reach the SDK', async () => {
  fixture.fake.enqueue(responsesReply.stream(searched()));
  const stream = fixture.client.responses.stream({ model: 'target', input: 'News?', tools: [webSearch] });
  const types: string[] = [];
  const annotations: unknown[] = [];
  for await (const event of stream as AsyncIterable<ResponseStreamEvent>) {
    types.push(event.type);
    if (event.type === 'response.output_text.annotation.added') annotations.push(event.annotation);
  }
  const response = await stream.finalResponse();
  expect(sent(0).tools).toEqual([webSearch]);
  const search = types.filter((type) => type.startsWith('response.web_search_call.'));
  expect(search).toEqual([
    'response.web_search_call.in_progress',
    'response.web_search_call.searching',
    'response.web_search_call.completed',
  ]);
  expect(annotations).toEqual([citation]);
  expect(response.output.map((item) => item.type)).toEqual(['web_search_call', 'message']);
  expect(response.output[0]).toMatchObject({ type: 'web_search_call', action: { type: 'search', query: WEB_QUERY } });
  const part = (response.output[1] as ResponseOutputMessage).content[0];
  expect(part?.type === 'output_text' ? part.annotations : []).toEqual([citation]);
  expect(response.output_text).toBe(WEB_TEXT);
});

it('each search is booked at webSearchPerThousand: 10,200 µ$ a request, in the ledger and /v1/usage', async () => {
  const { records } = await ledgerOf(fixture.gateway.store.endpoint);
  expect(records.map((record) => record.costMicros?.N)).toEqual(['10200', '10200']);
  const usage = await fetch(`${fixture.gateway.url}/v1/usage`, {
    headers: { Authorization: `Bearer ${fixture.gateway.devKey.key}` },
  });
  const body = (await usage.json()) as { totals: Record<string, number> };
  expect(body.totals).toMatchObject({ requests: 2, input_tokens: 200, output_tokens: 40, cost_micros: 20_400 });
});

// Codex replays the hosted items of earlier turns: the native lane sends them back upstream as they came, in place.
it('a replayed web_search_call input item goes upstream unchanged, in its place, not named as dropped', async () => {
  fixture.fake.enqueue(responsesReply.text('More news.'));
  const { data, response } = await fixture.client.responses
    .create({ model: 'target', input: replayedInput, tools: [webSearch] })
    .withResponse();
  expect(data.output_text).toBe('More news.');
  const input = sent(0).input as { type?: string; role?: string }[];
  expect(input.map((item) => `${item.type}:${item.role ?? ''}`)).toEqual([
    'message:user',
    'web_search_call:',
    'message:assistant',
    'message:user',
  ]);
  expect(input[1]).toEqual(priorSearch);
  expect(response.headers.get('x-gateway-ignored') ?? '').not.toContain('web_search_call');
});

import type { Response, ResponseOutputMessage, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { responseBody, responsesReply, responsesUsage } from '../fakes/fake-openai-responses.js';
import {
  WEB_BEFORE,
  WEB_CITED,
  WEB_QUERY,
  WEB_SOURCE,
  WEB_TEXT,
  webSearchOutput,
} from '../fakes/fake-openai-web-search.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// The response cache with a provider-hosted tool (OpenAI's web_search on the native Responses lane, real openai SDK):
// the hosted tool is part of the cache key, so a hit must carry what it produced — the web_search_call item and the
// url_citation annotation — whether the miss was streamed (the stream recorder) or JSON, and the hit replayed as a
// stream (replay-parts) or as JSON.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-openai-cache-key' }), undefined, {
  plans: { default: { rateLimit: 1000, burstLimit: 1000, cache: { ttlSeconds: 60 } } },
});
const webSearch = { type: 'web_search' as const, search_context_size: 'low' as const };
const searched = () => responseBody(webSearchOutput(), { usage: responsesUsage({ input: 100, output: 20 }) });
const citation = {
  type: 'url_citation',
  start_index: WEB_BEFORE.length,
  end_index: WEB_BEFORE.length + WEB_CITED.length,
  url: WEB_SOURCE.url,
  title: WEB_SOURCE.title,
};

const create = (input: string) =>
  fixture.client.responses.create({ model: 'target', input, tools: [webSearch], temperature: 0 });

async function streamed(input: string): Promise<{ types: string[]; annotations: unknown[]; response: Response }> {
  const stream = fixture.client.responses.stream({ model: 'target', input, tools: [webSearch], temperature: 0 });
  const types: string[] = [];
  const annotations: unknown[] = [];
  for await (const event of stream as AsyncIterable<ResponseStreamEvent>) {
    types.push(event.type);
    if (event.type === 'response.output_text.annotation.added') annotations.push(event.annotation);
  }
  return { types, annotations, response: await stream.finalResponse() };
}

function expectSearched(response: Response): void {
  expect(response.output.map((item) => item.type)).toEqual(['web_search_call', 'message']);
  expect(response.output[0]).toMatchObject({ type: 'web_search_call', action: { type: 'search', query: WEB_QUERY } });
  const part = (response.output[1] as ResponseOutputMessage).content[0];
  expect(part?.type === 'output_text' ? part.annotations : []).toEqual([citation]);
  expect(response.output_text).toBe(WEB_TEXT);
}

const searchEvents = (types: string[]) => types.filter((type) => type.startsWith('response.web_search_call.'));

it('a streamed miss is recorded with its web_search_call and citation: the streamed hit and the JSON hit carry them', async () => {
  fixture.fake.enqueue(responsesReply.stream(searched()));
  const miss = await streamed('News, streamed first?');
  expectSearched(miss.response);
  const hit = await streamed('News, streamed first?');
  expect(fixture.fake.requests).toHaveLength(1);
  expect(searchEvents(hit.types)).toEqual(searchEvents(miss.types));
  expect(hit.annotations).toEqual([citation]);
  expectSearched(hit.response);
  expectSearched(await create('News, streamed first?'));
  expect(fixture.fake.requests).toHaveLength(1);
});

it('a JSON miss replayed as a stream: the web_search_call events and the annotation event come back', async () => {
  fixture.fake.enqueue(responsesReply.json(searched()));
  expectSearched(await create('News, JSON first?'));
  const hit = await streamed('News, JSON first?');
  expect(fixture.fake.requests).toHaveLength(1);
  expect(searchEvents(hit.types)).toEqual([
    'response.web_search_call.in_progress',
    'response.web_search_call.searching',
    'response.web_search_call.completed',
  ]);
  expect(hit.annotations).toEqual([citation]);
  expectSearched(hit.response);
});

import type { ResponseOutputItem, ResponseOutputText, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { responseBody, responsesReply, responsesUsage } from '../fakes/fake-openai-responses.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// OpenAI's file_citation annotations (a file_search result cited at one point of the text) on the native Responses
// lane, with the real openai SDK: they reach the client as OpenAI sent them, in JSON and streamed
// (response.output_text.annotation.added), beside url_citation annotations.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-openai-file-cite' }));
const TEXT = 'The handbook says deploys freeze on Fridays.';
const fileCitation = { type: 'file_citation', file_id: 'file-abc123', filename: 'handbook.pdf', index: TEXT.length };
const urlCitation = {
  type: 'url_citation',
  start_index: 4,
  end_index: 12,
  url: 'https://example.com/handbook',
  title: 'Handbook',
};

const output = (): ResponseOutputItem[] => [
  {
    id: 'fs_1',
    type: 'file_search_call',
    status: 'completed',
    queries: ['deploy freeze'],
    results: null,
  },
  {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [
      {
        type: 'output_text',
        text: TEXT,
        logprobs: [],
        annotations: [urlCitation, fileCitation] as ResponseOutputText['annotations'],
      },
    ],
  },
];
const answer = () => responseBody(output(), { usage: responsesUsage({ input: 10, output: 5 }) });

const annotationsOf = (items: readonly ResponseOutputItem[]): unknown[] =>
  items.flatMap((item) =>
    item.type === 'message'
      ? item.content.flatMap((part) => (part.type === 'output_text' ? part.annotations : []))
      : [],
  );

it('responses.create: the file_citation annotation comes back as sent, beside the url_citation', async () => {
  fixture.fake.enqueue(responsesReply.json(answer()));
  const response = await fixture.client.responses.create({ model: 'target', input: 'Deploy rules?' });
  expect(response.output_text).toBe(TEXT);
  expect(annotationsOf(response.output)).toEqual([urlCitation, fileCitation]);
});

it('responses.create stream: annotation.added events carry the file_citation, and the final message has it', async () => {
  fixture.fake.enqueue(responsesReply.stream(answer()));
  const stream = fixture.client.responses.stream({ model: 'target', input: 'Deploy rules?' });
  const added: unknown[] = [];
  for await (const event of stream as AsyncIterable<ResponseStreamEvent>) {
    if (event.type === 'response.output_text.annotation.added') added.push(event.annotation);
  }
  const response = await stream.finalResponse();
  expect(added).toEqual([urlCitation, fileCitation]);
  expect(response.output_text).toBe(TEXT);
  expect(annotationsOf(response.output)).toEqual([urlCitation, fileCitation]);
});

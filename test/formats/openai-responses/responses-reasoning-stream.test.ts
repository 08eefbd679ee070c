import type { ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import type { ResponsesRequest } from '../../../lambdas/api/responses-schemas.js';
import type { ResponseObject } from '../../../lambdas/formats/openai-responses/response-object.js';
import { ResponsesStreamEncoder } from '../../../lambdas/formats/openai-responses/responses-event-stream.js';
import { wrapReasoning } from '../../../lambdas/formats/openai-responses/reasoning-wrap.js';
import { encodeStream } from '../../../lambdas/formats/sse-stream.js';
import type { StreamPart, Usage } from '../../../lambdas/providers/types.js';
import { toolsetOf } from '../../../lambdas/formats/openai-responses/responses-toolset.js';

// Reasoning in a Responses stream: Anthropic thinking → text → tool call, as OpenAI streams reasoning items (summary
// parts, sequence numbers), encrypted_content only when include asks for it (always in what is stored), OpenAI
// reasoning items with several summary parts, redacted thinking, and reasoning_tokens in the usage.

interface Event {
  readonly type: string;
  readonly sequence_number: number;
  readonly [field: string]: unknown;
}

const canonical: ChatRequest = { model: 'target', messages: [{ role: 'user', content: 'Weather?' }] };
const meta = { id: 'resp_req_abc1', created: 1, alias: 'target', requestId: 'r-1' };
const USAGE: Usage = {
  inputTokens: 30,
  outputTokens: 40,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 25,
};
const SIGNATURE = 'EqQBCgIYAhIM+sig/==';
const INCLUDE: ResponsesRequest = { model: 'target', input: 'Weather?', include: ['reasoning.encrypted_content'] };

async function run(
  parts: StreamPart[],
  request: ResponsesRequest = { model: 'target', input: 'Weather?' },
  kept: ResponseObject[] = [],
): Promise<Event[]> {
  async function* source(): AsyncGenerator<StreamPart> {
    yield* parts;
  }
  const encoder = new ResponsesStreamEncoder(request, toolsetOf(request.tools), canonical, meta, async (response) => {
    kept.push(response);
  });
  const events: Event[] = [];
  for await (const frame of encodeStream(source(), encoder, async () => undefined)) {
    for (const block of frame.split('\n\n').filter((b) => b !== '')) {
      const match = /^event: (\S+)\ndata: (.*)$/s.exec(block);
      if (match === null) throw new Error(`not an SSE event: ${JSON.stringify(block)}`);
      events.push(JSON.parse(match[2] ?? '') as Event);
    }
  }
  return events;
}

const thinkingThenTool: StreamPart[] = [
  { type: 'reasoning-delta', index: 0, delta: 'The user wants ' },
  { type: 'reasoning-delta', index: 0, delta: 'Paris.' },
  { type: 'reasoning-signature', index: 0, signature: SIGNATURE },
  { type: 'text-delta', delta: 'Checking.' },
  { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
  { type: 'finish', finishReason: 'tool_calls' },
  { type: 'usage', usage: USAGE },
];
const THINKING = { type: 'thinking', thinking: 'The user wants Paris.', signature: SIGNATURE } as const;
const rs = { item_id: 'rs_req_abc1_0', output_index: 0, summary_index: 0 };

it('thinking → text → tool call: the reasoning item first, its summary part events, numbered 0, 1, …', async () => {
  const kept: ResponseObject[] = [];
  const events = await run(thinkingThenTool, undefined, kept);
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
  expect(events.map(({ sequence_number: _n, response: _r, item: _i, ...rest }) => rest)).toEqual([
    { type: 'response.created' },
    { type: 'response.in_progress' },
    { type: 'response.output_item.added', output_index: 0 },
    { type: 'response.reasoning_summary_part.added', ...rs, part: { type: 'summary_text', text: '' } },
    { type: 'response.reasoning_summary_text.delta', ...rs, delta: 'The user wants ' },
    { type: 'response.reasoning_summary_text.delta', ...rs, delta: 'Paris.' },
    { type: 'response.reasoning_summary_text.done', ...rs, text: 'The user wants Paris.' },
    {
      type: 'response.reasoning_summary_part.done',
      ...rs,
      part: { type: 'summary_text', text: 'The user wants Paris.' },
    },
    { type: 'response.output_item.done', output_index: 0 },
    { type: 'response.output_item.added', output_index: 1 },
    expect.objectContaining({ type: 'response.content_part.added', item_id: 'msg_req_abc1_1' }),
    expect.objectContaining({ type: 'response.output_text.delta', delta: 'Checking.' }),
    expect.objectContaining({ type: 'response.output_text.done', text: 'Checking.' }),
    expect.objectContaining({ type: 'response.content_part.done', item_id: 'msg_req_abc1_1' }),
    { type: 'response.output_item.done', output_index: 1 },
    { type: 'response.output_item.added', output_index: 2 },
    expect.objectContaining({ type: 'response.function_call_arguments.delta', item_id: 'fc_req_abc1_2' }),
    expect.objectContaining({ type: 'response.function_call_arguments.done', arguments: '{"city":"Paris"}' }),
    { type: 'response.output_item.done', output_index: 2 },
    { type: 'response.completed' },
  ]);
  expect(events[2]?.item).toEqual({ id: 'rs_req_abc1_0', type: 'reasoning', summary: [] });
  const reasoning = {
    id: 'rs_req_abc1_0',
    type: 'reasoning',
    summary: [{ type: 'summary_text', text: THINKING.thinking }],
  };
  // Without include, the client gets no encrypted_content; the stored response keeps the block.
  expect(events[8]?.item).toEqual(reasoning);
  const completed = events.at(-1)?.response as ResponseObject;
  expect(completed.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
  expect(completed.output[0]).toEqual(reasoning);
  expect(completed.usage?.output_tokens_details).toEqual({ reasoning_tokens: 25 });
  expect(kept[0]?.output[0]).toEqual({ ...reasoning, encrypted_content: wrapReasoning(THINKING) });
  expect(kept[0]?.output.slice(1)).toEqual(completed.output.slice(1));
});

it("include reasoning.encrypted_content: the item's output_item.done and the Response carry the wrapped block", async () => {
  const events = await run(thinkingThenTool, INCLUDE);
  const done = events.find((event) => event.type === 'response.output_item.done');
  expect(done?.item).toMatchObject({ id: 'rs_req_abc1_0', encrypted_content: wrapReasoning(THINKING) });
  const completed = events.at(-1)?.response as ResponseObject;
  expect(completed.output[0]).toMatchObject({ encrypted_content: wrapReasoning(THINKING) });
});

it('an OpenAI reasoning item: one summary part per summaryIndex, its encrypted content at the end; redacted thinking an item without summary', async () => {
  const events = await run(
    [
      { type: 'reasoning-delta', index: 0, delta: 'First.', summaryIndex: 0 },
      { type: 'reasoning-delta', index: 0, delta: 'Second.', summaryIndex: 1 },
      { type: 'reasoning-item', index: 0, id: 'rs_openai', summary: ['First.', 'Second.'], encrypted_content: 'enc' },
      { type: 'reasoning-redacted', index: 1, data: 'opaque==' },
      { type: 'text-delta', delta: 'Hi' },
      { type: 'finish', finishReason: 'stop' },
    ],
    INCLUDE,
  );
  const reasoningTypes = events
    .filter((event) => event.type.includes('reasoning') || event.output_index === 0 || event.output_index === 1)
    .map((event) => `${event.type}${event.summary_index === undefined ? '' : `#${String(event.summary_index)}`}`);
  expect(reasoningTypes.slice(0, 12)).toEqual([
    'response.output_item.added',
    'response.reasoning_summary_part.added#0',
    'response.reasoning_summary_text.delta#0',
    'response.reasoning_summary_text.done#0',
    'response.reasoning_summary_part.done#0',
    'response.reasoning_summary_part.added#1',
    'response.reasoning_summary_text.delta#1',
    'response.reasoning_summary_text.done#1',
    'response.reasoning_summary_part.done#1',
    'response.output_item.done',
    'response.output_item.added',
    'response.output_item.done',
  ]);
  const completed = events.at(-1)?.response as ResponseObject;
  expect(completed.output.slice(0, 2)).toEqual([
    {
      id: 'rs_req_abc1_0',
      type: 'reasoning',
      summary: [
        { type: 'summary_text', text: 'First.' },
        { type: 'summary_text', text: 'Second.' },
      ],
      encrypted_content: 'enc',
    },
    {
      id: 'rs_req_abc1_1',
      type: 'reasoning',
      summary: [],
      encrypted_content: wrapReasoning({ type: 'redacted_thinking', data: 'opaque==' }),
    },
  ]);
  expect(completed.usage?.output_tokens_details).toEqual({ reasoning_tokens: 0 });
});

it("reasoning text without a signature (an OpenAI-compatible server's reasoning_content) ends when the text starts, with nothing to carry back", async () => {
  const events = await run(
    [
      { type: 'reasoning-delta', index: 0, delta: 'Hmm.' },
      { type: 'text-delta', delta: 'Hi' },
      { type: 'finish', finishReason: 'stop' },
    ],
    INCLUDE,
  );
  const completed = events.at(-1)?.response as ResponseObject;
  expect(completed.output[0]).toEqual({
    id: 'rs_req_abc1_0',
    type: 'reasoning',
    summary: [{ type: 'summary_text', text: 'Hmm.' }],
  });
  expect(completed.output[1]).toMatchObject({ id: 'msg_req_abc1_1', type: 'message' });
});

it('interleaved thinking → tool call → thinking → tool call: each call item is done before the next reasoning item', async () => {
  const events = await run([
    { type: 'reasoning-delta', index: 0, delta: 'Paris first.' },
    { type: 'reasoning-signature', index: 0, signature: SIGNATURE },
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
    { type: 'reasoning-delta', index: 1, delta: 'Now Tokyo.' },
    { type: 'reasoning-signature', index: 1, signature: SIGNATURE },
    { type: 'tool-call-start', index: 1, id: 'call_b', name: 'get_weather' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"Tokyo"}' },
    { type: 'finish', finishReason: 'tool_calls' },
  ]);
  const items = events.flatMap((event) =>
    event.type === 'response.output_item.added' || event.type === 'response.output_item.done'
      ? [`${event.type.slice('response.output_item.'.length)} ${(event.item as { id: string }).id}`]
      : [],
  );
  expect(items).toEqual([
    'added rs_req_abc1_0',
    'done rs_req_abc1_0',
    'added fc_req_abc1_1',
    'done fc_req_abc1_1',
    'added rs_req_abc1_2',
    'done rs_req_abc1_2',
    'added fc_req_abc1_3',
    'done fc_req_abc1_3',
  ]);
});

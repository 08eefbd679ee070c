import type { ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import type { ResponsesRequest } from '../../../lambdas/api/responses-schemas.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import type { ResponseObject } from '../../../lambdas/formats/openai-responses/response-object.js';
import { ResponsesStreamEncoder } from '../../../lambdas/formats/openai-responses/responses-event-stream.js';
import { toolsetOf } from '../../../lambdas/formats/openai-responses/responses-toolset.js';
import { encodeStream } from '../../../lambdas/formats/sse-stream.js';
import type { StreamPart, Usage } from '../../../lambdas/providers/types.js';

// Stream parts → the Responses SSE events: order and numbering, parallel calls as separate items, refusals,
// incomplete answers, failures, and the keep hook after the books and before the last event.

interface Event {
  readonly type: string;
  readonly sequence_number: number;
  readonly [field: string]: unknown;
}

const request: ResponsesRequest = { model: 'target', input: 'Weather?' };
const canonical: ChatRequest = { model: 'target', messages: [{ role: 'user', content: 'Weather?' }] };
const meta = { id: 'resp_req_abc1', created: 1, alias: 'target', requestId: 'r-1' };
const USAGE: Usage = { inputTokens: 30, outputTokens: 12, cachedInputTokens: 10, cacheWriteTokens: 0 };

function parse(frame: string): Event[] {
  return frame
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const match = /^event: (\S+)\ndata: (.*)$/s.exec(block);
      if (match === null) throw new Error(`not an SSE event: ${JSON.stringify(block)}`);
      const data = JSON.parse(match[2] ?? '') as Event;
      expect(data.type).toBe(match[1]);
      return data;
    });
}

async function run(parts: StreamPart[], kept: ResponseObject[] = [], asked = request): Promise<Event[]> {
  async function* source(): AsyncGenerator<StreamPart> {
    yield* parts;
  }
  const encoder = new ResponsesStreamEncoder(asked, toolsetOf(asked.tools), canonical, meta, async (response) => {
    kept.push(response);
  });
  const events: Event[] = [];
  for await (const frame of encodeStream(source(), encoder, async () => undefined)) events.push(...parse(frame));
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
  return events;
}

const types = (events: Event[]) => events.map((event) => event.type);

it('text then two interleaved parallel calls: a message item, then one function_call item per call', async () => {
  const kept: ResponseObject[] = [];
  const events = await run(
    [
      { type: 'text-delta', delta: 'Checking.' },
      { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-start', index: 1, id: 'call_b', name: 'get_weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"Tokyo"}' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
      { type: 'finish', finishReason: 'tool_calls' },
      { type: 'usage', usage: USAGE },
    ],
    kept,
  );
  expect(types(events)).toEqual([
    'response.created',
    'response.in_progress',
    'response.output_item.added',
    'response.content_part.added',
    'response.output_text.delta',
    'response.output_text.done',
    'response.content_part.done',
    'response.output_item.done',
    'response.output_item.added',
    'response.function_call_arguments.delta',
    'response.output_item.added',
    'response.function_call_arguments.delta',
    'response.function_call_arguments.delta',
    'response.function_call_arguments.done',
    'response.output_item.done',
    'response.function_call_arguments.done',
    'response.output_item.done',
    'response.completed',
  ]);
  const completed = events.at(-1)?.response as ResponseObject;
  expect(completed.output).toEqual([
    expect.objectContaining({ id: 'msg_req_abc1_0', type: 'message', status: 'completed' }),
    expect.objectContaining({ id: 'fc_req_abc1_1', call_id: 'call_a', arguments: '{"city":"Paris"}' }),
    expect.objectContaining({ id: 'fc_req_abc1_2', call_id: 'call_b', arguments: '{"city":"Tokyo"}' }),
  ]);
  expect(completed.usage).toMatchObject({
    input_tokens: 30,
    output_tokens: 12,
    input_tokens_details: { cached_tokens: 10 },
  });
  expect(kept).toEqual([completed]);
});

it('a refusal is a refusal content part; a length finish is response.incomplete with max_output_tokens', async () => {
  const events = await run([
    { type: 'refusal-delta', delta: "I can't help with that." },
    { type: 'finish', finishReason: 'length' },
  ]);
  expect(types(events)).toContain('response.refusal.delta');
  expect(events.find((event) => event.type === 'response.refusal.done')).toMatchObject({
    content_index: 0,
    refusal: "I can't help with that.",
  });
  expect(events.at(-1)).toMatchObject({
    type: 'response.incomplete',
    response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
  });
});

it('a failure is response.failed then an error event, and nothing is kept', async () => {
  const kept: ResponseObject[] = [];
  const error = new GatewayError({ code: 'upstream_stream_truncated', message: 'cut' });
  const events = await run(
    [
      { type: 'text-delta', delta: 'Hal' },
      { type: 'error', error },
    ],
    kept,
  );
  expect(types(events).slice(-2)).toEqual(['response.failed', 'error']);
  expect(events.at(-1)).toMatchObject({ code: 'upstream_stream_truncated', message: 'cut' });
  expect(events.at(-2)).toMatchObject({ response: { status: 'failed', error: { code: 'server_error' } } });
  expect(kept).toEqual([]);
});

it('custom tool call: custom_tool_call_input.delta of decoded text (escapes split), then .done', async () => {
  const kept: ResponseObject[] = [];
  const asked: ResponsesRequest = {
    model: 'target',
    input: 'Patch it.',
    tools: [
      { type: 'custom', name: 'apply_patch', format: { type: 'text' } },
      { type: 'namespace', name: 'ns', description: 'N.', tools: [{ type: 'function', name: 'f' }] },
    ],
  };
  const events = await run(
    [
      { type: 'tool-call-start', index: 0, id: 'call_p', name: 'apply_patch' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"input":"*** Begin Patch\\' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'n+say \\"hi\\' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"\\n"}' },
      { type: 'tool-call-start', index: 1, id: 'call_f', name: 'ns__f' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
      { type: 'finish', finishReason: 'tool_calls' },
      { type: 'usage', usage: USAGE },
    ],
    kept,
    asked,
  );
  const input = '*** Begin Patch\n+say "hi"\n';
  expect(types(events).slice(2)).toEqual([
    'response.output_item.added',
    'response.custom_tool_call_input.delta',
    'response.custom_tool_call_input.delta',
    'response.custom_tool_call_input.delta',
    'response.output_item.added',
    'response.function_call_arguments.delta',
    'response.custom_tool_call_input.done',
    'response.output_item.done',
    'response.function_call_arguments.done',
    'response.output_item.done',
    'response.completed',
  ]);
  const deltas = events.filter((event) => event.type === 'response.custom_tool_call_input.delta');
  expect(deltas.map((event) => event.delta)).toEqual(['*** Begin Patch', '\n+say "hi', '"\n']);
  expect(deltas[0]).toMatchObject({ item_id: 'ctc_req_abc1_0', output_index: 0 });
  expect(events.find((event) => event.type === 'response.custom_tool_call_input.done')).toMatchObject({
    item_id: 'ctc_req_abc1_0',
    output_index: 0,
    input,
  });
  expect(events.find((event) => event.type === 'response.function_call_arguments.done')).toMatchObject({ name: 'f' });
  expect(kept[0]?.output).toEqual([
    {
      id: 'ctc_req_abc1_0',
      type: 'custom_tool_call',
      status: 'completed',
      call_id: 'call_p',
      name: 'apply_patch',
      input,
    },
    {
      id: 'fc_req_abc1_1',
      type: 'function_call',
      status: 'completed',
      call_id: 'call_f',
      name: 'f',
      namespace: 'ns',
      arguments: '{}',
    },
  ]);
});

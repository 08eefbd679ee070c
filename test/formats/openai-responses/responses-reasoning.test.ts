import type { ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import type { ResolvedItem } from '../../../lambdas/api/responses-input-schemas.js';
import { responsesRequestSchema, type ResponsesRequest } from '../../../lambdas/api/responses-schemas.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import type { ResponseObject } from '../../../lambdas/formats/openai-responses/response-object.js';
import { responsesEncoding } from '../../../lambdas/formats/openai-responses/responses-encoding.js';
import { toChatRequest } from '../../../lambdas/formats/openai-responses/responses-request.js';
import { wrapReasoning } from '../../../lambdas/formats/openai-responses/reasoning-wrap.js';
import type { ChatResult } from '../../../lambdas/providers/types.js';
import { toolsetOf } from '../../../lambdas/formats/openai-responses/responses-toolset.js';

// Reasoning on the Responses format, JSON: output items in answer order (interleaved thinking), encrypted_content
// only with include (always stored), reasoning_tokens; and back: reasoning input items → thinking_blocks.

const canonical: ChatRequest = { model: 'target', messages: [{ role: 'user', content: 'Weather?' }] };
const meta = { id: 'resp_req_abc1', created: 1, alias: 'target', requestId: 'r-1' };
const THINK_1 = { type: 'thinking', thinking: 'Paris first.', signature: 'sig-1/+=' } as const;
const REDACTED = { type: 'redacted_thinking', data: 'opaque==' } as const;
const THINK_2 = { type: 'thinking', thinking: 'Now Tokyo.', signature: 'sig-2' } as const;
const result: ChatResult = {
  content: 'Checking.',
  refusal: null,
  toolCalls: [
    { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { id: 'call_b', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
  ],
  finishReason: 'tool_calls',
  usage: { inputTokens: 10, outputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 30 },
  reasoning: [THINK_1, REDACTED, THINK_2],
  reasoningAfterToolCalls: [0, 1, 1],
};

async function answer(
  request: ResponsesRequest,
  answered: ChatResult = result,
): Promise<{ body: ResponseObject; kept: ResponseObject[] }> {
  const kept: ResponseObject[] = [];
  const encoding = responsesEncoding(request, toolsetOf(request.tools), async (response) => {
    kept.push(response);
  });
  const body = encoding.body(answered, canonical, meta) as ResponseObject;
  await encoding.keep?.();
  return { body, kept };
}

const summary = (text: string) => [{ type: 'summary_text', text }];

describe('the Response (JSON)', () => {
  it('thinking, text, tool call, redacted thinking, thinking, tool call: items in answer order, stable ids', async () => {
    const { body, kept } = await answer({ model: 'target', input: 'Weather?' });
    expect(body.output.map((item) => [item.type, item.id])).toEqual([
      ['reasoning', 'rs_req_abc1_0'],
      ['message', 'msg_req_abc1_1'],
      ['function_call', 'fc_req_abc1_2'],
      ['reasoning', 'rs_req_abc1_3'],
      ['reasoning', 'rs_req_abc1_4'],
      ['function_call', 'fc_req_abc1_5'],
    ]);
    expect(body.output[0]).toEqual({ id: 'rs_req_abc1_0', type: 'reasoning', summary: summary('Paris first.') });
    expect(body.output[3]).toEqual({ id: 'rs_req_abc1_3', type: 'reasoning', summary: [] });
    expect(body.usage?.output_tokens_details).toEqual({ reasoning_tokens: 30 });
    // Stored: the same Response, its reasoning items with the blocks wrapped.
    expect(kept[0]?.output[0]).toMatchObject({ encrypted_content: wrapReasoning(THINK_1) });
    expect(kept[0]?.output[3]).toMatchObject({ encrypted_content: wrapReasoning(REDACTED) });
  });

  it('include reasoning.encrypted_content: the client gets the wrapped blocks; OpenAI items keep their own id and content', async () => {
    const { body } = await answer({ model: 'target', input: 'Weather?', include: ['reasoning.encrypted_content'] });
    expect(body.output[4]).toEqual({
      id: 'rs_req_abc1_4',
      type: 'reasoning',
      summary: summary('Now Tokyo.'),
      encrypted_content: wrapReasoning(THINK_2),
    });
    const openai = {
      type: 'openai_reasoning',
      id: 'rs_openai',
      summary: ['A.', 'B.'],
      encrypted_content: 'enc',
    } as const;
    const own = await answer(
      { model: 'target', input: 'Hi', include: ['reasoning.encrypted_content'] },
      { ...result, toolCalls: [], reasoning: [openai], reasoningAfterToolCalls: undefined },
    );
    expect(own.body.output[0]).toEqual({
      id: 'rs_openai',
      type: 'reasoning',
      summary: [...summary('A.'), ...summary('B.')],
      encrypted_content: 'enc',
    });
  });
});

describe('reasoning input items → thinking_blocks', () => {
  const translate = (input: unknown[]) => {
    const request = responsesRequestSchema.parse({ model: 'target', input, store: false });
    return toChatRequest(request, request.input as ResolvedItem[]);
  };
  const user = { role: 'user', content: 'Weather?' };
  const call = (id: string) => ({ type: 'function_call', call_id: id, name: 'get_weather', arguments: '{}' });
  const item = (block: Parameters<typeof wrapReasoning>[0], id?: string) => ({
    type: 'reasoning',
    ...(id === undefined ? {} : { id }),
    summary: [],
    encrypted_content: wrapReasoning(block),
  });

  it("the gateway's wrapped blocks come back exactly, on the assistant turn they preceded or followed", () => {
    const { chat, ignored } = translate([
      user,
      item(THINK_1, 'rs_req_abc1_0'),
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
      call('call_a'),
      item(REDACTED),
      item(THINK_2),
      call('call_b'),
      { type: 'function_call_output', call_id: 'call_a', output: '21' },
      { type: 'function_call_output', call_id: 'call_b', output: '18' },
    ]);
    expect(chat.messages[1]).toEqual({
      role: 'assistant',
      content: 'Checking.',
      thinking_blocks: [THINK_1, REDACTED, THINK_2],
      tool_calls: [expect.objectContaining({ id: 'call_a' }), expect.objectContaining({ id: 'call_b' })],
    });
    expect(ignored).toEqual([]);
  });

  it("OpenAI's items (as Codex sends them: no id) become openai_reasoning blocks", () => {
    const { chat } = translate([
      user,
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Plan.' }], encrypted_content: 'gAAAAB-openai' },
      call('call_a'),
      { type: 'function_call_output', call_id: 'call_a', output: '21' },
    ]);
    expect(chat.messages[1]).toMatchObject({
      thinking_blocks: [{ type: 'openai_reasoning', id: '', summary: ['Plan.'], encrypted_content: 'gAAAAB-openai' }],
    });
  });

  it('dropped and named input[].reasoning: a gateway item without encrypted_content, and reasoning no assistant turn follows', () => {
    const { chat, ignored } = translate([
      user,
      { type: 'reasoning', id: 'rs_req_abc1_0', summary: [{ type: 'summary_text', text: 'Paris first.' }] },
      { type: 'message', role: 'assistant', content: 'Done.' },
      user,
      item(THINK_1),
    ]);
    expect(chat.messages).toEqual([user, { role: 'assistant', content: 'Done.' }, user]);
    expect(ignored).toEqual(['input[].reasoning']);
  });

  it('a wrapped encrypted_content that does not unwrap is a 400 invalid_encrypted_content naming the item', () => {
    const bad = [user, { type: 'reasoning', summary: [], encrypted_content: 'gwr1.bm90IGpzb24' }, call('c')];
    const caught = (() => {
      try {
        translate(bad);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(caught).toBeInstanceOf(GatewayError);
    expect(caught).toMatchObject({
      code: 'invalid_encrypted_content',
      param: 'input[1].encrypted_content',
      status: 400,
    });
  });
});

import type { CompletionUsage } from 'openai/resources/completions';
import { estimateOutputTokens } from '../../lambdas/usage/estimate.js';
import { reply, startFakeOpenAI, textChunks } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';

// Provider usage without completion_tokens, or with nulls (issue 14, item 14): the missing count is estimated and the
// record marked estimated; the answer is served whole (200, a stream to its end) with numeric usage, and booked —
// which also settles its quota reservation, in the same transaction.
const openai = chatFixture(
  'openai',
  () => startFakeOpenAI({ apiKey: 'sk-missing' }),
  { input: 10, output: 30 },
  {
    plans: { default: { rateLimit: 1000, burstLimit: 1000, quotas: { tenant: { usdPerMonth: 10 } } } },
  },
);

const ask = { model: 'target', messages: [{ role: 'user' as const, content: 'count me' }] };
const ANSWER = 'an answer of some length';
const estimatedOutput = estimateOutputTokens({ text: ANSWER, toolCalls: [] });
/** The provider's usage with prompt tokens only, and the completion count absent or null. */
const partialUsage = (completion: 'absent' | 'null'): CompletionUsage =>
  ({
    prompt_tokens: 8,
    total_tokens: null,
    ...(completion === 'null' ? { completion_tokens: null } : {}),
  }) as unknown as CompletionUsage;

it.each(['absent', 'null'] as const)(
  'JSON, completion_tokens %s: 200 with estimated usage, booked as estimated with its cost',
  async (completion) => {
    const before = (await ledgerOf(openai.gateway.store.endpoint)).records.length;
    openai.fake.enqueue(reply.text(ANSWER, { usage: partialUsage(completion) }));
    const answer = await openai.client.chat.completions.create(ask);
    expect(answer.choices[0]?.message.content).toBe(ANSWER);
    expect(answer.usage).toEqual(
      expect.objectContaining({
        prompt_tokens: 8,
        completion_tokens: estimatedOutput,
        total_tokens: 8 + estimatedOutput,
      }),
    );
    let records = (await ledgerOf(openai.gateway.store.endpoint)).records;
    for (let i = 0; i < 100 && records.length === before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      records = (await ledgerOf(openai.gateway.store.endpoint)).records;
    }
    const record = records.at(-1);
    expect(records).toHaveLength(before + 1);
    expect(record?.status?.N).toBe('200');
    expect(record?.estimated).toEqual({ BOOL: true });
    expect(record?.inputTokens?.N).toBe('8');
    expect(record?.outputTokens?.N).toBe(String(estimatedOutput));
    expect(record?.costMicros?.N).toBe(String(8 * 10 + estimatedOutput * 30));
  },
);

it('a stream whose usage lacks completion_tokens runs to its end, with numeric usage, and is booked', async () => {
  const before = (await ledgerOf(openai.gateway.store.endpoint)).records.length;
  openai.fake.enqueue(reply.stream(textChunks(ANSWER, { parts: 3 }), { usage: partialUsage('absent') }));
  const stream = await openai.client.chat.completions.create({
    ...ask,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let finish: string | null | undefined;
  let total: number | null | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    finish ??= chunk.choices[0]?.finish_reason;
    if (chunk.usage) total = chunk.usage.total_tokens;
  }
  expect(text).toBe(ANSWER);
  expect(finish).toBe('stop');
  expect(typeof total).toBe('number');
  let records = (await ledgerOf(openai.gateway.store.endpoint)).records;
  for (let i = 0; i < 100 && records.length === before; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    records = (await ledgerOf(openai.gateway.store.endpoint)).records;
  }
  expect(records).toHaveLength(before + 1);
  expect(records.at(-1)?.estimated).toEqual({ BOOL: true });
  expect(records.at(-1)?.outputTokens?.N).toBe(String(estimatedOutput));
});

// The client's stream shows the usage the ledger books (as a JSON answer does): the estimate for a count the provider
// left out, not the 0 it stands for in the provider's usage.
it('OpenAI stream, completion_tokens absent: the usage chunk shows the booked estimate, not 0', async () => {
  const before = (await ledgerOf(openai.gateway.store.endpoint)).records.length;
  openai.fake.enqueue(reply.stream(textChunks(ANSWER, { parts: 3 }), { usage: partialUsage('absent') }));
  const stream = await openai.client.chat.completions.create({
    ...ask,
    stream: true,
    stream_options: { include_usage: true },
  });
  let usage: CompletionUsage | null | undefined;
  for await (const chunk of stream) usage ??= chunk.usage;
  expect(usage).toEqual(
    expect.objectContaining({
      prompt_tokens: 8,
      completion_tokens: estimatedOutput,
      total_tokens: 8 + estimatedOutput,
    }),
  );
  const records = (await ledgerOf(openai.gateway.store.endpoint)).records;
  expect(records).toHaveLength(before + 1);
  expect([records.at(-1)?.inputTokens?.N, records.at(-1)?.outputTokens?.N]).toEqual(['8', String(estimatedOutput)]);
});

it('/v1/messages stream, completion_tokens null upstream: message_delta shows the booked estimate, not 0', async () => {
  const before = (await ledgerOf(openai.gateway.store.endpoint)).records.length;
  openai.fake.enqueue(reply.stream(textChunks(ANSWER, { parts: 3 }), { usage: partialUsage('null') }));
  const message = await openai.anthropic.messages
    .stream({ model: 'target', max_tokens: 100, messages: [{ role: 'user', content: 'count me' }] })
    .finalMessage();
  expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: ANSWER })]);
  expect(message.usage).toEqual(expect.objectContaining({ input_tokens: 8, output_tokens: estimatedOutput }));
  const records = (await ledgerOf(openai.gateway.store.endpoint)).records;
  expect(records).toHaveLength(before + 1);
  expect([records.at(-1)?.inputTokens?.N, records.at(-1)?.outputTokens?.N]).toEqual(['8', String(estimatedOutput)]);
});

import {
  reply as anthropicReply,
  startFakeAnthropic,
  textEvents,
  usage as anthropicUsage,
} from '../fakes/fake-anthropic.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';

// Cost with cached tokens, end to end: a request through the gateway (openai SDK), its ledger record and counters,
// against values computed by hand from the configured prices (USD per 1M tokens → micro-dollars).

const anthropic = chatFixture('anthropic', () => startFakeAnthropic(), {
  input: 1,
  cacheWrite: 1.25,
  cacheWrite1h: 2,
  cachedInput: 0.1,
  output: 5,
});

const ask = { model: 'target', messages: [{ role: 'user' as const, content: 'a long cached prompt' }] };

it('Anthropic: 100 input + 2,000 cache write + 30,000 cache read + 700 output at 1 / 1.25 / 0.10 / 5 → 9,100 µ$', async () => {
  const counts = anthropicUsage({ input: 100, cacheWrite: 2_000, cacheRead: 30_000, output: 700 });
  anthropic.fake.enqueue(
    anthropicReply.text('cached answer', { usage: counts }),
    anthropicReply.stream(textEvents('streamed', { usage: counts })),
  );
  const json = await anthropic.client.chat.completions.create(ask);
  expect(json.usage?.prompt_tokens).toBe(32_100);
  const stream = await anthropic.client.chat.completions.create({ ...ask, stream: true });
  for await (const _chunk of stream);
  const { records, counters } = await ledgerOf(anthropic.gateway.store.endpoint);
  expect(
    records.map((r) => [
      r.costMicros?.N,
      r.cachedTokens?.N,
      r.cacheWriteTokens?.N,
      r.inputTokens?.N,
      r.outputTokens?.N,
    ]),
  ).toEqual([
    ['9100', '30000', '2000', '32100', '700'],
    ['9100', '30000', '2000', '32100', '700'],
  ]);
  expect(counters).toEqual([expect.objectContaining({ requests: 2, costMicros: 18_200, cacheWriteTokens: 4_000 })]);
});

it('Anthropic one-hour cache writes at their own price: 100 + 500 (5 min) + 1,500 (1 h) + 700 output → 7,225 µ$', async () => {
  const counts = anthropicUsage({ input: 100, cacheWrite: 2_000, cacheWrite1h: 1_500, output: 700 });
  anthropic.fake.enqueue(
    anthropicReply.text('cached for an hour', { usage: counts }),
    anthropicReply.stream(textEvents('streamed', { usage: counts })),
  );
  await anthropic.client.chat.completions.create(ask);
  const stream = await anthropic.client.chat.completions.create({ ...ask, stream: true });
  for await (const _chunk of stream);
  // Anthropic's own format hands the split back as it came.
  anthropic.fake.enqueue(anthropicReply.text('again', { usage: counts }));
  const message = await anthropic.anthropic.messages.create({
    model: 'target',
    max_tokens: 64,
    messages: ask.messages,
  });
  expect(message.usage.cache_creation).toEqual({ ephemeral_1h_input_tokens: 1_500, ephemeral_5m_input_tokens: 500 });
  const { records } = await ledgerOf(anthropic.gateway.store.endpoint);
  expect(records.slice(-3).map((r) => [r.costMicros?.N, r.cacheWriteTokens?.N, r.cacheWrite1hTokens?.N])).toEqual([
    ['7225', '2000', '1500'],
    ['7225', '2000', '1500'],
    ['7225', '2000', '1500'],
  ]);
});

import { reply as openaiReply, startFakeOpenAI, textChunks, usage as openaiUsage } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';

// Cost with cached tokens, end to end: a request through the gateway (openai SDK), its ledger record and counters,
// against values computed by hand from the configured prices (USD per 1M tokens → micro-dollars).

const openai = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-cost' }), {
  input: 0.15,
  cachedInput: 0.075,
  output: 0.6,
});

const ask = { model: 'target', messages: [{ role: 'user' as const, content: 'a long cached prompt' }] };

it('OpenAI: 10,000 input of which 8,000 cached, 500 output at 0.15 / 0.075 / 0.60 → 1,200 µ$ (stream and JSON)', async () => {
  const counts = openaiUsage({ prompt: 10_000, cached: 8_000, completion: 500 });
  openai.fake.enqueue(
    openaiReply.text('cached answer', { usage: counts }),
    openaiReply.stream(textChunks('streamed', { parts: 2 }), { usage: counts }),
  );
  const json = await openai.client.chat.completions.create(ask);
  expect(json.usage?.prompt_tokens_details?.cached_tokens).toBe(8_000);
  const stream = await openai.client.chat.completions.create({
    ...ask,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const _chunk of stream);
  const { records, counters } = await ledgerOf(openai.gateway.store.endpoint);
  expect(records.map((r) => [r.costMicros?.N, r.cachedTokens?.N, r.inputTokens?.N, r.stream?.BOOL])).toEqual([
    ['1200', '8000', '10000', false],
    ['1200', '8000', '10000', true],
  ]);
  expect(counters).toEqual([
    expect.objectContaining({
      requests: 2,
      inputTokens: 20_000,
      cachedTokens: 16_000,
      outputTokens: 1_000,
      costMicros: 2_400,
    }),
  ]);
});

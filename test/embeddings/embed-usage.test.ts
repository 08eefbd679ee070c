import { costMicros } from '../../lambdas/usage/cost.js';
import { embeddingReservation, estimateEmbeddingTokens, meterEmbedding } from '../../lambdas/embeddings/embed-usage.js';

// The cost of embeddings: input tokens at the model's input price, no output; the reservation at the dearest target.

const prices = { oa: { small: { input: 0.02 }, large: { input: 0.13 } }, free: { e: { input: 0 } } };

it('250,000 input tokens at 0.02 USD per 1M cost 5,000 µ$; a price without output prices none', () => {
  const usage = { inputTokens: 250_000, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };
  expect(costMicros(usage, { input: 0.02 })).toBe(5_000);
  expect(costMicros({ ...usage, outputTokens: 10 }, { input: 0.02 })).toBe(5_000);
  expect(costMicros({ ...usage, inputTokens: 7 }, { input: 0.13 })).toBe(1); // 0.91 µ$ → 1
});

it('estimates: about 4 characters a token for text, token arrays by their length', () => {
  expect(estimateEmbeddingTokens(['abcd', 'abcde', [1, 2, 3]])).toBe(1 + 2 + 3);
  expect(estimateEmbeddingTokens(['日本語のテキスト'])).toBe(2);
});

it("the provider's count when valid, else the estimate marked estimated; no output either way", () => {
  expect(meterEmbedding(12, ['x'])).toEqual({
    usage: { inputTokens: 12, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 },
    estimated: false,
  });
  for (const bad of [undefined, -1, 1.5]) {
    expect(meterEmbedding(bad, ['x'.repeat(8)])).toMatchObject({ usage: { inputTokens: 2 }, estimated: true });
  }
});

it('the reservation: estimated tokens, priced at the dearest target (+1 µ$ rounding), unpriced targets at 0', () => {
  const input = ['x'.repeat(4_000_000)]; // 1,000,000 tokens
  const targets = [
    { providerName: 'oa', model: 'small' },
    { providerName: 'oa', model: 'large' },
    { providerName: 'oa', model: 'unpriced' },
  ];
  expect(embeddingReservation({ prices }, targets, input)).toEqual({ tokens: 1_000_000, micros: 130_001 });
  expect(embeddingReservation({ prices }, [{ providerName: 'free', model: 'e' }], input)).toEqual({
    tokens: 1_000_000,
    micros: 0,
  });
});

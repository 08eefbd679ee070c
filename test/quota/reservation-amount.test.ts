import type { ChatRequest } from '../../lambdas/api/chat-schemas.js';
import { quotasSchema } from '../../lambdas/config/quotas-schema.js';
import { reservationAmount } from '../../lambdas/quota/reservation-amount.js';
import { estimateInputTokens } from '../../lambdas/usage/estimate.js';

// What a request reserves: the input estimate plus its max_tokens (bounded by reserveOutputTokens, which is also the
// default), priced at the dearest target with every input token at its dearest input price.
const quotas = quotasSchema.parse({ tenant: { tokensPerMonth: 1_000 }, reserveOutputTokens: 1_000 });
const request = (over: Partial<ChatRequest> = {}): ChatRequest =>
  ({ model: 'fast', messages: [{ role: 'user', content: 'How many tokens is this?' }], ...over }) as ChatRequest;
const prices = {
  prices: {
    openai: { cheap: { input: 1, output: 2 } },
    anthropic: { dear: { input: 3, cacheWrite: 3.75, cachedInput: 0.3, output: 15 } },
    echo: { free: { input: 0, output: 0 } },
  },
};
const target = (providerName: string, model: string, req = request()) => ({ providerName, model, request: req });

it('input estimate + max_tokens; without max_tokens, or above the bound, reserveOutputTokens', () => {
  const input = estimateInputTokens(request());
  expect(reservationAmount(prices, quotas, [target('openai', 'cheap', request({ max_tokens: 50 }))]).tokens).toBe(
    input + 50,
  );
  expect(
    reservationAmount(prices, quotas, [
      target('openai', 'cheap', request({ max_completion_tokens: 70, max_tokens: 50 })),
    ]).tokens,
  ).toBe(input + 70);
  expect(reservationAmount(prices, quotas, [target('openai', 'cheap')]).tokens).toBe(input + 1_000);
  expect(reservationAmount(prices, quotas, [target('openai', 'cheap', request({ max_tokens: 50_000 }))]).tokens).toBe(
    input + 1_000,
  );
});

it('priced at the dearest target, input at its cache-write price, +1 µ$ for rounding; free and unpriced models reserve 0 µ$', () => {
  const input = estimateInputTokens(request());
  const req = request({ max_tokens: 100 });
  const amount = reservationAmount(prices, quotas, [target('openai', 'cheap', req), target('anthropic', 'dear', req)]);
  // 3.75 µ$/token input (cache write), 15 µ$/token output.
  expect(amount.micros).toBe(Math.round(input * 3.75 + 100 * 15) + 1);
  expect(reservationAmount(prices, quotas, [target('echo', 'free', req)]).micros).toBe(0);
  expect(reservationAmount(prices, quotas, [target('openai', 'unknown-model', req)]).micros).toBe(0);
});

it('a one-hour cache-write price (cacheWrite1h) above the others prices every input token of the reservation', () => {
  const input = estimateInputTokens(request());
  const req = request({ max_tokens: 100 });
  const hourly = {
    prices: { anthropic: { dear: { input: 3, cacheWrite: 3.75, cacheWrite1h: 6, cachedInput: 0.3, output: 15 } } },
  };
  // 6 µ$ per input token (USD 6 per 1M), 15 per output token, +1 for rounding: never below a request writing its
  // whole input to the one-hour cache.
  expect(reservationAmount(hourly, quotas, [target('anthropic', 'dear', req)]).micros).toBe(input * 6 + 100 * 15 + 1);
});

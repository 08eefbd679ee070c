import { costMicros, priceFor, type ModelPrice } from '../../lambdas/usage/cost.js';
import type { Usage } from '../../lambdas/providers/types.js';

/** 1 USD per 1M tokens = 1 µ$ per token, so µ$ = Σ tokens × (USD per 1M) before the final rounding. */
const usage = (u: Partial<Usage>): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  ...u,
});

const gpt4oMini: ModelPrice = { input: 0.15, cachedInput: 0.075, output: 0.6 };
const claudeHaiku: ModelPrice = { input: 1, cacheWrite: 1.25, cachedInput: 0.1, output: 5 };

describe('costMicros: hand-computed ledger values', () => {
  it('OpenAI gpt-4o-mini: 10,000 input of which 8,000 cached, 500 output → 1,200 µ$', () => {
    // uncached 10,000 − 8,000 = 2,000 × 0.15  =   300 µ$
    // cached                 8,000 × 0.075 =   600 µ$
    // output                   500 × 0.60  =   300 µ$
    //                                 total = 1,200 µ$ = $0.0012
    expect(costMicros(usage({ inputTokens: 10_000, cachedInputTokens: 8_000, outputTokens: 500 }), gpt4oMini)).toBe(
      1_200,
    );
  });

  it('Anthropic claude-haiku-4-5: input 100 + cache_creation 2,000 + cache_read 30,000, 700 output → 9,100 µ$', () => {
    // Usage.inputTokens = 100 + 2,000 + 30,000 = 32,100
    // uncached 32,100 − 30,000 − 2,000 =    100 × 1.00 =   100 µ$
    // cache write                         2,000 × 1.25 = 2,500 µ$
    // cache read                         30,000 × 0.10 = 3,000 µ$
    // output                                700 × 5.00 = 3,500 µ$
    //                                            total = 9,100 µ$ = $0.0091
    const anthropic = usage({
      inputTokens: 32_100,
      cacheWriteTokens: 2_000,
      cachedInputTokens: 30_000,
      outputTokens: 700,
    });
    expect(costMicros(anthropic, claudeHaiku)).toBe(9_100);
  });

  it('no usage costs nothing; a free model costs nothing', () => {
    expect(costMicros(usage({}), claudeHaiku)).toBe(0);
    expect(costMicros(usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }), { input: 0, output: 0 })).toBe(0);
  });
});

describe('costMicros: defaults of cachedInput and cacheWrite', () => {
  it('both default to the input price', () => {
    // 10,000 input (8,000 cached) at 0.15 = 1,500; 500 output × 0.60 = 300 → 1,800 µ$
    expect(
      costMicros(usage({ inputTokens: 10_000, cachedInputTokens: 8_000, outputTokens: 500 }), {
        input: 0.15,
        output: 0.6,
      }),
    ).toBe(1_800);
    // 32,100 input (2,000 written, 30,000 read) at 1.00 = 32,100; 700 × 5 = 3,500 → 35,600 µ$
    const anthropic = usage({
      inputTokens: 32_100,
      cacheWriteTokens: 2_000,
      cachedInputTokens: 30_000,
      outputTokens: 700,
    });
    expect(costMicros(anthropic, { input: 1, output: 5 })).toBe(35_600);
    expect(costMicros(anthropic, { input: 1, output: 5, cachedInput: undefined, cacheWrite: undefined })).toBe(35_600);
  });

  it('an explicit 0 is free, not the default', () => {
    // 100 uncached × 1 + 2,000 written × 0 + 30,000 read × 0 + 0 output = 100 µ$
    const anthropic = usage({ inputTokens: 32_100, cacheWriteTokens: 2_000, cachedInputTokens: 30_000 });
    expect(costMicros(anthropic, { input: 1, output: 5, cachedInput: 0, cacheWrite: 0 })).toBe(100);
  });

  it('uncached input never goes negative when a provider over-reports cache tokens', () => {
    // uncached max(0, 100 − 80 − 40) = 0; 80 × 0.10 + 40 × 1.25 = 8 + 50 = 58 µ$
    expect(costMicros(usage({ inputTokens: 100, cachedInputTokens: 80, cacheWriteTokens: 40 }), claudeHaiku)).toBe(58);
  });
});

describe('costMicros: one-hour cache writes', () => {
  const sonnet = { input: 3, cacheWrite: 3.75, cacheWrite1h: 6, cachedInput: 0.3, output: 15 };

  it('are priced at cacheWrite1h, the rest of the writes at cacheWrite', () => {
    // 100 uncached × 3 = 300; 600 five-minute writes × 3.75 = 2,250; 400 one-hour writes × 6 = 2,400; 10 × 15 = 150
    const written = usage({ inputTokens: 1_100, cacheWriteTokens: 1_000, cacheWrite1hTokens: 400, outputTokens: 10 });
    expect(costMicros(written, sonnet)).toBe(5_100);
  });

  it('default to cacheWrite, which defaults to input', () => {
    const written = usage({ inputTokens: 1_100, cacheWriteTokens: 1_000, cacheWrite1hTokens: 400 });
    // 100 × 3 + 1,000 × 3.75 = 4,050
    expect(costMicros(written, { input: 3, output: 15, cacheWrite: 3.75 })).toBe(4_050);
    // 1,100 × 3 = 3,300
    expect(costMicros(written, { input: 3, output: 15 })).toBe(3_300);
  });

  it('never count more one-hour writes than writes', () => {
    // 1,000 writes, all one-hour (1,500 reported is capped): 100 × 3 + 1,000 × 6 = 6,300
    expect(costMicros(usage({ inputTokens: 1_100, cacheWriteTokens: 1_000, cacheWrite1hTokens: 1_500 }), sonnet)).toBe(
      6_300,
    );
  });
});

describe('costMicros: rounding, once, half up', () => {
  it('0.5 µ$ rounds up, just under rounds down', () => {
    expect(costMicros(usage({ inputTokens: 1 }), { input: 0.5, output: 0 })).toBe(1);
    expect(costMicros(usage({ inputTokens: 500_000 }), { input: 0.000001, output: 0 })).toBe(1); // 0.5 µ$
    expect(costMicros(usage({ inputTokens: 499_999 }), { input: 0.000001, output: 0 })).toBe(0); // 0.499999 µ$
    expect(costMicros(usage({ outputTokens: 3 }), gpt4oMini)).toBe(2); // 1.8 µ$
  });

  it('a tiny call rounds to 0 or 1 µ$', () => {
    expect(costMicros(usage({ inputTokens: 1 }), gpt4oMini)).toBe(0); // 0.15 µ$
    expect(costMicros(usage({ inputTokens: 3 }), gpt4oMini)).toBe(0); // 0.45 µ$
    expect(costMicros(usage({ inputTokens: 4 }), gpt4oMini)).toBe(1); // 0.60 µ$
    expect(costMicros(usage({ inputTokens: 1, cachedInputTokens: 1 }), gpt4oMini)).toBe(0); // 0.075 µ$
  });

  it('rounds the sum, not each part', () => {
    // 1 token of each class at 0.3 = 1.2 µ$ → 1 (rounding each part: 4 × 0 = 0)
    const each = usage({ inputTokens: 3, cachedInputTokens: 1, cacheWriteTokens: 1, outputTokens: 1 });
    expect(costMicros(each, { input: 0.3, cachedInput: 0.3, cacheWrite: 0.3, output: 0.3 })).toBe(1);
    // at 0.375 each: 1.5 µ$ → 2
    expect(costMicros(each, { input: 0.375, cachedInput: 0.375, cacheWrite: 0.375, output: 0.375 })).toBe(2);
  });
});

describe('costMicros: exact at any size', () => {
  it('10^12 tokens', () => {
    // 10^12 × 0.15 = 150,000,000,000 µ$ ($150,000); 10^12 × 0.60 = 600,000,000,000 µ$
    expect(costMicros(usage({ inputTokens: 1e12 }), gpt4oMini)).toBe(150_000_000_000);
    expect(costMicros(usage({ inputTokens: 1e12, outputTokens: 1e12 }), gpt4oMini)).toBe(750_000_000_000);
    // 10^12 input, all but 1 read from cache: 1 × 0.15 + 999,999,999,999 × 0.075 = 74,999,999,999.925 + 0.15
    //   = 75,000,000,000.075 → 75,000,000,000 µ$
    expect(costMicros(usage({ inputTokens: 1e12, cachedInputTokens: 1e12 - 1 }), gpt4oMini)).toBe(75_000_000_000);
  });

  it('no float drift where floats get it wrong', () => {
    // 3,000,000,000,005 × 0.7 = 2,100,000,000,003.5 µ$ exactly → 2,100,000,000,004 (floats: 2,100,000,000,003.4998 → …003)
    expect(3_000_000_000_005 * 0.7).toBeLessThan(2_100_000_000_003.5);
    expect(costMicros(usage({ outputTokens: 3_000_000_000_005 }), { input: 0, output: 0.7 })).toBe(2_100_000_000_004);
    // 1,000,801,715,969 × 0.768777 = 769,393,340,797.499913 → …797 (floats round to …798)
    expect(Math.round(1_000_801_715_969 * 0.768777)).toBe(769_393_340_798);
    expect(costMicros(usage({ inputTokens: 1_000_801_715_969 }), { input: 0.768777, output: 0 })).toBe(769_393_340_797);
  });

  it('refuses a cost it cannot represent exactly, malformed prices and usage', () => {
    expect(() => costMicros(usage({ inputTokens: 1e12 }), { input: 1_000_000, output: 0 })).toThrow(RangeError);
    expect(() => costMicros(usage({ inputTokens: 1 }), { input: 0.0000001, output: 0 })).toThrow(/at most 6 decimals/);
    expect(() => costMicros(usage({ inputTokens: 1 }), { input: -1, output: 0 })).toThrow(RangeError);
    expect(() => costMicros(usage({ inputTokens: 1 }), { input: Number.NaN, output: 0 })).toThrow(RangeError);
    expect(() => costMicros(usage({ inputTokens: 1.5 }), gpt4oMini)).toThrow(/inputTokens/);
    expect(() => costMicros(usage({ outputTokens: -1 }), gpt4oMini)).toThrow(/outputTokens/);
  });
});

describe('priceFor', () => {
  const config = { prices: { openai: { 'gpt-4o-mini': gpt4oMini }, anthropic: { 'claude-haiku-4-5': claudeHaiku } } };

  it("finds a provider model's price", () => {
    expect(priceFor(config, 'openai', 'gpt-4o-mini')).toBe(gpt4oMini);
    expect(priceFor(config, 'anthropic', 'claude-haiku-4-5')).toBe(claudeHaiku);
  });

  it('an unknown price is undefined, never a guess', () => {
    expect(priceFor(config, 'openai', 'gpt-4o')).toBeUndefined();
    expect(priceFor(config, 'anthropic', 'gpt-4o-mini')).toBeUndefined();
    expect(priceFor(config, 'vllm', 'gpt-4o-mini')).toBeUndefined();
    expect(priceFor(config, 'constructor', 'name')).toBeUndefined();
    expect(priceFor(config, 'openai', 'toString')).toBeUndefined();
    expect(priceFor({ prices: {} }, 'openai', 'gpt-4o-mini')).toBeUndefined();
  });
});

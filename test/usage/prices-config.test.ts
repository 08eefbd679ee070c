import { ConfigError, loadConfigFile, parseConfig } from '../../lambdas/config/load.js';
import { priceFor } from '../../lambdas/usage/cost.js';

function problemsOf(text: string): readonly string[] {
  try {
    parseConfig(text, 'gw.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const providers = '"providers":{"openai":{"type":"openai"},"echo":{"type":"echo"}}';

describe('configuration: prices', () => {
  it('defaults to no prices', () => {
    expect(parseConfig('{}', 'x').prices).toEqual({});
  });

  it('the shipped gateway.config.json prices the models it names', () => {
    const config = loadConfigFile('gateway.config.json');
    expect(config.prices).toEqual({
      openai: {
        'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
        'text-embedding-3-small': { input: 0.02 },
      },
      anthropic: { 'claude-haiku-4-5': { input: 1, cacheWrite: 1.25, cacheWrite1h: 2, cachedInput: 0.1, output: 5 } },
      echo: { 'echo-1': { input: 0, output: 0 }, 'echo-embed-1': { input: 0 } },
    });
    for (const model of Object.values(config.models)) {
      for (const target of model.targets) expect(priceFor(config, target.provider, target.model)).toBeDefined();
    }
  });

  it('accepts prices per provider and upstream model, cache prices optional', () => {
    const config = parseConfig(
      `{${providers},"prices":{"openai":{"gpt-4o-mini":{"input":0.15,"output":0.6,"cachedInput":0.075},"o.1/x":{"input":2.5,"output":10}}}}`,
      'x',
    );
    expect(priceFor(config, 'openai', 'o.1/x')).toEqual({ input: 2.5, output: 10 });
    expect(priceFor(config, 'openai', 'gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6, cachedInput: 0.075 });
  });

  it("names a price's unknown provider by JSON path", () => {
    expect(problemsOf(`{${providers},"prices":{"anthropc":{"claude-haiku-4-5":{"input":1,"output":5}}}}`)).toEqual([
      '$.prices.anthropc: unknown provider "anthropc" (configured: openai, echo)',
    ]);
    expect(problemsOf('{"prices":{"openai":{}}}')).toEqual([
      '$.prices.openai: unknown provider "openai" (configured: none)',
    ]);
  });

  it('prices are non-negative numbers with at most 6 decimals; input is required (output too for chat models: test/config/model-kinds); no unknown keys', () => {
    const price = (spec: string): readonly string[] =>
      problemsOf(`{${providers},"prices":{"openai":{"gpt-4o-mini":${spec}}}}`);
    expect(price('{"input":-0.15,"output":0.6}')).toEqual([
      expect.stringMatching(/^\$\.prices\.openai\["gpt-4o-mini"\]\.input: /),
    ]);
    expect(price('{"input":0.15,"output":0.6,"cachedInput":0.0000001}')).toEqual([
      '$.prices.openai["gpt-4o-mini"].cachedInput: must have at most 6 decimals',
    ]);
    expect(price('{"input":0.15,"output":0.6,"cacheWrite":"1.25"}')).toEqual([
      expect.stringMatching(/^\$\.prices\.openai\["gpt-4o-mini"\]\.cacheWrite: .*number/),
    ]);
    expect(price('{"output":0.6}')).toEqual([expect.stringMatching(/^\$\.prices\.openai\["gpt-4o-mini"\]\.input: /)]);
    const inputOnly = `{${providers},"prices":{"openai":{"text-embedding-3-small":{"input":0.02}}}}`;
    expect(priceFor(parseConfig(inputOnly, 'x'), 'openai', 'text-embedding-3-small')).toEqual({ input: 0.02 });
    expect(price('{"input":0.15,"output":0.6,"cached":0.075}')).toEqual([
      '$.prices.openai["gpt-4o-mini"]: unknown key "cached"',
    ]);
    const ok = `{${providers},"prices":{"openai":{"gpt-4o-mini":{"input":0.123456,"output":999999.999999}}}}`;
    expect(priceFor(parseConfig(ok, 'x'), 'openai', 'gpt-4o-mini')).toEqual({ input: 0.123456, output: 999999.999999 });
  });
});

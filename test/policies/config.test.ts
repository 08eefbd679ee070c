import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from '../../lambdas/config/load.js';
import { denyPatternProblem, hasNestedRepetition } from '../../lambdas/policies/deny-pattern.js';

const withPolicies = (policies: unknown): string =>
  JSON.stringify({ plans: { default: { rateLimit: 5, burstLimit: 10, policies } } });

function problemsOf(policies: unknown): readonly string[] {
  try {
    parseConfig(withPolicies(policies), 'gw.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration: plans.<plan>.policies', () => {
  it("accepts the example of the README's Policies section", () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = /## Policies\n[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    // The example names aliases of the repository's configuration: they must be configured (the cross-check below).
    const aliases =
      '"providers":{"echo":{"type":"echo"}},"models":{"demo":{"targets":[{"provider":"echo","model":"e"}]},"gpt-4o-mini":{"targets":[{"provider":"echo","model":"e"}]}}';
    const config = parseConfig(`{"auth":{"defaultPlan":"free"},${aliases},${example ?? ''}}`, 'README.md');
    expect(config.plans.free?.policies).toMatchObject({
      models: ['demo', 'gpt-4o-mini'],
      maxTokensCap: { limit: 4096, mode: 'clamp' },
      pii: { mode: 'redact', applyToOutput: true },
      promptInjection: 'flag',
    });
  });

  it('maxTokensCap.mode defaults to clamp', () => {
    const config = parseConfig(withPolicies({ maxTokensCap: { limit: 4096 } }), 'gw.json');
    expect(config.plans.default?.policies?.maxTokensCap).toEqual({ limit: 4096, mode: 'clamp' });
  });

  it('a plan without policies has none', () => {
    expect(parseConfig('{}', 'gw.json').plans.default?.policies).toBeUndefined();
  });

  it('rejects a deny pattern that does not compile, naming the rule', () => {
    expect(problemsOf({ deny: [{ pattern: 'ok' }, { pattern: '(unclosed' }] })).toEqual([
      expect.stringMatching(/^\$\.plans\.default\.policies\.deny\[1\]\.pattern: not a valid regular expression: /),
    ]);
  });

  it('rejects nested repetitions, empty matches, and flags other than i, m, s, u', () => {
    expect(problemsOf({ deny: [{ pattern: '(a+)+$' }] })[0]).toMatch(
      /deny\[0\]\.pattern: repeats a group that contains a repetition/,
    );
    expect(problemsOf({ deny: [{ pattern: 'x*' }] })[0]).toMatch(/deny\[0\]\.pattern: matches the empty string/);
    expect(problemsOf({ deny: [{ pattern: 'x', flags: 'g' }] })[0]).toMatch(
      /deny\[0\]\.flags: may only contain i, m, s and u/,
    );
    expect(problemsOf({ deny: [{ pattern: 'x', flags: 'ii' }] })[0]).toMatch(
      /deny\[0\]\.pattern: not a valid regular expression/,
    );
  });

  it('rejects unknown detectors, a detector listed twice, an empty list, an unknown mode or field', () => {
    expect(problemsOf({ pii: { mode: 'redact', detectors: ['email', 'dna'] } })[0]).toMatch(
      /^\$\.plans\.default\.policies\.pii\.detectors\[1\]: /,
    );
    expect(problemsOf({ pii: { mode: 'redact', detectors: ['email', 'email'] } })).toEqual([
      '$.plans.default.policies.pii.detectors: lists a detector twice',
    ]);
    expect(problemsOf({ pii: { mode: 'redact', detectors: [] } })[0]).toMatch(/pii\.detectors: /);
    expect(problemsOf({ pii: { mode: 'mask', detectors: ['email'] } })[0]).toMatch(/pii\.mode: /);
    expect(problemsOf({ promptInjection: 'block' })[0]).toMatch(/policies\.promptInjection: /);
    expect(problemsOf({ maxTokensCap: { limit: 10, mode: 'truncate' } })[0]).toMatch(/maxTokensCap\.mode: /);
    expect(problemsOf({ maxInputBytes: 0 })[0]).toMatch(/maxInputBytes: /);
    expect(problemsOf({ blocklist: [] })).toEqual(['$.plans.default.policies: unknown key "blocklist"']);
  });
});

describe('configuration: policies.models names configured aliases', () => {
  const config = (models: string[]) =>
    JSON.stringify({
      providers: { echo: { type: 'echo' } },
      models: { demo: { targets: [{ provider: 'echo', model: 'e' }] } },
      plans: {
        default: { rateLimit: 5, burstLimit: 10 },
        free: { rateLimit: 5, burstLimit: 10, policies: { models } },
      },
    });

  it('accepts configured aliases', () => {
    expect(parseConfig(config(['demo']), 'gw.json').plans.free?.policies?.models).toEqual(['demo']);
  });

  it('rejects an alias that is not configured, with its JSON path', () => {
    expect(() => parseConfig(config(['demo', 'gpt-5']), 'gw.json')).toThrow(ConfigError);
    try {
      parseConfig(config(['demo', 'gpt-5']), 'gw.json');
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        '$.plans.free.policies.models[1]: unknown model alias "gpt-5" (configured: demo)',
      ]);
    }
  });
});

describe('deny patterns: nested repetition check', () => {
  it.each(['(a+)+', '(\\w+\\s?)*', '(?:x{2,})+', '((ab)*c)+', '(a|b+){2,}'])('flags %s', (pattern) => {
    expect(hasNestedRepetition(pattern)).toBe(true);
  });

  it.each(['(ab)+', 'a+b+', '(a+)?', '[(a+)]+', '\\(a+\\)+', '(?:foo|bar)\\s+baz', 'x{2}(y{1})+', '(a{2})+'])(
    'allows %s',
    (pattern) => {
      expect(hasNestedRepetition(pattern)).toBe(false);
    },
  );

  it('a valid rule has no problem', () => {
    expect(denyPatternProblem('\\bconfidential\\b', 'i')).toBeUndefined();
  });
});

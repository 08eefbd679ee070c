import { GatewayError } from '../../../lambdas/core/errors.js';
import { anthropicBetas } from '../../../lambdas/formats/anthropic-messages/anthropic-beta.js';

const betas = (value: string | undefined) =>
  anthropicBetas({ headers: value === undefined ? {} : { 'Anthropic-Beta': value } });

it('reads the comma list, trimmed, blanks skipped, repeats once', () => {
  expect(betas(undefined)).toEqual([]);
  expect(betas('claude-code-20250219, interleaved-thinking-2025-05-14,,claude-code-20250219')).toEqual([
    'claude-code-20250219',
    'interleaved-thinking-2025-05-14',
  ]);
});

it.each([['bad token!'], ['a'.repeat(65)], [Array.from({ length: 33 }, (_, i) => `b-${i}`).join(',')]])(
  'refuses %s with 400 invalid_header naming the header',
  (value) => {
    let thrown: unknown;
    try {
      betas(value);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ status: 400, code: 'invalid_header', param: 'anthropic-beta' });
  },
);

import { applyEmbeddingPolicies } from '../../lambdas/embeddings/embed-policies.js';
import type { PoliciesConfig } from '../../lambdas/policies/config.js';
import { PolicyViolation } from '../../lambdas/policies/violation.js';

// The plan's input policies on embedding inputs: paths name the input, token ids cannot slip past text checks.

const violation = (run: () => unknown): PolicyViolation => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyViolation);
    return err as PolicyViolation;
  }
  throw new Error('expected a PolicyViolation');
};
const apply = (input: (string | number[])[], policies: PoliciesConfig) =>
  applyEmbeddingPolicies('embed', input, policies, 'p');

it('no policies: the input as is', () => {
  const input = ['a@b.example'];
  expect(applyEmbeddingPolicies('embed', input, undefined, 'p')).toEqual({ input, decisions: [] });
});

it('redaction of every text input; token arrays pass where nothing reads text', () => {
  const redact: PoliciesConfig = { pii: { mode: 'redact', detectors: ['email'] } };
  expect(apply(['x a@b.example', 'y'], redact)).toEqual({
    input: ['x [REDACTED:email]', 'y'],
    decisions: ['pii.redact=email:1'],
  });
  expect(apply(['clean'], redact)).toEqual({ input: ['clean'], decisions: [] });
  expect(apply([[1, 2]], { maxInputTokens: 10 }).input).toEqual([[1, 2]]);
});

it('block, deny, sizes and the model allowlist refuse with the input named', () => {
  const block = violation(() => apply(['ok', 'a@b.example'], { pii: { mode: 'block', detectors: ['email'] } }));
  expect([block.param, block.decision]).toEqual(['input[1]', 'pii.block=email']);
  const deny = violation(() => apply(['secret plan'], { deny: [{ pattern: 'secret' }] }));
  expect(deny.decision).toBe('deny.block=1');
  expect(violation(() => apply(['abcdefgh'], { maxInputBytes: 7 })).decision).toBe('max_input_bytes.block');
  expect(violation(() => apply([[1, 2, 3]], { maxInputTokens: 2 })).decision).toBe('max_input_tokens.block');
  const model = violation(() => apply(['a'], { models: ['other'] }));
  expect([model.status, model.decision]).toEqual([403, 'models.block']);
});

it('token ids under deny or PII rules: refused, since nothing can read them', () => {
  expect(violation(() => apply([[1, 2]], { deny: [{ pattern: 'x' }] })).decision).toBe('tokens.block');
  expect(violation(() => apply([[1]], { pii: { mode: 'redact', detectors: ['email'] } })).decision).toBe(
    'tokens.block',
  );
});

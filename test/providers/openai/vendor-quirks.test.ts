import { chatRequestSchema, type ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { toOpenAIRequest } from '../../../lambdas/providers/openai/openai-request.js';
import { applyQuirks, ignoredByQuirks, rejectByQuirks } from '../../../lambdas/providers/openai/quirks-request.js';
import { quirksOf } from '../../../lambdas/providers/openai/vendor-quirks.js';

// A preset's quirks by the field rule: refused fields that matter are a 400 naming them; refused hints are dropped
// and named; renamed fields keep their meaning under the vendor's name.

const request = (fields: Record<string, unknown>): ChatRequest =>
  chatRequestSchema.parse({ model: 'alias', messages: [{ role: 'user', content: 'Hi' }], ...fields });

function refusal(preset: Parameters<typeof quirksOf>[0], fields: Record<string, unknown>): GatewayError | undefined {
  try {
    rejectByQuirks(request(fields), quirksOf(preset), preset);
    return undefined;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
}

it.each([
  ['groq', { logprobs: true }, 'logprobs'],
  ['groq', { top_logprobs: 2, logprobs: false }, 'top_logprobs'],
  ['groq', { logit_bias: { '50256': -100 } }, 'logit_bias'],
  ['gemini', { seed: 7 }, 'seed'],
  ['gemini', { frequency_penalty: 0.5 }, 'frequency_penalty'],
  ['mistral', { logprobs: true }, 'logprobs'],
  ['ollama', { logit_bias: { '1': 5 } }, 'logit_bias'],
] as const)('%s refuses %j: 400 unsupported_parameter naming %s', (preset, fields, field) => {
  const error = refusal(preset, fields);
  expect(error?.code).toBe('unsupported_parameter');
  expect(error?.status).toBe(400);
  expect(error?.param).toBe(field);
});

it('fields set to what changes nothing are dropped, not refused; null, false and {} are not named', () => {
  const fields = { frequency_penalty: 0, logprobs: false, logit_bias: {}, seed: null };
  expect(refusal('gemini', fields)).toBeUndefined();
  expect(refusal('groq', fields)).toBeUndefined();
  const quirks = quirksOf('gemini');
  expect(ignoredByQuirks(request(fields), quirks)).toEqual(['frequency_penalty']);
  const body = applyQuirks(toOpenAIRequest(request(fields), 'gemini-2.5-flash'), quirks);
  expect(body).not.toHaveProperty('frequency_penalty');
  expect(body).not.toHaveProperty('seed');
});

it("groq: a message's name is dropped and named", () => {
  const named = request({ messages: [{ role: 'user', content: 'Hi', name: 'ada' }] });
  const quirks = quirksOf('groq');
  expect(ignoredByQuirks(named, quirks)).toEqual(['name']);
  expect(applyQuirks(toOpenAIRequest(named, 'llama'), quirks).messages).toEqual([{ role: 'user', content: 'Hi' }]);
});

it('mistral: max_completion_tokens → max_tokens, seed → random_seed; OpenAI-only hints dropped and named', () => {
  const asked = request({
    max_completion_tokens: 99,
    seed: 3,
    user: 'u1',
    store: true,
    safety_identifier: 's',
    messages: [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello', reasoning_content: 'thought' },
      { role: 'user', content: 'Again' },
    ],
  });
  const quirks = quirksOf('mistral');
  const body = applyQuirks(toOpenAIRequest(asked, 'mistral-large-latest'), quirks) as unknown as Record<
    string,
    unknown
  >;
  expect(body).toMatchObject({ max_tokens: 99, random_seed: 3 });
  for (const field of ['max_completion_tokens', 'seed', 'user', 'store', 'safety_identifier']) {
    expect(body).not.toHaveProperty(field);
  }
  expect(body.messages).toEqual([
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello' },
    { role: 'user', content: 'Again' },
  ]);
  expect(ignoredByQuirks(asked, quirks).sort()).toEqual(['reasoning_content', 'safety_identifier', 'store', 'user']);
});

it('mistral: thinking that would become reasoning_effort is named with it', () => {
  const asked = request({ thinking: { type: 'enabled', budget_tokens: 2048 } });
  expect(ignoredByQuirks(asked, quirksOf('mistral'))).toEqual(['thinking']);
});

it('ollama: max_completion_tokens → max_tokens unless max_tokens is set too', () => {
  const quirks = quirksOf('ollama');
  expect(applyQuirks(toOpenAIRequest(request({ max_completion_tokens: 50 }), 'llama3'), quirks)).toMatchObject({
    max_tokens: 50,
  });
  const both = applyQuirks(toOpenAIRequest(request({ max_completion_tokens: 50, max_tokens: 20 }), 'llama3'), quirks);
  expect(both).toMatchObject({ max_tokens: 20 });
  expect(both).not.toHaveProperty('max_completion_tokens');
});

it.each(['deepseek', 'together', 'vllm'] as const)(
  '%s: the request goes as for any OpenAI-compatible API',
  (preset) => {
    const asked = request({ seed: 1, logprobs: true, user: 'u', max_completion_tokens: 5 });
    expect(refusal(preset, { seed: 1, logprobs: true })).toBeUndefined();
    expect(ignoredByQuirks(asked, quirksOf(preset))).toEqual([]);
    expect(applyQuirks(toOpenAIRequest(asked, 'm'), quirksOf(preset))).toEqual(toOpenAIRequest(asked, 'm'));
  },
);

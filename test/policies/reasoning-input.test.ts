import type { ChatRequest } from '../../lambdas/api/chat-schemas.js';
import { applyRequestPolicies } from '../../lambdas/policies/apply.js';
import { policiesSchema } from '../../lambdas/policies/config.js';

// An earlier answer's reasoning_content, sent back on an assistant message (as @ai-sdk/openai-compatible does), is
// request text like the rest: input PII redaction applies to it before it goes upstream.

it('redacts reasoning_content on an assistant message, leaving the client request untouched', () => {
  const request: ChatRequest = {
    model: 'demo',
    messages: [
      { role: 'user', content: 'Who pays?' },
      { role: 'assistant', content: 'Jane.', reasoning_content: 'Mail jane.doe@acme.io first.' },
      { role: 'user', content: 'Thanks' },
    ],
  };
  const before = JSON.stringify(request);
  const policies = policiesSchema.parse({ pii: { mode: 'redact', detectors: ['email'] } });
  const { request: out, decisions } = applyRequestPolicies(request, policies, { plan: 'free' });
  expect(out.messages[1]).toEqual({
    role: 'assistant',
    content: 'Jane.',
    reasoning_content: 'Mail [REDACTED:email] first.',
  });
  expect(decisions).toEqual(['pii.redact=email:1']);
  expect(JSON.stringify(request)).toBe(before);
});

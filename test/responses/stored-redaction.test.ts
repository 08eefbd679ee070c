import type { ResolvedItem } from '../../lambdas/api/responses-input-schemas.js';
import { policiesSchema } from '../../lambdas/policies/config.js';
import { redactStoredItems } from '../../lambdas/responses/stored-redaction.js';

// What a stored response keeps of its input under a PII redaction policy: what the upstream saw, custom tool calls
// (their input) and their outputs included.

const policies = policiesSchema.parse({ pii: { mode: 'redact', detectors: ['email'] } });

it('custom_tool_call input and custom_tool_call_output are redacted like function calls and their outputs', () => {
  const items: ResolvedItem[] = [
    { type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '+mail ada@example.com\n' },
    { type: 'custom_tool_call_output', call_id: 'call_p', output: 'sent to ada@example.com' },
    { type: 'custom_tool_call_output', call_id: 'call_q', output: [{ type: 'input_text', text: 'ada@example.com' }] },
  ];
  const stored = JSON.stringify(redactStoredItems(items, policies));
  expect(stored).not.toContain('ada@example.com');
  expect(redactStoredItems(items, policies)[0]).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch' });
  expect(redactStoredItems(items, undefined)).toBe(items);
});

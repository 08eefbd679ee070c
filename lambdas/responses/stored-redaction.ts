import type { ContentPart, ResolvedItem } from '../api/responses-input-schemas.js';
import { compilePolicies } from '../policies/compile.js';
import type { PoliciesConfig } from '../policies/config.js';
import { findPii, redactFindings } from '../policies/pii/scan.js';

/**
 * The input items a stored response keeps, as the plan's PII policy in `redact` mode made them for the upstream: the
 * same detectors on the same texts (message text and refusal parts, function call arguments, custom tool inputs, tool
 * outputs), so the store holds no more than the provider saw. (The output is stored as the client received it:
 * redacted when the policy applies to output.) Without such a policy the items are kept as sent.
 */
export function redactStoredItems(
  items: readonly ResolvedItem[],
  policies: PoliciesConfig | undefined,
): readonly ResolvedItem[] {
  const pii = policies === undefined ? undefined : compilePolicies(policies).pii;
  if (pii?.mode !== 'redact') return items;
  const redact = (text: string): string => redactFindings(text, findPii(text, pii.detectors));
  const part = <P extends ContentPart>(p: P): P => {
    if (p.type === 'input_text' || p.type === 'output_text') return { ...p, text: redact(p.text) };
    if (p.type === 'refusal') return { ...p, refusal: redact(p.refusal) };
    return p;
  };
  return items.map((item): ResolvedItem => {
    switch (item.type) {
      case 'function_call':
        return { ...item, arguments: redact(item.arguments) };
      case 'custom_tool_call':
        return { ...item, input: redact(item.input) };
      case 'function_call_output':
      case 'custom_tool_call_output':
        return {
          ...item,
          output: typeof item.output === 'string' ? redact(item.output) : item.output.map((p) => part(p)),
        };
      case 'reasoning':
      case 'additional_tools':
      case 'web_search_call':
      case 'file_search_call':
      case 'code_interpreter_call':
      case 'image_generation_call':
      case 'tool_search_call':
      case 'tool_search_output':
        return item;
      default:
        return {
          ...item,
          content: typeof item.content === 'string' ? redact(item.content) : item.content.map((p) => part(p)),
        };
    }
  });
}

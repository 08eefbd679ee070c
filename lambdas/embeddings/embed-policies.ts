import { inputTokens } from '../api/embedding-inputs.js';
import type { EmbeddingInput } from '../providers/embedding-types.js';
import { compilePolicies } from '../policies/compile.js';
import type { PoliciesConfig } from '../policies/config.js';
import { piiDecision, type PolicyDecision } from '../policies/decisions.js';
import { checkDeny } from '../policies/deny.js';
import { blockPii } from '../policies/pii-policy.js';
import type { DetectorName } from '../policies/pii/names.js';
import { countFindings, findPii, redactFindings } from '../policies/pii/scan.js';
import type { RequestText } from '../policies/texts.js';
import { PolicyViolation } from '../policies/violation.js';

export interface PolicedInput {
  /** The inputs to send upstream: the client's, or copies with PII redacted. */
  readonly input: readonly EmbeddingInput[];
  readonly decisions: readonly PolicyDecision[];
}

/**
 * A plan's request policies on an embeddings request, in the chat order (lambdas/policies/apply.ts) where they mean
 * something for input alone: model allowlist (403), input bytes and estimated tokens (400), deny rules (400), PII
 * (redact, or 400 in block mode). The output-token cap and the prompt-injection flags have nothing to act on. Token
 * arrays carry no text the deny rules or PII detectors could read: a plan with either refuses them (400), so they
 * are no way around the plan's rules. Pure; throws a PolicyViolation.
 */
export function applyEmbeddingPolicies(
  alias: string,
  input: readonly EmbeddingInput[],
  policies: PoliciesConfig | undefined,
  plan: string,
): PolicedInput {
  if (policies === undefined) return { input, decisions: [] };
  const { config, deny, pii } = compilePolicies(policies);
  if (config.models !== undefined && !config.models.includes(alias)) {
    throw new PolicyViolation(`The plan "${plan}" may not use the model "${alias}".`, 'model', 'models.block', 403);
  }
  const texts: RequestText[] = [];
  input.forEach((item, index) => {
    if (typeof item === 'string') texts.push({ path: `input[${index}]`, role: 'user', text: item });
  });
  checkSize(input, texts, config, plan);
  if ((deny.length > 0 || pii !== undefined) && texts.length < input.length) {
    throw new PolicyViolation(
      `Request blocked by policy: the plan "${plan}" checks input text (deny rules, PII), and token ids cannot be checked. Send the input as text.`,
      'input',
      'tokens.block',
    );
  }
  checkDeny(texts, deny);
  if (pii?.mode === 'block') blockPii(texts, pii);
  if (pii?.mode !== 'redact') return { input, decisions: [] };
  const counts = new Map<DetectorName, number>();
  const redacted = input.map((item) => {
    if (typeof item !== 'string') return item;
    const findings = findPii(item, pii.detectors);
    countFindings(counts, findings);
    return findings.length === 0 ? item : redactFindings(item, findings);
  });
  const decision = piiDecision('redact', counts);
  return decision === undefined ? { input, decisions: [] } : { input: redacted, decisions: [decision] };
}

function checkSize(
  input: readonly EmbeddingInput[],
  texts: readonly RequestText[],
  limits: { readonly maxInputBytes?: number | undefined; readonly maxInputTokens?: number | undefined },
  plan: string,
): void {
  if (limits.maxInputBytes !== undefined) {
    const bytes = texts.reduce((sum, { text }) => sum + Buffer.byteLength(text, 'utf8'), 0);
    if (bytes > limits.maxInputBytes) {
      throw new PolicyViolation(
        `Request blocked by policy maxInputBytes: it carries ${bytes} bytes of text; the plan "${plan}" allows ${limits.maxInputBytes}.`,
        'input',
        'max_input_bytes.block',
      );
    }
  }
  if (limits.maxInputTokens !== undefined) {
    const tokens = input.reduce((sum, item) => sum + inputTokens(item), 0);
    if (tokens > limits.maxInputTokens) {
      throw new PolicyViolation(
        `Request blocked by policy maxInputTokens: its input is about ${tokens} tokens; the plan "${plan}" allows ${limits.maxInputTokens}.`,
        'input',
        'max_input_tokens.block',
      );
    }
  }
}

import type { ChatRequest } from '../api/chat-schemas.js';
import { compilePolicies } from './compile.js';
import type { PoliciesConfig } from './config.js';
import type { PolicyDecision } from './decisions.js';
import { checkDeny } from './deny.js';
import { injectionFlags } from './injection.js';
import { capMaxTokens, checkInputSize, checkModelAllowed } from './limits.js';
import { blockPii, redactPii } from './pii-policy.js';
import { requestTexts } from './texts.js';

interface PolicyContext {
  /** The plan whose policies these are: named in error messages. */
  readonly plan: string;
}

export interface PolicyOutcome {
  /** The request to send upstream: the client's, or a copy with PII redacted and max tokens capped. */
  readonly request: ChatRequest;
  readonly decisions: readonly PolicyDecision[];
}

/**
 * A plan's policies on a validated chat request, before the upstream call. In order, cheapest first: model
 * allowlist (403), input bytes and estimated tokens (400), the max-tokens cap (clamp, or 400 in reject mode), deny
 * rules (400), PII (redact, or 400 in block mode), prompt-injection flags (never blocking). Deny rules and the
 * injection heuristics read the client's text as sent, before redaction. Throws a PolicyViolation; otherwise
 * returns the request to send and what was done. Pure: no I/O, the input request is never mutated.
 */
export function applyRequestPolicies(
  request: ChatRequest,
  policies: PoliciesConfig | undefined,
  ctx: PolicyContext,
): PolicyOutcome {
  if (policies === undefined) return { request, decisions: [] };
  const { config, deny, pii } = compilePolicies(policies);
  checkModelAllowed(request, config.models, ctx.plan);
  const texts = requestTexts(request);
  checkInputSize(request, texts, config, ctx.plan);

  const decisions: PolicyDecision[] = [];
  let outgoing = request;
  if (config.maxTokensCap !== undefined) {
    const capped = capMaxTokens(outgoing, config.maxTokensCap, ctx.plan);
    outgoing = capped.request;
    decisions.push(...capped.decisions);
  }
  checkDeny(texts, deny);
  if (pii?.mode === 'block') blockPii(texts, pii);
  if (pii?.mode === 'redact') {
    const redacted = redactPii(outgoing, pii);
    outgoing = redacted.request;
    if (redacted.decision !== undefined) decisions.push(redacted.decision);
  }
  if (config.promptInjection === 'flag') {
    const fired = injectionFlags(texts);
    if (fired.length > 0) decisions.push(`injection=flagged:${fired.join(',')}`);
  }
  return { request: outgoing, decisions };
}

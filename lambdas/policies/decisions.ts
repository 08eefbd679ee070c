import { DETECTOR_NAMES, type DetectorName } from './pii/names.js';

/**
 * What a policy did to a request or answer, as a compact string for the response header and the logs. Never holds
 * matched text, only policy names, detector names, counts and limits:
 *   pii.redact=email:2,card:1          PII redacted in the request, per detector
 *   pii.output.redact=phone:1          PII redacted in the answer
 *   max_tokens.clamp=4096              a requested max lowered to the cap
 *   max_completion_tokens.default=4096 the cap set on a request that asked for no max
 *   injection=flagged:ignore-instructions,role-markers   prompt-injection heuristics that fired (never blocks)
 * A request that a policy rejects carries its decision on the error instead (PolicyViolation.decision):
 *   models.block, max_input_bytes.block, max_input_tokens.block, max_tokens.reject, deny.block=2, pii.block=card
 */
export type PolicyDecision = string;

export const POLICY_HEADER = 'X-Gateway-Policy';

/** The header value: decisions joined by "; ", e.g. `pii.redact=email:2,card:1; injection=flagged:role-markers`. */
export const policyHeaderValue = (decisions: readonly PolicyDecision[]): string => decisions.join('; ');

/** `pii.redact=email:2,card:1` (detectors in priority order), or undefined when nothing was found. */
export function piiDecision(
  action: 'redact' | 'output.redact',
  counts: ReadonlyMap<DetectorName, number>,
): PolicyDecision | undefined {
  const parts = DETECTOR_NAMES.filter((name) => counts.has(name)).map((name) => `${name}:${counts.get(name) ?? 0}`);
  return parts.length === 0 ? undefined : `pii.${action}=${parts.join(',')}`;
}

import type { ChatRequest } from '../api/chat-schemas.js';
import { piiDecision, type PolicyDecision } from './decisions.js';
import type { Detector } from './pii/detector.js';
import type { DetectorName } from './pii/names.js';
import { countFindings, findPii, firstPii, redactFindings } from './pii/scan.js';
import { mapRequestTexts, type RequestText } from './texts.js';
import { PolicyViolation } from './violation.js';

/** The PII policy on a request: every text redacted in place, or the request refused at the first match. */
export interface PiiPolicy {
  readonly mode: 'redact' | 'block';
  readonly detectors: readonly Detector[];
  readonly applyToOutput: boolean;
}

export function blockPii(texts: readonly RequestText[], pii: PiiPolicy): void {
  for (const { text, path } of texts) {
    const detector = firstPii(text, pii.detectors);
    if (detector !== undefined) {
      throw new PolicyViolation(
        `Request blocked by policy pii: ${path} contains data found by the detector "${detector}". Remove it and retry.`,
        path,
        `pii.block=${detector}`,
      );
    }
  }
}

export function redactPii(
  request: ChatRequest,
  pii: PiiPolicy,
): { request: ChatRequest; decision: PolicyDecision | undefined } {
  const counts = new Map<DetectorName, number>();
  const redacted = mapRequestTexts(request, (text) => {
    const findings = findPii(text, pii.detectors);
    countFindings(counts, findings);
    return redactFindings(text, findings);
  });
  return { request: redacted, decision: piiDecision('redact', counts) };
}

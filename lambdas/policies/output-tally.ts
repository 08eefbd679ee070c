import { piiDecision, type PolicyDecision } from './decisions.js';
import type { DetectorName } from './pii/names.js';
import { countFindings, type Finding } from './pii/scan.js';

/** Counts of PII redacted in one answer, across its content, refusal and tool calls (streamed or not). */
export class OutputTally {
  private readonly counts = new Map<DetectorName, number>();

  add(findings: readonly Finding[]): void {
    countFindings(this.counts, findings);
  }

  /** `pii.output.redact=email:1`, or undefined when nothing was redacted. */
  decision(): PolicyDecision | undefined {
    return piiDecision('output.redact', this.counts);
  }
}

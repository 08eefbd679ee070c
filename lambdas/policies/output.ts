import type { ChatResult } from '../providers/types.js';
import { compilePolicies } from './compile.js';
import type { PoliciesConfig } from './config.js';
import type { PolicyDecision } from './decisions.js';
import { OutputTally } from './output-tally.js';
import type { Detector } from './pii/detector.js';
import { findPii, redactFindings } from './pii/scan.js';

/**
 * PII redaction of a completed (non-streamed) answer, when the plan sets `pii.applyToOutput`. The answer is always
 * redacted, never refused, whatever `pii.mode` says: it is produced and paid for by then. With output redaction
 * off these return their input unchanged.
 */

/** The detectors that apply to answers under `policies`, or undefined when output redaction is off. */
export function outputDetectors(policies: PoliciesConfig | undefined): readonly Detector[] | undefined {
  if (policies === undefined) return undefined;
  const pii = compilePolicies(policies).pii;
  return pii?.applyToOutput === true ? pii.detectors : undefined;
}

function redactWith(text: string, detectors: readonly Detector[], tally: OutputTally): string {
  const findings = findPii(text, detectors);
  tally.add(findings);
  return redactFindings(text, findings);
}

/** A provider's result with its content, refusal, reasoning and tool-call arguments redacted. */
export function redactChatResult(
  result: ChatResult,
  policies: PoliciesConfig | undefined,
): { result: ChatResult; decision: PolicyDecision | undefined } {
  const detectors = outputDetectors(policies);
  if (detectors === undefined) return { result, decision: undefined };
  const tally = new OutputTally();
  const redact = (text: string | null): string | null => (text === null ? null : redactWith(text, detectors, tally));
  const redacted: ChatResult = {
    ...result,
    content: redact(result.content),
    refusal: redact(result.refusal),
    toolCalls: result.toolCalls.map((call) => ({ ...call, arguments: redactWith(call.arguments, detectors, tally) })),
    // Thinking text too (a redacted_thinking block is the provider's encrypted data). A block whose text changed no
    // longer matches its signature: the provider refuses it if the client sends it back (README, "Reasoning").
    ...(result.reasoning === undefined
      ? {}
      : {
          reasoning: result.reasoning.map((block) =>
            block.type === 'thinking' ? { ...block, thinking: redactWith(block.thinking, detectors, tally) } : block,
          ),
        }),
  };
  return { result: redacted, decision: tally.decision() };
}

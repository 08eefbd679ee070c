import type { ChatRequest } from '../api/chat-schemas.js';
import type { PlanConfig } from '../config/schema.js';
import type { RequestLog } from '../core/request-log.js';
import { evaluationEvent, type CompletedRequest, type ReportText } from './evaluation/evaluation-event.js';
import { sampled, sendEvaluation } from './evaluation/evaluation-hook.js';
import { detectorsNamed } from '../policies/pii/detectors.js';
import { DETECTOR_NAMES } from '../policies/pii/names.js';
import { findPii, redactFindings } from '../policies/pii/scan.js';
import { requestTexts } from '../policies/texts.js';
import type { ProducedOutput } from '../usage/estimate.js';

/**
 * Report text is redacted with EVERY detector, whatever the plan's pii policy: logs and evaluation stores are a
 * second copy of the data, and a plan that redacts only cards upstream has not agreed to e-mail addresses in them.
 */
const ALL_DETECTORS = detectorsNamed(DETECTOR_NAMES);

/** The prompt (every text of the request, as sent upstream) and the answer, PII-redacted, for a log line or an event. */
export function reportText(request: ChatRequest, produced: ProducedOutput | undefined): ReportText {
  const redact = (text: string): string => redactFindings(text, findPii(text, ALL_DETECTORS));
  return {
    prompt: requestTexts(request).map(({ role, path, text }) => ({ role, path, text: redact(text) })),
    answer:
      produced === undefined
        ? null
        : {
            text: redact(produced.text),
            tool_calls: produced.toolCalls.map((call) => ({ name: call.name, arguments: redact(call.arguments) })),
          },
  };
}

const ms = (value: number | undefined): number | undefined =>
  value === undefined ? undefined : Math.round(value * 10) / 10;

/**
 * The "request completed" line's message and the field paths dashboards query (lib/finance-dashboard.ts reads them
 * here; test/observability checks completedLogFields writes them).
 */
export const COMPLETED_LINE = {
  message: 'request completed',
  tenant: 'tenant',
  alias: 'alias',
  status: 'status',
  costMicros: 'costMicros',
  inputTokens: 'tokens.input',
  outputTokens: 'tokens.output',
} as const;

/**
 * The fields of the "request completed" line (README, "Request logs"); the logger adds requestId itself. Kept small
 * (with the request's EMF document under 1.2 KB, docs/PERFORMANCE.md): timings to 0.1 ms; zero cache counts, zero
 * fallbacks, `estimated` unless true, an empty policy list and the cost in USD (costMicros / 1e6) are left out.
 */
export function completedLogFields(done: CompletedRequest, text: ReportText | undefined): Record<string, unknown> {
  const usage = done.usage;
  return {
    ledgerId: done.ledgerId,
    tenant: done.tenant,
    keyId: done.keyId,
    plan: done.plan,
    alias: done.alias,
    provider: done.provider,
    model: done.model,
    status: done.status,
    stream: done.stream,
    ...(done.streamError ? { streamError: true } : {}),
    latencyMs: ms(done.latencyMs),
    timeToFirstTokenMs: ms(done.timeToFirstTokenMs),
    tokens:
      usage === undefined
        ? undefined
        : {
            input: usage.inputTokens,
            output: usage.outputTokens,
            // Prompt-cache counts only when there are any (most requests have none).
            ...(usage.cachedInputTokens === 0 ? {} : { cached: usage.cachedInputTokens }),
            ...(usage.cacheWriteTokens === 0 ? {} : { cacheWrite: usage.cacheWriteTokens }),
          },
    ...(done.estimated ? { estimated: true } : {}),
    costMicros: done.costMicros,
    attempts: done.attempts,
    ...(done.fallbacks === 0 ? {} : { fallbacks: done.fallbacks }),
    ...(done.policy.length === 0 ? {} : { policy: done.policy }),
    ...(text === undefined ? {} : { prompt: text.prompt, answer: text.answer }),
  };
}

/**
 * The end of one chat request's reporting, called once per request: ONE "request completed" log line (no prompt or
 * answer text unless the plan sets `logging.prompts`, and then PII-redacted), then — for a request booked in the
 * ledger and in the plan's evaluation sample — ONE evaluation event, waited for at most `evaluation.timeoutMs`.
 */
export async function reportCompleted(
  log: RequestLog,
  plan: PlanConfig | undefined,
  done: CompletedRequest,
  text: () => ReportText,
): Promise<void> {
  const evaluation = plan?.evaluation;
  const ledgerId = done.ledgerId;
  const evaluate = evaluation !== undefined && ledgerId !== undefined && sampled(evaluation.sampleRate);
  const logText = plan?.logging?.prompts === true;
  const texts = logText || (evaluate && evaluation.includeText) ? text() : undefined;
  log.line(COMPLETED_LINE.message, completedLogFields(done, logText ? texts : undefined));
  if (evaluate) {
    await sendEvaluation(
      evaluationEvent({ ...done, ledgerId }, evaluation.includeText ? texts : undefined),
      evaluation,
      log,
    );
  }
}

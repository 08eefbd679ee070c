import type { PolicyDecision } from '../../policies/decisions.js';
import type { LedgerEntry } from '../../ledger/ledger-entry.js';

/** The source and detail-type of evaluation events, on the EventBridge bus and in the local JSONL alike. */
export const EVALUATION_SOURCE = 'llm-gateway';
export const EVALUATION_DETAIL_TYPE = 'chat.request.completed';

/** A request's prompt and answer as the report carries them: already PII-redacted (request-text.ts). */
export interface ReportText {
  readonly prompt: readonly { readonly role: string; readonly path: string; readonly text: string }[];
  readonly answer: {
    readonly text: string;
    readonly tool_calls: readonly { readonly name: string; readonly arguments: string }[];
  } | null;
}

/** One finished chat request, as the log line and the evaluation event report it: its ledger entry and more. */
export interface CompletedRequest extends Omit<LedgerEntry, 'id'> {
  /** The gateway's ledger id (`req_…`): set when the request was booked in the ledger. */
  readonly ledgerId: string | undefined;
  readonly streamError: boolean;
  readonly latencyMs: number;
  readonly timeToFirstTokenMs: number | undefined;
  readonly fallbacks: number;
  readonly policy: readonly PolicyDecision[];
}

/** The event's `detail` (snake_case, as the gateway's API): see the README, "Evaluation hooks". */
interface EvaluationDetail {
  readonly version: 1;
  readonly id: string;
  readonly request_id: string;
  readonly created_at: string;
  readonly tenant: string;
  readonly key_id: string;
  readonly plan: string;
  readonly model: string;
  readonly provider: string | null;
  readonly provider_model: string | null;
  readonly status: number;
  readonly stream: boolean;
  readonly stream_error: boolean;
  readonly latency_ms: number;
  readonly time_to_first_token_ms: number | null;
  readonly usage: {
    readonly input_tokens: number;
    readonly output_tokens: number;
    readonly cached_tokens: number;
    readonly cache_write_tokens: number;
    readonly estimated: boolean;
  } | null;
  readonly cost_micros: number | null;
  readonly cost_usd: number | null;
  readonly attempts: number;
  readonly fallbacks: number;
  readonly policy: readonly PolicyDecision[];
  readonly prompt?: ReportText['prompt'];
  readonly answer?: ReportText['answer'];
}

export interface EvaluationEvent {
  readonly source: typeof EVALUATION_SOURCE;
  readonly 'detail-type': typeof EVALUATION_DETAIL_TYPE;
  /** ISO 8601. */
  readonly time: string;
  readonly detail: EvaluationDetail;
}

const ms = (value: number): number => Math.round(value * 1000) / 1000;

export function evaluationEvent(
  done: CompletedRequest & { readonly ledgerId: string },
  text: ReportText | undefined,
  now = new Date(),
): EvaluationEvent {
  const usage = done.usage;
  return {
    source: EVALUATION_SOURCE,
    'detail-type': EVALUATION_DETAIL_TYPE,
    time: now.toISOString(),
    detail: {
      version: 1,
      id: done.ledgerId,
      request_id: done.requestId,
      created_at: done.createdAt,
      tenant: done.tenant,
      key_id: done.keyId,
      plan: done.plan,
      model: done.alias,
      provider: done.provider ?? null,
      provider_model: done.model ?? null,
      status: done.status,
      stream: done.stream,
      stream_error: done.streamError,
      latency_ms: ms(done.latencyMs),
      time_to_first_token_ms: done.timeToFirstTokenMs === undefined ? null : ms(done.timeToFirstTokenMs),
      usage:
        usage === undefined
          ? null
          : {
              input_tokens: usage.inputTokens,
              output_tokens: usage.outputTokens,
              cached_tokens: usage.cachedInputTokens,
              cache_write_tokens: usage.cacheWriteTokens,
              estimated: done.estimated,
            },
      cost_micros: done.costMicros ?? null,
      cost_usd: done.costMicros === undefined ? null : done.costMicros / 1e6,
      attempts: done.attempts,
      fallbacks: done.fallbacks,
      policy: done.policy,
      ...(text === undefined ? {} : { prompt: text.prompt, answer: text.answer }),
    },
  };
}

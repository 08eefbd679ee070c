import type { EvaluationConfig } from '../../config/observability-schema.js';
import { countMetric } from '../emf-metrics.js';
import type { RequestLog } from '../../core/request-log.js';
import type { EvaluationEvent } from './evaluation-event.js';
import { sinkFromEnvironment, type EvaluationSink } from './evaluation-sinks.js';

/** Whether this request is one of the plan's sample (0: never, 1: always). */
export const sampled = (rate: number, random: () => number = Math.random): boolean => rate > 0 && random() < rate;

let sink: { readonly value: EvaluationSink | undefined } | undefined;

/** The process's sink, from the environment on first use (a test may set another). */
export function evaluationSink(): EvaluationSink | undefined {
  sink ??= { value: sinkFromEnvironment() };
  return sink.value;
}

/** Tests and the local server: events go to `value` (undefined: nowhere); `reset` reads the environment again. */
export function setEvaluationSink(value: EvaluationSink | undefined | 'reset'): void {
  sink = value === 'reset' ? undefined : { value };
}

/**
 * Sends one evaluation event, waiting at most `timeoutMs`: a sink that fails or is slower is logged and counted
 * (metric HookFailures, dimension Hook=evaluation) and the request goes on — a hook never fails or holds up an
 * answer beyond that bound. A send still running at the deadline is aborted. Never throws.
 */
export async function sendEvaluation(
  event: EvaluationEvent,
  config: Pick<EvaluationConfig, 'timeoutMs'>,
  log: RequestLog,
  target: EvaluationSink | undefined = evaluationSink(),
): Promise<void> {
  if (target === undefined) return;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ readonly error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ error: `timed out after ${config.timeoutMs} ms` }), config.timeoutMs);
  });
  let sending: Promise<{ readonly error: string } | undefined>;
  try {
    sending = target.send(event, controller.signal).then(
      () => undefined,
      (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
    );
  } catch (err) {
    sending = Promise.resolve({ error: err instanceof Error ? err.message : String(err) });
  }
  const failure = await Promise.race([sending, deadline]);
  clearTimeout(timer);
  if (failure === undefined) return;
  controller.abort();
  log.warn('evaluation hook failed', {
    hook: target.kind,
    ledgerId: event.detail.id,
    error: failure.error.slice(0, 500),
  });
  countMetric('HookFailures', { Hook: 'evaluation' });
}

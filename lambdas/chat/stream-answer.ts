import { recordParts } from '../cache/stream-recorder.js';
import { encodeStream } from '../formats/sse-stream.js';
import { committedStream, startStream, type StartedStream } from '../routing/committed-stream.js';
import { route } from '../routing/router.js';
import { markSelfReported } from '../runtime/request-state.js';
import type { GatewayResult } from '../runtime/types.js';
import type { ChatRun } from './chat-run.js';
import { tallied } from './metering.js';
import { partialMetered } from './partial-usage.js';
import { redactedStream } from './redacted-stream.js';
import { byOf, type ResolvedTarget } from './resolve.js';
import { streamBody } from './stream-body.js';
import { phaseMark } from '../observability/phase-marks.js';

/**
 * A chat request's SSE stream, committed to the first target that produced content: the router → the committed
 * stream (idle timeout, the deadline's cut) → the tally → the plan's output redaction → the encoding's SSE frames,
 * with the books closed at the stream's end, before the client is told the usage or the end (the booking itself is
 * written after the stream has ended, before the invocation resolves: metering.ts).
 */
export async function answerStream(run: ChatRun): Promise<GatewayResult> {
  const { request, policy, gateway } = run;
  const routed = await route<StartedStream, ResolvedTarget>(
    request.model,
    run.targets,
    policy,
    (target, signal) =>
      run.attempt(target, () => startStream(run.provider(target), run.call(target), signal, policy.timeouts.connectMs)),
    run.controller.signal,
    run.deps,
    (late) => void late.rest.return?.(),
  );
  phaseMark?.('stream routed');
  const timeToFirstTokenMs = performance.now() - gateway.startedAt;
  const stream = tallied(
    committedStream(routed.value, routed.winner, routed.target.providerName, policy.timeouts.idleMs, run.cut()),
  );
  // Output redaction after the tally: usage estimates count what the model produced, the client gets it redacted.
  // Its decision is known only at the end, so it reaches the logs and the evaluation event, not the headers.
  const redacted = redactedStream(stream.parts, run.policies);
  // The response cache records the answer as the client gets it, kept only when the stream ended well.
  const recorded = run.scope.cache === undefined ? undefined : recordParts(redacted?.parts ?? stream.parts);
  const body = streamBody(
    (end) =>
      encodeStream(recorded?.parts ?? redacted?.parts ?? stream.parts, run.encoding.stream(request, run.meta), end),
    async ({ usage, failed, partial, error }) => {
      run.settle();
      const decision = redacted?.decision();
      if (decision !== undefined) run.trail.policy.push(decision);
      gateway.log.debug('stream ended', {
        failed,
        code: error?.code,
        inputTokens: usage?.inputTokens,
        outputTokens: usage?.outputTokens,
      });
      const produced = stream.produced();
      await run.meter({
        // A stream that failed is booked with its error event's status (e.g. 502 upstream_stream_truncated, 504
        // request_deadline_exceeded), though its 200 went out first: the ledger and the Errors metric show it failed.
        status: error?.status ?? 200,
        provider: routed.target.providerName,
        model: routed.target.model,
        usage: partial === true ? undefined : usage,
        produced,
        timeToFirstTokenMs,
        streamError: failed,
        metered: partial === true && usage !== undefined ? partialMetered(usage, produced) : undefined,
      });
      const result = failed || partial === true ? undefined : recorded?.result(usage);
      if (result !== undefined)
        await run.scope.cache?.keep({ kind: 'chat', result, produced, by: byOf(routed.target) });
    },
    () => run.stopUpstream(),
    (err) => {
      gateway.log.error('stream left before its first read: its books could not be closed', {
        error: err instanceof Error ? err.message : String(err),
      });
    },
  );
  // Its "request completed" line comes at its end (stream-body.ts): the access line would repeat it.
  markSelfReported(gateway.event);
  phaseMark?.('stream answer built');
  return {
    statusCode: 200,
    headers: {
      ...run.headersOf(routed.target, routed.attempts),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
    },
    body,
  };
}

import type { ChatRequest } from '../api/chat-schemas.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import { GatewayError, withHeaders } from '../core/errors.js';
import { json } from '../core/http.js';
import { countMetric } from '../observability/emf-metrics.js';
import { redactChatResult } from '../policies/output.js';
import { withinConnect } from '../routing/connect.js';
import { committedStream, startStream, type StartedStream } from '../routing/stream.js';
import { route, type RouteEvent, type RouterDeps } from '../routing/router.js';
import { providerKeySource } from '../secrets/provider-keys.js';
import { traceAttempt, upstreamTracer } from '../observability/upstream-tracer.js';
import { producedOf } from '../usage/estimate.js';
import { CLIENT_CLOSED_REQUEST, onClientGone } from '../runtime/client-signal.js';
import { requestDeadlineMs } from '../runtime/deadline.js';
import { markSelfReported } from '../runtime/request-state.js';
import type { GatewayRequest, GatewayResult } from '../runtime/types.js';
import type { ChatEncoding } from '../formats/chat-encoding.js';
import { openAIEncoding } from '../formats/openai-chat/openai-encoding.js';
import { meterChat, newLedgerId, reportUnbooked, tallied, type Books, type ChatOutcome, type Trail } from './metering.js';
import { partialMetered } from './partial-usage.js';
import { planOf, policeRequest, policyHeaders } from './policy-gate.js';
import { holdQuota } from './quota-gate.js';
import { redactedStream } from './redacted-stream.js';
import { providerFor } from './registry.js';
import { resolveTargets, type ResolvedTarget } from './resolve.js';
import { encodeStream } from '../formats/sse-stream.js';
import { streamBody } from './stream-body.js';

export const PROVIDER_HEADER = 'X-Gateway-Provider';
export const MODEL_HEADER = 'X-Gateway-Model';
export const ATTEMPTS_HEADER = 'X-Gateway-Attempts';
/** The request's id in the ledger (`req_…`): what POST /v1/feedback and GET /v1/requests/{id} take. */
export const LEDGER_ID_HEADER = 'X-Gateway-Ledger-Id';

class DeadlineExceeded extends Error {}
class ClientGone extends Error {}
// Abort reasons are only compared: one instance each spares a stack capture per request.
const DEADLINE = new DeadlineExceeded('deadline');
const CLIENT_GONE = new ClientGone('client gone');

const deadlineError = (ms: number): GatewayError =>
  new GatewayError({ status: 504, type: 'api_error', message: `The request did not complete within ${ms} ms.`, code: 'request_deadline_exceeded' });
// Nobody reads it: it is what the ledger and the request log record for a client that left before its answer.
const clientGoneError = (): GatewayError =>
  new GatewayError({ status: CLIENT_CLOSED_REQUEST, type: 'invalid_request_error', message: 'The client closed the connection before the answer.', code: 'client_closed_request' });

/**
 * One chat request: the plan's policies → alias → targets → the router (retries, failover, breakers, hedging) → an
 * answer, or an SSE stream committed to the first target that produced content, in `encoding`'s format (OpenAI's
 * chat.completion by default; /v1/messages passes Anthropic's), through the plan's output redaction. The request's
 * AbortController ends everything: the client going away (the response body is destroyed) or the alias's deadline.
 * Every request ends with one "request completed" line (metering.ts), those refused before routing included.
 */
export async function serveChat(
  gateway: GatewayRequest,
  config: GatewayConfig,
  principal: Principal,
  request: ChatRequest,
  encoding: ChatEncoding = openAIEncoding,
): Promise<GatewayResult> {
  const trail: Trail = { policy: [], reported: false };
  try {
    return await runChat(gateway, config, principal, request, encoding, trail);
  } catch (err) {
    await reportUnbooked(gateway, config, principal, request, trail, err instanceof GatewayError ? err.status : 500);
    throw err;
  }
}

async function runChat(
  gateway: GatewayRequest,
  config: GatewayConfig,
  principal: Principal,
  clientRequest: ChatRequest,
  encoding: ChatEncoding,
  trail: Trail,
): Promise<GatewayResult> {
  const policies = planOf(config, principal.plan)?.policies;
  // Policies first: a refused request costs no quota and never goes upstream.
  const request = policeRequest(clientRequest, policies, principal.plan, trail.policy, gateway.log);
  const { targets, policy } = resolveTargets(config, principal, request);
  const keys = await providerKeySource(config).keys();
  // Quotas next: nothing goes upstream without a reservation (429 insufficient_quota when it does not fit).
  const hold = await holdQuota(config, principal, targets, policy.timeouts.requestMs, gateway.log);
  const books: Books = { ledgerId: newLedgerId(), createdAt: new Date().toISOString(), hold, trail };
  const tracer = await upstreamTracer();
  const controller = new AbortController();
  // In Lambda the deadline ends before the invocation does, with time left to book the request (runtime/deadline.ts).
  const deadlineMs = requestDeadlineMs(policy.timeouts.requestMs, gateway.lambdaContext);
  const deadline = setTimeout(() => controller.abort(DEADLINE), deadlineMs);
  // The client leaving stops the upstream call at once: while waiting for a JSON answer or a stream's first byte,
  // and between two pieces of a stream (client-signal.ts: locally the socket's close; in Lambda only a failed stream).
  const forgetClient = onClientGone(gateway.event, () => controller.abort(CLIENT_GONE));
  let fallbacks = 0;
  const deps: RouterDeps = {
    now: Date.now,
    random: Math.random,
    onEvent: (event) => {
      if (event.type === 'fallback') fallbacks += 1;
      recordEvent(gateway, request.model, event);
    },
  };
  // Upstream calls started (retries, fallbacks and hedges included), counted as the router starts them.
  let attempts = 0;
  // The target of the latest try: a request aborted before its answer owes that call's input (an estimate).
  let tried: ResolvedTarget | undefined;
  const meter = (outcome: Omit<ChatOutcome, 'fallbacks' | 'attempts'>): Promise<void> =>
    meterChat(gateway, config, principal, request, books, { ...outcome, fallbacks, attempts });
  // The answer's id carries the ledger id (chatcmpl-req_…, msg_req_…), so a client can refer to the request later.
  const meta = { id: `${encoding.idPrefix}${books.ledgerId}`, created: Math.floor(Date.now() / 1000), alias: request.model, requestId: gateway.requestId };
  const call = (target: ResolvedTarget) => ({ request: target.request, model: target.model, requestId: gateway.requestId });
  const attempt = <T>(target: ResolvedTarget, run: () => Promise<T>): Promise<T> => {
    attempts += 1;
    tried = target;
    const info = { alias: request.model, provider: target.providerName, model: target.model, attempt: attempts, stream: request.stream === true };
    return traceAttempt(tracer, info, run);
  };
  const headersOf = (target: ResolvedTarget, attempts: number) => ({
    ...hold?.headers,
    [PROVIDER_HEADER]: target.providerName,
    [MODEL_HEADER]: target.model,
    [ATTEMPTS_HEADER]: String(attempts),
    [LEDGER_ID_HEADER]: books.ledgerId,
    ...policyHeaders(trail.policy),
  });

  try {
    if (request.stream !== true) {
      const routed = await route(
        request.model,
        targets,
        policy,
        (target, signal) =>
          attempt(target, () =>
            // connectMs bounds the connection (providers send a JSON answer's status only with the answer itself).
            withinConnect(target.providerName, policy.timeouts.connectMs, signal, (connected) =>
              providerFor(target.providerName, target.provider, keys).complete({ ...call(target), signal: connected }),
            ),
          ),
        controller.signal,
        deps,
        () => undefined,
      );
      routed.winner.dispose();
      clearTimeout(deadline);
      forgetClient();
      const answer = redactChatResult(routed.value, policies);
      if (answer.decision !== undefined) trail.policy.push(answer.decision);
      // Metered on what the model produced; the client gets the redacted answer.
      await meter({ status: 200, provider: routed.target.providerName, model: routed.target.model, usage: routed.value.usage, produced: producedOf(routed.value) });
      return json(200, encoding.body(answer.result, request, meta), headersOf(routed.target, routed.attempts));
    }

    const routed = await route<StartedStream, ResolvedTarget>(
      request.model,
      targets,
      policy,
      (target, signal) =>
        attempt(target, () => startStream(providerFor(target.providerName, target.provider, keys), call(target), signal, policy.timeouts.connectMs)),
      controller.signal,
      deps,
      (late) => void late.rest.return?.(),
    );
    const timeToFirstTokenMs = performance.now() - gateway.startedAt;
    // The deadline cuts a committed stream with its own error event at once; a client gone needs none.
    const cut = { signal: controller.signal, errorOf: (reason: unknown) => (reason instanceof DeadlineExceeded ? deadlineError(deadlineMs) : undefined) };
    const stream = tallied(committedStream(routed.value, routed.winner, routed.target.providerName, policy.timeouts.idleMs, cut));
    // Output redaction after the tally: usage estimates count what the model produced, the client gets it redacted.
    // Its decision is known only at the end, so it reaches the logs and the evaluation event, not the headers.
    const redacted = redactedStream(stream.parts, policies);
    const body = streamBody(
      (end) => encodeStream(redacted?.parts ?? stream.parts, encoding.stream(request, meta), end),
      async ({ usage, failed, partial, error }) => {
        clearTimeout(deadline);
        forgetClient();
        const decision = redacted?.decision();
        if (decision !== undefined) trail.policy.push(decision);
        gateway.log.debug('stream ended', { failed, code: error?.code, inputTokens: usage?.inputTokens, outputTokens: usage?.outputTokens });
        const produced = stream.produced();
        await meter({
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
      },
      () => {
        // Nothing more is wanted upstream (the client left, or the stream failed): the call stops, even when the
        // stream was left before its parts were read.
        clearTimeout(deadline);
        if (!controller.signal.aborted) controller.abort(CLIENT_GONE);
      },
      (err) => {
        gateway.log.error('stream left before its first read: its books could not be closed', { error: err instanceof Error ? err.message : String(err) });
      },
    );
    // Its "request completed" line comes at its end (stream-body.ts): the access line would repeat it.
    markSelfReported(gateway.event);
    return {
      statusCode: 200,
      headers: { ...headersOf(routed.target, routed.attempts), 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' },
      body,
    };
  } catch (err) {
    clearTimeout(deadline);
    forgetClient();
    const reason: unknown = controller.signal.reason;
    const error = reason instanceof DeadlineExceeded ? deadlineError(deadlineMs) : reason instanceof ClientGone ? clientGoneError() : err;
    if (!(error instanceof GatewayError)) throw error;
    const owed = reason instanceof ClientGone && tried !== undefined ? { provider: tried.providerName, model: tried.model, produced: { text: '', toolCalls: [] } } : {};
    await meter({ status: error.status, ...owed });
    // The ledger id on errors too (a failed request is in the ledger and may get feedback), and what policies did.
    throw withHeaders(error, { [LEDGER_ID_HEADER]: books.ledgerId, ...policyHeaders(trail.policy) });
  }
}

function recordEvent(gateway: GatewayRequest, alias: string, event: RouteEvent): void {
  gateway.log.info(`routing ${event.type}`, { ...event, alias });
  // Fallbacks are counted once, per request, in the request metrics.
  const name = { retry: 'Retries', fallback: undefined, 'breaker-open': 'BreakerOpens', 'breaker-skip': 'BreakerSkips', hedge: 'Hedges' }[event.type];
  if (name !== undefined) countMetric(name, { Model: alias });
}

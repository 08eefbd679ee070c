import { json } from '../core/http.js';
import { redactChatResult } from '../policies/output.js';
import { withinConnect } from '../routing/connect.js';
import { route } from '../routing/router.js';
import type { GatewayResult } from '../runtime/types.js';
import { producedOf } from '../usage/estimate.js';
import type { ChatRun } from './chat-run.js';
import { byOf } from './resolve.js';
import { phaseMark } from '../observability/phase-marks.js';

/**
 * A chat request's JSON answer: the router (retries, failover, breakers, hedging) → the provider's result → the
 * plan's output redaction → the books (the entry; its booking is written after the body has gone out, before the
 * invocation resolves: metering.ts) → the encoding's body.
 */
export async function answerJson(run: ChatRun): Promise<GatewayResult> {
  const { request, policy } = run;
  phaseMark?.('answerJson in');
  const routed = await route(
    request.model,
    run.targets,
    policy,
    (target, signal) =>
      run.attempt(target, () =>
        // connectMs bounds the connection (providers send a JSON answer's status only with the answer itself).
        withinConnect(target.providerName, policy.timeouts.connectMs, signal, (connected, onConnectionOpen) =>
          run.provider(target).complete({ ...run.call(target), signal: connected, onConnectionOpen }),
        ),
      ),
    run.controller.signal,
    run.deps,
    () => undefined,
  );
  phaseMark?.('routed (SDK answer)');
  routed.winner.dispose();
  run.settle();
  const answer = redactChatResult(routed.value, run.policies);
  if (answer.decision !== undefined) run.trail.policy.push(answer.decision);
  // Metered on what the model produced; the client gets the redacted answer.
  await run.meter({
    status: 200,
    provider: routed.target.providerName,
    model: routed.target.model,
    usage: routed.value.usage,
    produced: producedOf(routed.value),
  });
  phaseMark?.('metered');
  // The response cache keeps the answer as the client gets it (lambdas/cache).
  await run.scope.cache?.keep({
    kind: 'chat',
    result: answer.result,
    produced: producedOf(routed.value),
    by: byOf(routed.target),
  });
  const body = run.encoding.body(answer.result, request, run.meta);
  await run.encoding.keep?.();
  phaseMark?.('body encoded');
  return json(200, body, run.headersOf(routed.target, routed.attempts));
}

import { GatewayError } from '../core/errors.js';
import { daemonAddress, sendToDaemon } from './xray-daemon.js';
import { epochSeconds, sampledParent, subsegmentDocument } from './xray-subsegment.js';

/**
 * X-Ray subsegments around upstream calls: one per attempt (retries, fallbacks and hedges each get theirs), named
 * `upstream <provider>`, annotated with the alias, provider, model, attempt number, stream flag and — when it
 * settles — the gateway status of that attempt, flagged as X-Ray error (4xx), throttle (429, an error too) or fault
 * (5xx), the failure as the cause.
 *
 * Written here, not through the X-Ray SDK (Powertools Tracer): that SDK costs ~15-25 ms of the chat function's init,
 * and its context (cls-hooked) puts async hooks on every promise of the process. One subsegment is one UDP datagram
 * to the daemon, as the SDK sends it in Lambda (xray-daemon.ts, xray-subsegment.ts). Only in Lambda with tracing on
 * (tracingWanted); everywhere else — locally, in tests — the tracer is NO_TRACER: one resolved promise per request and
 * an empty function per attempt.
 */
interface AttemptInfo {
  readonly alias: string;
  readonly provider: string;
  readonly model: string;
  /** 1-based, in the order the router started the request's attempts. */
  readonly attempt: number;
  readonly stream: boolean;
}

interface AttemptSpan {
  /** Ends the span; later calls do nothing. */
  close(outcome: { readonly status: number; readonly error?: unknown }): void;
}

export interface UpstreamTracer {
  readonly enabled: boolean;
  open(info: AttemptInfo): AttemptSpan;
}

const NO_SPAN: AttemptSpan = { close: () => undefined };
export const NO_TRACER: UpstreamTracer = { enabled: false, open: () => NO_SPAN };

/** The gateway status an attempt failed with: a GatewayError's, else 502 (a failure the router maps to one). */
export function statusOf(error: unknown): number {
  const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
  return typeof status === 'number' ? status : 502;
}

/**
 * What a subsegment says of an attempt's failure: a GatewayError's code and message (the text its client gets, no
 * secret in it); of anything else only its name — its message is not the gateway's and may hold anything.
 */
function failureOf(error: unknown): { readonly type: string; readonly message: string } {
  if (error instanceof GatewayError) return { type: error.code, message: error.message };
  const type = error instanceof Error ? error.name : typeof error;
  return { type, message: `${type} (not a gateway error)` };
}

/**
 * Subsegments written without the X-Ray SDK: each attempt, when it settles, becomes one datagram to the X-Ray daemon
 * of `env` (AWS_XRAY_DAEMON_ADDRESS), under the trace and segment of the invocation's trace header as the attempt
 * opened (the Lambda runtime's per-invocation _X_AMZN_TRACE_ID, or its InvokeStore's where it has one). An attempt
 * of an invocation that is not sampled sends nothing.
 */
export function xrayTracer(env: NodeJS.ProcessEnv = process.env): UpstreamTracer {
  const daemon = daemonAddress(env);
  if (daemon === undefined) return NO_TRACER;
  return {
    enabled: true,
    open(info) {
      const parent = sampledParent(invocationTraceHeader(env));
      if (parent === undefined) return NO_SPAN;
      const startTime = epochSeconds();
      let open = true;
      return {
        close({ status, error }) {
          if (!open) return;
          open = false;
          const { alias, provider, model, attempt, stream } = info;
          const call = {
            name: `upstream ${provider}`,
            startTime,
            endTime: epochSeconds(),
            annotations: { alias, provider, model, attempt, stream, status },
            status,
            ...(error === undefined ? {} : { failure: failureOf(error) }),
          };
          try {
            sendToDaemon(daemon, subsegmentDocument(parent, call));
          } catch {
            // Tracing never fails an attempt: the subsegment is lost.
          }
        },
      };
    },
  };
}

/** The runtime's own record of the invocation's trace header, where it keeps one (Node 22+ managed runtimes). */
interface InvokeStoreGlobal {
  readonly awslambda?: { readonly InvokeStore?: { getXRayTraceId?(): string | undefined } };
}

/** The trace header of the invocation under way: the InvokeStore's if the runtime has one, else _X_AMZN_TRACE_ID. */
function invocationTraceHeader(env: NodeJS.ProcessEnv): string | undefined {
  let stored: string | undefined;
  try {
    stored = (globalThis as InvokeStoreGlobal).awslambda?.InvokeStore?.getXRayTraceId?.();
  } catch {
    // Not in an invocation's context: the environment's header.
  }
  return stored ?? env._X_AMZN_TRACE_ID;
}

/**
 * Whether to trace here, by Powertools Tracer's rules (the stack's POWERTOOLS_TRACE_ENABLED switch keeps its
 * meaning): in Lambda, not emulated locally (SAM, Amplify), not switched off.
 */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (['false', '0'].includes((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase())) return false;
  const execution = env.AWS_EXECUTION_ENV ?? '';
  return execution !== '' && execution !== 'AWS_Lambda_amplify-mock' && (env.AWS_SAM_LOCAL ?? '') === '';
}

let override: UpstreamTracer | undefined;
let processTracer: Promise<UpstreamTracer> | undefined;

const NO_TRACER_PROMISE = Promise.resolve(NO_TRACER);

/**
 * The tracer of this process: the X-Ray one where tracing is wanted, else NO_TRACER. Nothing is loaded for it (a
 * UDP socket at the first subsegment), so there is nothing to warm up at init.
 */
export function upstreamTracer(env: NodeJS.ProcessEnv = process.env): Promise<UpstreamTracer> {
  if (override !== undefined) return Promise.resolve(override);
  if (!tracingWanted(env)) return NO_TRACER_PROMISE;
  if (env !== process.env) return Promise.resolve(xrayTracer(env));
  processTracer ??= Promise.resolve(xrayTracer(env));
  return processTracer;
}

/** Tests: use `tracer` for every request (undefined: back to the environment's). */
export function setUpstreamTracer(tracer: UpstreamTracer | undefined): void {
  override = tracer;
}

/** Runs one attempt inside a span, closing it however the attempt settles. */
export function traceAttempt<T>(tracer: UpstreamTracer, info: AttemptInfo, attempt: () => Promise<T>): Promise<T> {
  if (!tracer.enabled) return attempt();
  const span = tracer.open(info);
  let started: Promise<T>;
  try {
    started = attempt();
  } catch (error) {
    span.close({ status: statusOf(error), error });
    throw error;
  }
  return started.then(
    (value) => {
      span.close({ status: 200 });
      return value;
    },
    (error: unknown) => {
      span.close({ status: statusOf(error), error });
      throw error;
    },
  );
}

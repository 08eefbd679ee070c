/**
 * X-Ray subsegments around upstream calls: one per attempt (retries, fallbacks and hedges each get theirs), named
 * `upstream <provider>`, annotated with the alias, provider, model, attempt number, stream flag and — when it
 * settles — the gateway status of that attempt, flagged as X-Ray error (4xx), throttle (429) or fault (5xx).
 *
 * Only in Lambda with tracing on (Powertools' own rules: AWS_EXECUTION_ENV set, not SAM or Amplify local, and
 * POWERTOOLS_TRACE_ENABLED not "false") is @aws-lambda-powertools/tracer loaded at all: it pulls in the X-Ray SDK,
 * which installs async hooks for its context. Everywhere else — locally, in tests — the tracer is NO_TRACER: one
 * resolved promise per request and an empty function per attempt.
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

/** The part of an X-Ray (sub)segment used here; Powertools' Tracer returns aws-xray-sdk-core's, which fit. */
interface TraceSegment {
  addNewSubsegment(name: string): TraceSubsegment;
}
export interface TraceSubsegment {
  addAnnotation(key: string, value: string | number | boolean): void;
  addError(error: Error | string, remote?: boolean): void;
  addErrorFlag(): void;
  addThrottleFlag(): void;
  addFaultFlag(): void;
  close(): void;
}
/** The part of Powertools' Tracer used here (tests pass a fake). */
export interface SegmentSource {
  isTracingEnabled(): boolean;
  getSegment(): TraceSegment | undefined;
}

/** The gateway status an attempt failed with: a GatewayError's, else 502 (a failure the router maps to one). */
export function statusOf(error: unknown): number {
  const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
  return typeof status === 'number' ? status : 502;
}

/** Subsegments under the segment `source` holds at each attempt (the Lambda facade segment). */
export function segmentTracer(source: SegmentSource): UpstreamTracer {
  return {
    enabled: true,
    open(info) {
      const parent = source.getSegment();
      if (parent === undefined) return NO_SPAN;
      const sub = parent.addNewSubsegment(`upstream ${info.provider}`);
      sub.addAnnotation('alias', info.alias);
      sub.addAnnotation('provider', info.provider);
      sub.addAnnotation('model', info.model);
      sub.addAnnotation('attempt', info.attempt);
      sub.addAnnotation('stream', info.stream);
      let open = true;
      return {
        close({ status, error }) {
          if (!open) return;
          open = false;
          sub.addAnnotation('status', status);
          if (error !== undefined) {
            sub.addError(error instanceof Error ? error : String(error), true);
            if (status === 429) sub.addThrottleFlag();
            else if (status >= 500) sub.addFaultFlag();
            else sub.addErrorFlag();
          }
          sub.close();
        },
      };
    },
  };
}

/** Whether Powertools' Tracer would trace here: in Lambda, not emulated locally, not switched off. */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (['false', '0'].includes((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase())) return false;
  const execution = env.AWS_EXECUTION_ENV ?? '';
  return execution !== '' && execution !== 'AWS_Lambda_amplify-mock' && (env.AWS_SAM_LOCAL ?? '') === '';
}

let override: UpstreamTracer | undefined;
let loading: Promise<UpstreamTracer> | undefined;

const NO_TRACER_PROMISE = Promise.resolve(NO_TRACER);

/** The tracer of this process: Powertools' (loaded once, on first use) where tracing is wanted, else NO_TRACER. */
export function upstreamTracer(env: NodeJS.ProcessEnv = process.env): Promise<UpstreamTracer> {
  if (override !== undefined) return Promise.resolve(override);
  if (!tracingWanted(env)) return NO_TRACER_PROMISE;
  loading ??= import('@aws-lambda-powertools/tracer').then(
    ({ Tracer }) => {
      // Only our subsegments: no global patching of http/https/fetch.
      const tracer = new Tracer({
        serviceName: env.POWERTOOLS_SERVICE_NAME || 'llm-gateway',
        captureHTTPsRequests: false,
      });
      return tracer.isTracingEnabled() ? segmentTracer(tracer) : NO_TRACER;
    },
    () => NO_TRACER,
  );
  return loading;
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

// In Lambda, load the tracer with the module (at cold start, as a static import would, so the X-Ray SDK sets up its
// context before the first invocation) rather than inside the first request.
if (tracingWanted()) void upstreamTracer();

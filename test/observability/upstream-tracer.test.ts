import { reply, startFakeOpenAI, textChunks } from '../fakes/fake-openai.js';
import { apiFailure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import {
  NO_TRACER,
  segmentTracer,
  setUpstreamTracer,
  traceAttempt,
  tracingWanted,
  upstreamTracer,
  type SegmentSource,
  type TraceSubsegment,
} from '../../lambdas/observability/upstream-tracer.js';

// X-Ray subsegments around upstream attempts: off (a no-op, Powertools not even loaded) outside Lambda; with a
// tracer, one subsegment per attempt, opened when the router starts it and closed however it ends.

interface FakeSubsegment {
  readonly name: string;
  readonly annotations: Record<string, string | number | boolean>;
  readonly errors: string[];
  readonly flags: string[];
  closed: number;
}

function fakeSource(): SegmentSource & { readonly subsegments: FakeSubsegment[] } {
  const subsegments: FakeSubsegment[] = [];
  return {
    subsegments,
    isTracingEnabled: () => true,
    getSegment: () => ({
      addNewSubsegment(name: string): TraceSubsegment {
        const sub: FakeSubsegment = { name, annotations: {}, errors: [], flags: [], closed: 0 };
        subsegments.push(sub);
        return {
          addAnnotation: (key, value) => void (sub.annotations[key] = value),
          addError: (error) => void sub.errors.push(error instanceof Error ? error.message : error),
          addErrorFlag: () => void sub.flags.push('error'),
          addThrottleFlag: () => void sub.flags.push('throttle'),
          addFaultFlag: () => void sub.flags.push('fault'),
          close: () => void (sub.closed += 1),
        };
      },
    }),
  };
}

describe('when tracing is off', () => {
  it('is wanted only in Lambda, not under SAM or Amplify emulation, and not when switched off', () => {
    expect(tracingWanted({})).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(true);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'false' })).toBe(
      false,
    );
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
  });

  it('outside Lambda the tracer is the no-op, and an attempt runs as it is (value and failure alike)', async () => {
    expect(await upstreamTracer({})).toBe(NO_TRACER);
    const info = { alias: 'a', provider: 'p', model: 'm', attempt: 1, stream: false };
    const value = Promise.resolve(42);
    expect(traceAttempt(NO_TRACER, info, () => value)).toBe(value);
    const failure = new Error('upstream down');
    await expect(traceAttempt(NO_TRACER, info, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(() => NO_TRACER.open(info).close({ status: 500, error: failure })).not.toThrow();
  });

  it('without a segment (no X-Ray context) spans are no-ops', async () => {
    const tracer = segmentTracer({ isTracingEnabled: () => true, getSegment: () => undefined });
    await expect(
      traceAttempt(tracer, { alias: 'a', provider: 'p', model: 'm', attempt: 1, stream: true }, async () => 'ok'),
    ).resolves.toBe('ok');
  });
});

describe('with a tracer: one subsegment per upstream attempt', () => {
  const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-trace' }), undefined, {
    models: {
      target: {
        targets: [{ provider: 'upstream', model: 'openai-upstream-model' }],
        retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
      },
    },
  });
  let source: ReturnType<typeof fakeSource>;
  beforeEach(() => {
    source = fakeSource();
    setUpstreamTracer(segmentTracer(source));
  });
  afterAll(() => setUpstreamTracer(undefined));
  const ask = { model: 'target', messages: [{ role: 'user' as const, content: 'hi' }] };

  it('a failed attempt and its retry: two subsegments, each closed once, the failure flagged as a fault', async () => {
    fixture.fake.enqueue(reply.serverError(500), reply.text('second time lucky'));
    await fixture.client.chat.completions.create(ask);
    expect(source.subsegments).toEqual([
      {
        name: 'upstream upstream',
        annotations: {
          alias: 'target',
          provider: 'upstream',
          model: 'openai-upstream-model',
          attempt: 1,
          stream: false,
          status: 502,
        },
        errors: [expect.any(String)],
        flags: ['fault'],
        closed: 1,
      },
      {
        name: 'upstream upstream',
        annotations: {
          alias: 'target',
          provider: 'upstream',
          model: 'openai-upstream-model',
          attempt: 2,
          stream: false,
          status: 200,
        },
        errors: [],
        flags: [],
        closed: 1,
      },
    ]);
  });

  it('every attempt failing: each still closed, 429 flagged as throttle', async () => {
    fixture.fake.enqueue(reply.rateLimit(0), reply.serverError(503));
    expect((await apiFailure(fixture.client.chat.completions.create(ask))).status).toBe(502);
    expect(source.subsegments.map((s) => [s.annotations.attempt, s.annotations.status, s.flags, s.closed])).toEqual([
      [1, 429, ['throttle'], 1],
      [2, 502, ['fault'], 1],
    ]);
  });

  it('a stream: its attempt is closed when the stream is committed (first content)', async () => {
    fixture.fake.enqueue(reply.stream(textChunks('streamed answer', { parts: 3 })));
    const stream = await fixture.client.chat.completions.create({ ...ask, stream: true });
    for await (const _chunk of stream);
    expect(source.subsegments.map((s) => [s.annotations.stream, s.annotations.status, s.closed])).toEqual([
      [true, 200, 1],
    ]);
  });
});

import { reply, startFakeOpenAI, textChunks } from '../fakes/fake-openai.js';
import { startFakeXRayDaemon, type FakeXRayDaemon } from '../fakes/fake-xray-daemon.js';
import { apiFailure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { GatewayError, type ErrorCode } from '../../lambdas/core/errors.js';
import {
  NO_TRACER,
  setUpstreamTracer,
  traceAttempt,
  tracingWanted,
  upstreamTracer,
  xrayTracer,
} from '../../lambdas/observability/upstream-tracer.js';

// X-Ray subsegments around upstream attempts, written by the gateway itself (no X-Ray SDK): off outside Lambda; in
// Lambda one UDP datagram to the daemon per attempt of a sampled invocation, under the invocation's trace header.
// A UDP socket on port 0 stands in for the daemon. "Nothing sent" is shown without a timer: a sampled attempt is sent
// after it, and it is the only datagram that arrives.

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';
const SAMPLED = `Root=${ROOT};Parent=${PARENT};Sampled=1;Lineage=a87bd80c:0`;
const INFO = { alias: 'fast', provider: 'openai', model: 'gpt-4o-mini', attempt: 1, stream: false };
const HEX16 = /^[0-9a-f]{16}$/;

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
    const value = Promise.resolve(42);
    expect(traceAttempt(NO_TRACER, INFO, () => value)).toBe(value);
    const failure = new Error('upstream down');
    await expect(traceAttempt(NO_TRACER, INFO, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(() => NO_TRACER.open(INFO).close({ status: 500, error: failure })).not.toThrow();
  });

  it('in Lambda the tracer is the X-Ray one; a malformed daemon address leaves nowhere to send (the no-op)', async () => {
    const lambda = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000' };
    expect((await upstreamTracer(lambda)).enabled).toBe(true);
    expect(await upstreamTracer({ ...lambda, AWS_XRAY_DAEMON_ADDRESS: 'no-port' })).toBe(NO_TRACER);
  });
});

describe('the X-Ray tracer: one datagram per attempt to the daemon', () => {
  let daemon: FakeXRayDaemon;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    daemon = await startFakeXRayDaemon();
    env = { AWS_XRAY_DAEMON_ADDRESS: daemon.address, _X_AMZN_TRACE_ID: SAMPLED };
  });
  afterEach(() => daemon.close());

  const gatewayError = (code: ErrorCode, message: string) => new GatewayError({ code, message });

  it('an attempt that succeeds: the subsegment under the header trace and parent, annotated, no flags', async () => {
    const before = Date.now() / 1000;
    await expect(traceAttempt(xrayTracer(env), INFO, async () => 'answer')).resolves.toBe('answer');
    const after = Date.now() / 1000;
    const [datagram] = await daemon.receivedCount(1);
    expect(datagram?.header).toEqual({ format: 'json', version: 1 });
    const document = datagram?.document ?? {};
    expect(document).toEqual({
      name: 'upstream openai',
      id: expect.stringMatching(HEX16),
      trace_id: ROOT,
      parent_id: PARENT,
      type: 'subsegment',
      start_time: expect.any(Number),
      end_time: expect.any(Number),
      namespace: 'remote',
      annotations: { ...INFO, status: 200 },
      error: false,
      throttle: false,
      fault: false,
    });
    const { start_time: start, end_time: end } = document as { start_time: number; end_time: number };
    expect(before).toBeLessThanOrEqual(start);
    expect(start).toBeLessThanOrEqual(end);
    expect(end).toBeLessThanOrEqual(after);
  });

  it.each([
    ['upstream_rate_limited', 429, { error: true, throttle: true, fault: false }],
    ['upstream_error', 502, { error: false, throttle: false, fault: true }],
    ['internal_error', 500, { error: false, throttle: false, fault: true }],
    ['upstream_bad_request', 400, { error: true, throttle: false, fault: false }],
  ] as const)(
    'an attempt failing with %s (%i): its flags, the error as a remote cause',
    async (code, status, flags) => {
      const failure = gatewayError(code, `the upstream said no (${code})`);
      await expect(traceAttempt(xrayTracer(env), INFO, () => Promise.reject(failure))).rejects.toBe(failure);
      const [datagram] = await daemon.receivedCount(1);
      expect(datagram?.document).toMatchObject({
        annotations: { ...INFO, status },
        ...flags,
        cause: {
          exceptions: [{ id: expect.stringMatching(HEX16), type: code, message: failure.message, remote: true }],
        },
      });
    },
  );

  it("an error that is not a gateway error: its name only, never its message (it is not the gateway's text)", async () => {
    const failure = new TypeError('fetch failed for https://user:sk-secret@upstream.example');
    await expect(traceAttempt(xrayTracer(env), INFO, () => Promise.reject(failure))).rejects.toBe(failure);
    const [datagram] = await daemon.receivedCount(1);
    expect(JSON.stringify(datagram?.document)).not.toContain('sk-secret');
    expect(datagram?.document).toMatchObject({
      annotations: { status: 502 },
      fault: true,
      cause: { exceptions: [{ type: 'TypeError', remote: true }] },
    });
  });

  it.each([
    ['not sampled', `Root=${ROOT};Parent=${PARENT};Sampled=0`],
    ['no sampling decision', `Root=${ROOT};Parent=${PARENT}`],
    ['no trace header', undefined],
    ['a malformed Root', `Root=1-xyz;Parent=${PARENT};Sampled=1`],
  ])('%s: nothing is sent', async (_case, header) => {
    const unsampled = { ...env, _X_AMZN_TRACE_ID: header };
    await traceAttempt(xrayTracer(unsampled), INFO, async () => 'quiet');
    await traceAttempt(xrayTracer(env), { ...INFO, attempt: 2 }, async () => 'marker');
    await daemon.receivedCount(1);
    expect(daemon.received.map(({ document }) => document.annotations)).toEqual([{ ...INFO, attempt: 2, status: 200 }]);
  });

  it('the trace header is read per attempt (per invocation); a span closed twice is sent once', async () => {
    const tracer = xrayTracer(env);
    const first = tracer.open(INFO);
    first.close({ status: 200 });
    first.close({ status: 502, error: new Error('late') });
    env._X_AMZN_TRACE_ID = `Root=1-5759e988-00000000000000000000000b;Parent=00000000000000bb;Sampled=1`;
    tracer.open({ ...INFO, attempt: 2 }).close({ status: 200 });
    const received = await daemon.receivedCount(2);
    expect(received.map(({ document }) => [document.trace_id, document.parent_id, document.annotations])).toEqual([
      [ROOT, PARENT, { ...INFO, status: 200 }],
      ['1-5759e988-00000000000000000000000b', '00000000000000bb', { ...INFO, attempt: 2, status: 200 }],
    ]);
    expect(received[0]?.document.id).not.toBe(received[1]?.document.id);
  });

  it("the Lambda runtime's InvokeStore header, where it has one, wins over _X_AMZN_TRACE_ID", async () => {
    const holder = globalThis as { awslambda?: object | undefined };
    const saved = holder.awslambda;
    const parent = '00000000000000cc';
    holder.awslambda = {
      ...saved,
      InvokeStore: { getXRayTraceId: () => `Root=${ROOT};Parent=${parent};Sampled=1` },
    };
    try {
      xrayTracer(env).open(INFO).close({ status: 200 });
    } finally {
      holder.awslambda = saved;
    }
    const [datagram] = await daemon.receivedCount(1);
    expect(datagram?.document.parent_id).toBe(parent);
  });

  it('an InvokeStore that fails (no invocation context): the environment header, and the attempt is untouched', async () => {
    const holder = globalThis as { awslambda?: object | undefined };
    const saved = holder.awslambda;
    const broken = () => {
      throw new Error('no context');
    };
    holder.awslambda = { ...saved, InvokeStore: { getXRayTraceId: broken } };
    try {
      await expect(traceAttempt(xrayTracer(env), INFO, async () => 'ok')).resolves.toBe('ok');
    } finally {
      holder.awslambda = saved;
    }
    const [datagram] = await daemon.receivedCount(1);
    expect(datagram?.document.parent_id).toBe(PARENT);
  });

  it('a daemon that cannot be reached never touches the attempt; later subsegments still go out', async () => {
    const nowhere = { ...env, AWS_XRAY_DAEMON_ADDRESS: 'no-such-daemon.invalid:2000' };
    await expect(traceAttempt(xrayTracer(nowhere), INFO, async () => 'still fine')).resolves.toBe('still fine');
    await expect(traceAttempt(xrayTracer(nowhere), INFO, () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    void traceAttempt(xrayTracer(env), { ...INFO, attempt: 3 }, async () => 'sent');
    const [datagram] = await daemon.receivedCount(1);
    expect(datagram?.document.annotations).toMatchObject({ attempt: 3 });
  });
});

describe('through the local gateway: one subsegment per upstream attempt', () => {
  const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-trace' }), undefined, {
    models: {
      target: {
        targets: [{ provider: 'upstream', model: 'openai-upstream-model' }],
        retry: { attempts: 2, baseDelayMs: 0, maxDelayMs: 0 },
      },
    },
  });
  let daemon: FakeXRayDaemon;
  beforeEach(async () => {
    daemon = await startFakeXRayDaemon();
    setUpstreamTracer(xrayTracer({ AWS_XRAY_DAEMON_ADDRESS: daemon.address, _X_AMZN_TRACE_ID: SAMPLED }));
  });
  afterEach(() => daemon.close());
  afterAll(() => setUpstreamTracer(undefined));
  const ask = { model: 'target', messages: [{ role: 'user' as const, content: 'hi' }] };
  const attempt = { alias: 'target', provider: 'upstream', model: 'openai-upstream-model', stream: false };
  const flagsOf = (document: Record<string, unknown>) => [document.error, document.throttle, document.fault];

  it('a failed attempt and its retry: two subsegments, the failure flagged as a fault with its cause', async () => {
    fixture.fake.enqueue(reply.serverError(500), reply.text('second time lucky'));
    await fixture.client.chat.completions.create(ask);
    const [failed, retried] = (await daemon.receivedCount(2)).map(({ document }) => document);
    expect(failed).toMatchObject({
      name: 'upstream upstream',
      trace_id: ROOT,
      parent_id: PARENT,
      annotations: { ...attempt, attempt: 1, status: 502 },
      cause: { exceptions: [{ type: 'upstream_error', remote: true }] },
    });
    expect(flagsOf(failed ?? {})).toEqual([false, false, true]);
    expect(retried).toMatchObject({ annotations: { ...attempt, attempt: 2, status: 200 } });
    expect(retried).not.toHaveProperty('cause');
    expect(flagsOf(retried ?? {})).toEqual([false, false, false]);
  });

  it('every attempt failing: each sent, 429 flagged as throttle (and error), then the fault', async () => {
    fixture.fake.enqueue(reply.rateLimit(0), reply.serverError(503));
    expect((await apiFailure(fixture.client.chat.completions.create(ask))).status).toBe(502);
    const documents = (await daemon.receivedCount(2)).map(({ document }) => document);
    expect(documents.map((d) => [(d.annotations as { attempt: number }).attempt, ...flagsOf(d)])).toEqual([
      [1, true, true, false],
      [2, false, false, true],
    ]);
  });

  it('a stream: its attempt is sent when the stream is committed (first content)', async () => {
    fixture.fake.enqueue(reply.stream(textChunks('streamed answer', { parts: 3 })));
    const stream = await fixture.client.chat.completions.create({ ...ask, stream: true });
    for await (const _chunk of stream);
    const [datagram] = await daemon.receivedCount(1);
    expect(datagram?.document.annotations).toEqual({ ...attempt, attempt: 1, stream: true, status: 200 });
    expect(daemon.received).toHaveLength(1);
  });
});

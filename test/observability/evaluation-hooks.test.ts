import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  evaluationEvent,
  type CompletedRequest,
  type EvaluationEvent,
} from '../../lambdas/observability/evaluation/evaluation-event.js';
import { sampled, sendEvaluation } from '../../lambdas/observability/evaluation/evaluation-hook.js';
import {
  EventBridgeSink,
  JsonlFileSink,
  MAX_DETAIL_BYTES,
  sinkFromEnvironment,
  type EvaluationSink,
} from '../../lambdas/observability/evaluation/evaluation-sinks.js';
import type { RequestLog } from '../../lambdas/core/request-log.js';
import { readJsonBody } from '../fakes/read-body.js';
import { captureEmf } from './emf-capture.js';
import { tempDir } from '../helpers/tmp.js';

// The evaluation hook's parts: sampling, the bound on a failing or slow sink (logged, HookFailures), the EventBridge
// sink on the wire (a local server speaking EventBridge's JSON protocol), the JSONL file, the choice of sink.

const done: CompletedRequest & { ledgerId: string } = {
  ledgerId: 'req_AAAAAAAAAAAAAAAA1',
  requestId: 'client-req-1',
  createdAt: '2026-11-20T10:00:00.000Z',
  tenant: 'acme',
  keyId: 'key_0123456789abcdef',
  plan: 'pro',
  alias: 'fast',
  provider: 'openai',
  model: 'gpt-4o-mini',
  status: 200,
  stream: false,
  streamError: false,
  latencyMs: 123.4567,
  timeToFirstTokenMs: undefined,
  usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 40, cacheWriteTokens: 0 },
  estimated: false,
  costMicros: 1200,
  attempts: 1,
  fallbacks: 0,
  policy: ['pii.redact=email:1'],
};
const event: EvaluationEvent = evaluationEvent(done, undefined, new Date('2026-11-20T10:00:01.000Z'));

function recordingLog(): RequestLog & { readonly warnings: { message: string; attributes: unknown }[] } {
  const warnings: { message: string; attributes: unknown }[] = [];
  const ignore = (): void => undefined;
  return {
    warnings,
    debug: ignore,
    info: ignore,
    error: ignore,
    line: ignore,
    warn: (message, attributes) => void warnings.push({ message, attributes }),
  };
}

describe('sampling', () => {
  it('0 never, 1 always, otherwise the fraction', () => {
    expect([0, 0.5, 0.999999].map((r) => sampled(0, () => r))).toEqual([false, false, false]);
    expect([0, 0.5, 0.999999].map((r) => sampled(1, () => r))).toEqual([true, true, true]);
    expect([0.24, 0.25, 0.9].map((r) => sampled(0.25, () => r))).toEqual([true, false, false]);
  });
});

describe('the event', () => {
  it('carries the ledger id, the client request id, usage, cost and policy decisions; text only when given', () => {
    expect(event).toEqual({
      source: 'llm-gateway',
      'detail-type': 'chat.request.completed',
      time: '2026-11-20T10:00:01.000Z',
      detail: {
        version: 1,
        id: 'req_AAAAAAAAAAAAAAAA1',
        request_id: 'client-req-1',
        created_at: '2026-11-20T10:00:00.000Z',
        tenant: 'acme',
        key_id: 'key_0123456789abcdef',
        plan: 'pro',
        model: 'fast',
        provider: 'openai',
        provider_model: 'gpt-4o-mini',
        status: 200,
        stream: false,
        stream_error: false,
        latency_ms: 123.457,
        time_to_first_token_ms: null,
        usage: { input_tokens: 100, output_tokens: 20, cached_tokens: 40, cache_write_tokens: 0, estimated: false },
        cost_micros: 1200,
        cost_usd: 0.0012,
        attempts: 1,
        fallbacks: 0,
        policy: ['pii.redact=email:1'],
      },
    });
    const withText = evaluationEvent(done, {
      prompt: [{ role: 'user', path: 'messages[0].content', text: 'hi' }],
      answer: { text: 'hello', tool_calls: [] },
    });
    expect(withText.detail).toMatchObject({ prompt: [{ role: 'user', text: 'hi' }], answer: { text: 'hello' } });
  });
});

describe('a failing hook never fails or holds up the request beyond its bound', () => {
  let emf: ReturnType<typeof captureEmf>;
  beforeEach(() => (emf = captureEmf()));
  afterEach(() => emf.stop());
  const hookFailures = () => emf.documents.filter((d) => 'HookFailures' in d);

  it('a sink that never answers: resolved after timeoutMs, the send aborted, logged and counted', async () => {
    let aborted = false;
    const stuck: EvaluationSink = {
      kind: 'stuck',
      send: (_event, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    };
    const log = recordingLog();
    const started = performance.now();
    await sendEvaluation(event, { timeoutMs: 50 }, log, stuck);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(1000);
    expect(aborted).toBe(true);
    expect(log.warnings).toEqual([
      {
        message: 'evaluation hook failed',
        attributes: expect.objectContaining({ hook: 'stuck', error: 'timed out after 50 ms' }),
      },
    ]);
    expect(hookFailures()).toEqual([expect.objectContaining({ HookFailures: 1, Hook: 'evaluation' })]);
  });

  it('a sink that throws (synchronously or not): logged and counted, nothing thrown', async () => {
    const log = recordingLog();
    await sendEvaluation(event, { timeoutMs: 1000 }, log, {
      kind: 'broken',
      send: () => Promise.reject(new Error('bus gone')),
    });
    await sendEvaluation(event, { timeoutMs: 1000 }, log, {
      kind: 'broken',
      send: () => {
        throw new Error('no client');
      },
    });
    expect(log.warnings.map((w) => (w.attributes as { error: string }).error)).toEqual(['bus gone', 'no client']);
    expect(hookFailures()).toHaveLength(2);
  });

  it('a sink that answers in time: nothing logged or counted', async () => {
    const log = recordingLog();
    await sendEvaluation(event, { timeoutMs: 1000 }, log, { kind: 'ok', send: async () => undefined });
    expect(log.warnings).toEqual([]);
    expect(hookFailures()).toEqual([]);
  });
});

describe('EventBridge sink, against a local server speaking the EventBridge JSON protocol', () => {
  const received: { headers: IncomingHttpHeaders; body: unknown }[] = [];
  let answer: object = { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] };
  const server = createServer((req, res) => {
    void readJsonBody(req).then((body) => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
    });
  });
  let client: EventBridgeClient;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new EventBridgeClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (received.length = 0));

  it('one PutEvents entry on the named bus: source, detail-type, the detail as JSON', async () => {
    await new EventBridgeSink(client, 'gateway-evaluation').send(event, new AbortController().signal);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    const entry = (received[0]?.body as { Entries: Record<string, unknown>[] }).Entries[0];
    expect(entry).toMatchObject({
      EventBusName: 'gateway-evaluation',
      Source: 'llm-gateway',
      DetailType: 'chat.request.completed',
    });
    expect(JSON.parse(String(entry?.Detail))).toEqual(event.detail);
  });

  it('a refused entry (FailedEntryCount) is a failure', async () => {
    answer = { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] };
    await expect(new EventBridgeSink(client, 'bus').send(event, new AbortController().signal)).rejects.toThrow(
      'InternalFailure try again',
    );
    answer = { FailedEntryCount: 0, Entries: [{ EventId: 'e-2' }] };
  });

  it('text too large for an entry is left out, the rest of the event kept', async () => {
    const big = evaluationEvent(done, {
      prompt: [{ role: 'user', path: 'messages[0].content', text: 'x'.repeat(MAX_DETAIL_BYTES) }],
      answer: null,
    });
    await new EventBridgeSink(client, 'bus').send(big, new AbortController().signal);
    const detail = JSON.parse(
      String((received[0]?.body as { Entries: { Detail: string }[] }).Entries[0]?.Detail),
    ) as Record<string, unknown>;
    expect(detail).toMatchObject({ id: done.ledgerId, text_omitted: 'too_large' });
    expect(detail.prompt).toBeUndefined();
  });
});

describe('JSONL file sink and the choice of sink', () => {
  it('appends one line per event, whole lines under concurrency', async () => {
    const dir = tempDir('eval-jsonl');
    try {
      const sink = new JsonlFileSink(join(dir.path, 'nested', 'events.jsonl'));
      const signal = new AbortController().signal;
      await Promise.all(Array.from({ length: 20 }, () => sink.send(event, signal)));
      const lines = readFileSync(sink.path, 'utf8').trimEnd().split('\n');
      expect(lines).toHaveLength(20);
      for (const line of lines) expect(JSON.parse(line)).toEqual(event);
    } finally {
      dir.remove();
    }
  });

  it('the bus in AWS, nothing in a Lambda without one, else the file (default in the data directory)', () => {
    expect(sinkFromEnvironment({ EVALUATION_BUS_NAME: 'bus' })?.kind).toBe('eventbridge');
    expect(sinkFromEnvironment({ AWS_LAMBDA_FUNCTION_NAME: 'chat' })).toBeUndefined();
    expect((sinkFromEnvironment({ GATEWAY_DATA_DIR: '/data/gw' }) as JsonlFileSink).path).toBe(
      '/data/gw/evaluation-events.jsonl',
    );
    expect(
      (
        sinkFromEnvironment({
          GATEWAY_DATA_DIR: '/data/gw',
          GATEWAY_EVALUATION_FILE: '/logs/eval.jsonl',
        }) as JsonlFileSink
      ).path,
    ).toBe('/logs/eval.jsonl');
  });
});

import { countMetric } from '../../lambdas/observability/emf-metrics.js';
import { NO_PROVIDER, publishRequestMetrics, type RequestMetricsRecord } from '../../lambdas/observability/request-metrics.js';
import { captureEmf, type EmfCapture, type EmfDocument } from './emf-capture.js';
import { spyOnWarnings, type WarnSpy } from './warn-spy.js';

/** A served, non-streaming request: gpt-4o-mini usage from test/usage/cost.test.ts, 1,200 µ$ = $0.0012. */
const served: RequestMetricsRecord = {
  model: 'fast',
  provider: 'openai',
  plan: 'pro',
  tenant: 'tenant-acme',
  keyId: 'key-0123',
  requestId: 'req-served',
  status: 200,
  latencyMs: 850,
  usage: { inputTokens: 10_000, outputTokens: 500, cachedInputTokens: 8_000, cacheWriteTokens: 0 },
  costMicros: 1_200,
  estimated: false,
  fallbacks: 1,
  attempts: 2,
};

/** Rejected before any upstream (here: rate limited): no provider, no usage, no cost. */
const rejected: RequestMetricsRecord = {
  model: 'fast',
  provider: NO_PROVIDER,
  plan: 'free',
  tenant: 'tenant-tiny',
  keyId: 'key-0456',
  requestId: 'req-rejected',
  status: 429,
  latencyMs: 4,
  estimated: false,
  fallbacks: 0,
  attempts: 0,
};

const DIMENSIONS = [['service', 'Model', 'Provider', 'Plan']];
const count = (Name: string) => ({ Name, Unit: 'Count' });
const millis = (Name: string) => ({ Name, Unit: 'Milliseconds' });
const TOKEN_METRICS = ['InputTokens', 'OutputTokens', 'CachedTokens', 'CacheWriteTokens'];

function only(capture: EmfCapture): EmfDocument {
  expect(capture.documents).toHaveLength(1);
  const [document] = capture.documents;
  if (document === undefined) throw new Error('no EMF document');
  return document;
}

function metricNames(document: EmfDocument): string[] {
  return document._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => metric.Name));
}

let capture: EmfCapture;
let warnings: WarnSpy;
beforeEach(() => {
  capture = captureEmf();
  warnings = spyOnWarnings();
});
afterEach(() => {
  warnings.stop();
  capture.stop();
});

describe('publishRequestMetrics: the EMF document', () => {
  it('a served request: exactly one document, low-cardinality dimensions, metrics at the top level, ids as metadata', () => {
    const before = Date.now();
    publishRequestMetrics(served);
    const document = only(capture);

    expect(document).toStrictEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'LLMGateway',
            // `service` is Powertools' default dimension (POWERTOOLS_SERVICE_NAME, else the code's 'llm-gateway').
            Dimensions: DIMENSIONS,
            Metrics: [
              count('Requests'),
              count('Errors'),
              count('Fallbacks'),
              millis('Latency'),
              ...TOKEN_METRICS.map(count),
              { Name: 'CostUSD', Unit: 'None' },
            ],
          },
        ],
      },
      service: 'llm-gateway',
      Model: 'fast',
      Provider: 'openai',
      Plan: 'pro',
      tenant: 'tenant-acme',
      keyId: 'key-0123',
      requestId: 'req-served',
      status: '200',
      estimated: 'false',
      attempts: '2',
      Requests: 1,
      Errors: 0,
      Fallbacks: 1,
      Latency: 850,
      InputTokens: 10_000,
      OutputTokens: 500,
      CachedTokens: 8_000,
      CacheWriteTokens: 0,
      CostUSD: 0.0012,
    });
    expect(document._aws.Timestamp).toBeGreaterThanOrEqual(before);
    expect(document._aws.Timestamp).toBeLessThanOrEqual(Date.now());
    expect(warnings.warnings).toEqual([]);
  });

  it('tenant, key and request ids are never dimensions; no metric has a high resolution', () => {
    publishRequestMetrics(served);
    const [directive] = only(capture)._aws.CloudWatchMetrics;
    const dimensionNames = directive?.Dimensions.flat() ?? [];
    for (const id of ['tenant', 'keyId', 'requestId', 'status']) expect(dimensionNames).not.toContain(id);
    for (const metric of directive?.Metrics ?? []) expect(metric.StorageResolution).toBeUndefined();
  });

  it('the namespace and service come from POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME when set', () => {
    capture.stop();
    capture = captureEmf({ POWERTOOLS_METRICS_NAMESPACE: 'Staging/LLMGateway', POWERTOOLS_SERVICE_NAME: 'gateway-staging' });
    publishRequestMetrics(served);
    const document = only(capture);
    expect(document._aws.CloudWatchMetrics[0]?.Namespace).toBe('Staging/LLMGateway');
    expect(document._aws.CloudWatchMetrics[0]?.Dimensions).toEqual(DIMENSIONS);
    expect(document.service).toBe('gateway-staging');
  });

  it('a stream: TimeToFirstToken (Milliseconds) after Latency, estimated usage, its cost', () => {
    publishRequestMetrics({
      ...served,
      model: 'smart',
      provider: 'anthropic',
      requestId: 'req-stream',
      latencyMs: 2_400,
      timeToFirstTokenMs: 120,
      usage: { inputTokens: 32_100, outputTokens: 700, cachedInputTokens: 30_000, cacheWriteTokens: 2_000 },
      costMicros: 9_100,
      estimated: true,
      fallbacks: 0,
      attempts: 1,
    });
    const document = only(capture);
    expect(document._aws.CloudWatchMetrics[0]?.Metrics).toStrictEqual([
      count('Requests'),
      count('Errors'),
      count('Fallbacks'),
      millis('Latency'),
      millis('TimeToFirstToken'),
      ...TOKEN_METRICS.map(count),
      { Name: 'CostUSD', Unit: 'None' },
    ]);
    expect(document).toMatchObject({
      Model: 'smart',
      Provider: 'anthropic',
      Requests: 1,
      Errors: 0,
      Fallbacks: 0,
      Latency: 2_400,
      TimeToFirstToken: 120,
      InputTokens: 32_100,
      OutputTokens: 700,
      CachedTokens: 30_000,
      CacheWriteTokens: 2_000,
      CostUSD: 0.0091,
      estimated: 'true',
      attempts: '1',
      requestId: 'req-stream',
    });
  });

  it('a request without a known cost (no price configured) has tokens but no CostUSD, rather than a false $0', () => {
    publishRequestMetrics({ ...served, costMicros: undefined });
    const document = only(capture);
    expect(metricNames(document)).toEqual(['Requests', 'Errors', 'Fallbacks', 'Latency', ...TOKEN_METRICS]);
    expect(document).not.toHaveProperty('CostUSD');
  });

  it('an empty dimension value becomes "unknown" (Powertools would drop it and change the metric series)', () => {
    publishRequestMetrics({ ...served, plan: '' });
    const document = only(capture);
    expect(document._aws.CloudWatchMetrics[0]?.Dimensions).toEqual(DIMENSIONS);
    expect(document.Plan).toBe('unknown');
  });
});

describe('publishRequestMetrics: Errors', () => {
  it.each([
    ['a 5xx answer', 1, { status: 502 }],
    ['a 504 deadline', 1, { status: 504 }],
    ['a stream that ended with an error after its 200', 1, { status: 200, streamError: true, timeToFirstTokenMs: 90 }],
    ['a 200', 0, { status: 200 }],
    ['a stream that ended cleanly', 0, { status: 200, streamError: false, timeToFirstTokenMs: 90 }],
    ['a client error (4xx)', 0, { status: 400 }],
  ] as const)('%s → Errors %d', (_name, errors, change) => {
    publishRequestMetrics({ ...served, ...change });
    const document = only(capture);
    expect(document.Errors).toBe(errors);
    expect(document.Requests).toBe(1);
    expect(document.status).toBe(String(change.status));
  });
});

describe('publishRequestMetrics: a request without usage', () => {
  it('rejected before upstream: Requests, Errors 0, Fallbacks and Latency; no token metrics, no CostUSD; Provider "none"', () => {
    publishRequestMetrics(rejected);
    const document = only(capture);
    expect(document._aws.CloudWatchMetrics[0]?.Metrics).toStrictEqual([count('Requests'), count('Errors'), count('Fallbacks'), millis('Latency')]);
    expect(document).toMatchObject({ Provider: 'none', Plan: 'free', Requests: 1, Errors: 0, Fallbacks: 0, Latency: 4, status: '429', attempts: '0' });
    for (const name of [...TOKEN_METRICS, 'CostUSD', 'TimeToFirstToken']) expect(document).not.toHaveProperty(name);
  });

  it('every upstream failed (503): Errors 1, still no token metrics', () => {
    publishRequestMetrics({ ...rejected, status: 503, fallbacks: 2, attempts: 3 });
    const document = only(capture);
    expect(metricNames(document)).toEqual(['Requests', 'Errors', 'Fallbacks', 'Latency']);
    expect(document).toMatchObject({ Errors: 1, Fallbacks: 2, attempts: '3' });
  });
});

describe('publishRequestMetrics: concurrency and isolation', () => {
  it('two requests finishing interleaved publish two independent documents', async () => {
    let releaseA = (): void => undefined;
    let releaseB = (): void => undefined;
    const gateA = new Promise<void>((resolve) => (releaseA = resolve));
    const gateB = new Promise<void>((resolve) => (releaseB = resolve));
    const a = (async () => {
      await gateA;
      publishRequestMetrics(served);
    })();
    const b = (async () => {
      await gateB;
      publishRequestMetrics(rejected);
    })();
    releaseB();
    await b;
    releaseA();
    await a;

    expect(capture.documents.map((document) => document.requestId)).toEqual(['req-rejected', 'req-served']);
    const [first, second] = capture.documents;
    expect(first).toMatchObject({ tenant: 'tenant-tiny', Provider: 'none', Plan: 'free', Latency: 4 });
    expect(metricNames(first as EmfDocument)).toEqual(['Requests', 'Errors', 'Fallbacks', 'Latency']);
    expect(second).toMatchObject({ tenant: 'tenant-acme', Provider: 'openai', Plan: 'pro', Latency: 850, CostUSD: 0.0012 });
  });

  it('a request published while another document is being written does not mix with it', () => {
    let nested = false;
    capture.onDocument = () => {
      if (nested) return;
      nested = true;
      publishRequestMetrics(rejected); // runs inside the first document's write
    };
    publishRequestMetrics(served);

    expect(capture.documents).toHaveLength(2);
    const [outer, inner] = capture.documents;
    expect(outer).toMatchObject({ requestId: 'req-served', tenant: 'tenant-acme', Provider: 'openai', InputTokens: 10_000 });
    expect(inner).toMatchObject({ requestId: 'req-rejected', tenant: 'tenant-tiny', Provider: 'none' });
    expect(metricNames(inner as EmfDocument)).toEqual(['Requests', 'Errors', 'Fallbacks', 'Latency']);
    expect(inner).not.toHaveProperty('InputTokens');
  });

  it('a request that fails half-way leaves nothing behind for the next one', () => {
    const broken = { ...served, requestId: 'req-broken' };
    Object.defineProperty(broken, 'usage', {
      get() {
        throw new Error('usage unavailable');
      },
    });
    expect(() => publishRequestMetrics(broken)).not.toThrow();
    expect(capture.documents).toEqual([]);

    publishRequestMetrics(rejected);
    const document = only(capture);
    expect(metricNames(document)).toEqual(['Requests', 'Errors', 'Fallbacks', 'Latency']);
    expect(document).toMatchObject({ requestId: 'req-rejected', Latency: 4 });
  });
});

describe('publishRequestMetrics: never throws into the caller', () => {
  it('a failure is swallowed and logged as a warning', () => {
    const broken = { ...served };
    Object.defineProperty(broken, 'usage', {
      get() {
        throw new Error('usage unavailable');
      },
    });
    expect(() => publishRequestMetrics(broken)).not.toThrow();
    expect(warnings.warnings).toEqual([
      { message: 'request metrics not published', attributes: { requestId: 'req-served', error: 'usage unavailable' } },
    ]);
  });

  it('invalid values (NaN, negative, infinite) are left out with a warning; the rest is published', () => {
    publishRequestMetrics({ ...served, latencyMs: Number.NaN, fallbacks: -1, costMicros: Number.POSITIVE_INFINITY });
    const document = only(capture);
    expect(metricNames(document)).toEqual(['Requests', 'Errors', ...TOKEN_METRICS]);
    expect(warnings.warnings).toEqual([
      { message: 'request metrics: invalid values left out', attributes: { requestId: 'req-served', metrics: ['Fallbacks', 'Latency', 'CostUSD'] } },
    ]);
  });

  it('with POWERTOOLS_METRICS_DISABLED=true nothing is written', () => {
    capture.stop();
    capture = captureEmf({ POWERTOOLS_METRICS_DISABLED: 'true' });
    publishRequestMetrics(served);
    expect(capture.documents).toEqual([]);
    expect(capture.otherLines).toEqual([]);
    expect(warnings.warnings).toEqual([]);
  });
});

describe('countMetric (routing events)', () => {
  it('one document per event, with only the dimensions given (plus service)', () => {
    countMetric('Hedges', { Model: 'fast' });
    countMetric('Retries', { Model: 'smart' }, 2);
    expect(capture.documents).toHaveLength(2);
    expect(capture.documents[0]).toStrictEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [{ Namespace: 'LLMGateway', Dimensions: [['service', 'Model']], Metrics: [count('Hedges')] }],
      },
      service: 'llm-gateway',
      Model: 'fast',
      Hedges: 1,
    });
    expect(capture.documents[1]).toMatchObject({ Model: 'smart', Retries: 2 });
  });

  it('never throws: an invalid metric is logged as a warning', () => {
    expect(() => countMetric('', { Model: 'fast' })).not.toThrow();
    expect(capture.documents).toEqual([]);
    expect(warnings.warnings).toHaveLength(1);
    expect(warnings.warnings[0]?.message).toBe('metric not published');
  });
});

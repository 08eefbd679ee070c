import { publishRequestMetrics } from '../../lambdas/observability/request-metrics.js';
import { captureEmf, type EmfCapture } from './emf-capture.js';
import {
  count,
  DIMENSIONS,
  metricNames,
  millis,
  only,
  rejected,
  served,
  TOKEN_METRICS,
} from './request-metrics-fixtures.js';
import { spyOnWarnings, type WarnSpy } from './warn-spy.js';

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
  it('a served request: exactly one document, low-cardinality dimensions, metrics at the top level, tenant as metadata', () => {
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
              // No CacheWriteTokens: 0 is left out (a Sum is the same).
              ...['InputTokens', 'OutputTokens', 'CachedTokens'].map(count),
              { Name: 'CostUSD', Unit: 'None' },
            ],
          },
        ],
      },
      service: 'llm-gateway',
      Model: 'fast',
      Provider: 'openai',
      Plan: 'pro',
      // The one metadata field: what the finance queries group by (the rest is in the request's log line).
      tenant: 'tenant-acme',
      Requests: 1,
      Errors: 0,
      Fallbacks: 1,
      Latency: 850,
      InputTokens: 10_000,
      OutputTokens: 500,
      CachedTokens: 8_000,
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
    capture = captureEmf({
      POWERTOOLS_METRICS_NAMESPACE: 'Staging/LLMGateway',
      POWERTOOLS_SERVICE_NAME: 'gateway-staging',
    });
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
      Latency: 2_400,
      TimeToFirstToken: 120,
      InputTokens: 32_100,
      OutputTokens: 700,
      CachedTokens: 30_000,
      CacheWriteTokens: 2_000,
      CostUSD: 0.0091,
    });
    for (const name of ['Fallbacks', 'requestId', 'estimated', 'attempts']) expect(document).not.toHaveProperty(name);
  });

  it('a request without a known cost (no price configured) has tokens but no CostUSD, rather than a false $0', () => {
    publishRequestMetrics({ ...served, costMicros: undefined });
    const document = only(capture);
    expect(metricNames(document)).toEqual([
      'Requests',
      'Errors',
      'Fallbacks',
      'Latency',
      'InputTokens',
      'OutputTokens',
      'CachedTokens',
    ]);
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
  });
});

describe('publishRequestMetrics: a request without usage', () => {
  it('rejected before upstream: Requests, Errors 0 and Latency; no Fallbacks (0), token metrics or CostUSD; Provider "none"', () => {
    publishRequestMetrics(rejected);
    const document = only(capture);
    expect(document._aws.CloudWatchMetrics[0]?.Metrics).toStrictEqual([
      count('Requests'),
      count('Errors'),
      millis('Latency'),
    ]);
    expect(document).toMatchObject({
      Provider: 'none',
      Plan: 'free',
      Requests: 1,
      Errors: 0,
      Latency: 4,
    });
    for (const name of [...TOKEN_METRICS, 'CostUSD', 'TimeToFirstToken', 'Fallbacks'])
      expect(document).not.toHaveProperty(name);
  });

  it('every upstream failed (503): Errors 1, still no token metrics', () => {
    publishRequestMetrics({ ...rejected, status: 503, fallbacks: 2, attempts: 3 });
    const document = only(capture);
    expect(metricNames(document)).toEqual(['Requests', 'Errors', 'Fallbacks', 'Latency']);
    expect(document).toMatchObject({ Errors: 1, Fallbacks: 2 });
  });
});

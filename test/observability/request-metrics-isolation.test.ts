import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { countMetric, publishDocument } from '../../lambdas/observability/emf-metrics.js';
import { publishRequestMetrics } from '../../lambdas/observability/request-metrics.js';
import { captureEmf, type EmfCapture, type EmfDocument } from './emf-capture.js';
import { count, metricNames, only, rejected, served } from './request-metrics-fixtures.js';
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

    expect(capture.documents.map((document) => document.tenant)).toEqual(['tenant-tiny', 'tenant-acme']);
    const [first, second] = capture.documents;
    expect(first).toMatchObject({ tenant: 'tenant-tiny', Provider: 'none', Plan: 'free', Latency: 4 });
    expect(metricNames(first as EmfDocument)).toEqual(['Requests', 'Errors', 'Latency']);
    expect(second).toMatchObject({
      tenant: 'tenant-acme',
      Provider: 'openai',
      Plan: 'pro',
      Latency: 850,
      CostUSD: 0.0012,
    });
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
    expect(outer).toMatchObject({
      tenant: 'tenant-acme',
      Provider: 'openai',
      InputTokens: 10_000,
    });
    expect(inner).toMatchObject({ tenant: 'tenant-tiny', Provider: 'none' });
    expect(metricNames(inner as EmfDocument)).toEqual(['Requests', 'Errors', 'Latency']);
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
    expect(metricNames(document)).toEqual(['Requests', 'Errors', 'Latency']);
    expect(document).toMatchObject({ tenant: 'tenant-tiny', Latency: 4 });
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
    // CacheWriteTokens 0 is left out.
    expect(metricNames(document)).toEqual(['Requests', 'Errors', 'InputTokens', 'OutputTokens', 'CachedTokens']);
    expect(warnings.warnings).toEqual([
      {
        message: 'request metrics: invalid values left out',
        attributes: { requestId: 'req-served', metrics: ['Fallbacks', 'Latency', 'CostUSD'] },
      },
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
        CloudWatchMetrics: [
          { Namespace: 'LLMGateway', Dimensions: [['service', 'Model']], Metrics: [count('Hedges')] },
        ],
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

describe('one Metrics instance per process', () => {
  it('a document that failed while being filled leaves nothing for the next one', () => {
    expect(() =>
      publishDocument((metrics) => {
        metrics.addDimension('Model', 'leaked');
        metrics.addMetadata('tenant', 'leaked');
        metrics.addMetric('Leaked', MetricUnit.Count, 1);
        throw new Error('failed while filling');
      }),
    ).toThrow('failed while filling');
    countMetric('Hedges', { Provider: 'openai' });
    expect(capture.documents).toHaveLength(1);
    expect(capture.documents[0]).not.toHaveProperty('Model');
    expect(capture.documents[0]).not.toHaveProperty('tenant');
    expect(capture.documents[0]).not.toHaveProperty('Leaked');
    expect(capture.documents[0]).toMatchObject({ Provider: 'openai', Hedges: 1 });
  });
});

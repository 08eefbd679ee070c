import { NO_PROVIDER, type RequestMetricsRecord } from '../../lambdas/observability/request-metrics.js';
import type { EmfCapture, EmfDocument } from './emf-capture.js';

/** A served, non-streaming request: gpt-4o-mini usage from test/usage/cost.test.ts, 1,200 µ$ = $0.0012. */
export const served: RequestMetricsRecord = {
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
export const rejected: RequestMetricsRecord = {
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

export const DIMENSIONS = [['service', 'Model', 'Provider', 'Plan']];
export const count = (Name: string) => ({ Name, Unit: 'Count' });
export const millis = (Name: string) => ({ Name, Unit: 'Milliseconds' });
export const TOKEN_METRICS = ['InputTokens', 'OutputTokens', 'CachedTokens', 'CacheWriteTokens'];

export function only(capture: EmfCapture): EmfDocument {
  expect(capture.documents).toHaveLength(1);
  const [document] = capture.documents;
  if (document === undefined) throw new Error('no EMF document');
  return document;
}

export function metricNames(document: EmfDocument): string[] {
  return document._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => metric.Name));
}

/** Latency figures of one scenario, in milliseconds. */
export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of sorted values. */
function rank(sorted: Float64Array, p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function percentiles(values: readonly number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: rank(sorted, 50),
    p90: rank(sorted, 90),
    p99: rank(sorted, 99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sum / sorted.length,
  };
}

/** Per-percentile difference `of - base` (the latency a gateway adds over going direct). */
export function added(
  of: Percentiles | undefined,
  base: Percentiles | undefined,
): Pick<Percentiles, 'p50' | 'p90' | 'p99'> | undefined {
  if (of === undefined || base === undefined) return undefined;
  return { p50: of.p50 - base.p50, p90: of.p90 - base.p90, p99: of.p99 - base.p99 };
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Nanoseconds between two hrtime.bigint() readings, as milliseconds. */
export const msBetween = (from: bigint, to: bigint): number => Number(to - from) / 1e6;

/** The nearest-rank percentile `p` of unsorted values; undefined when there are none. */
export function percentileOf(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  return rank(Float64Array.from(values).sort(), p);
}

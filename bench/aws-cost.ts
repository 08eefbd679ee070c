import { AWS_PRICES, LAMBDA_PLATFORM_LOG_BYTES } from './aws-prices.js';

/** What one request costs in the run's own measurements (the gateway, AWS mode). */
export interface CostInputs {
  /** CPU time per request on a full core, ms. */
  readonly cpuMsPerRequest: number;
  /** Wall time the gateway adds to a JSON request over going direct (p50), ms, store delay included. */
  readonly addedMs: number;
  /** Store time after the client's last byte that the function still waits for (billed, not seen by the client). */
  readonly afterEndMs: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  /** The function's own log bytes per request (Lambda's START/END/REPORT lines are added here). */
  readonly logBytes: number;
  readonly peakRssMiB: number;
}

/** One line of the cost table: dollars per million requests. */
export interface CostLine {
  readonly upstreamS: number;
  readonly memoryMb: number;
  /** Billed duration per request, ms. */
  readonly durationMs: number;
  readonly lambda: number;
  readonly apiGateway: number;
  readonly dynamo: number;
  readonly logs: number;
  readonly total: number;
}

/** Headroom over the measured peak RSS: V8 grows its heap with the allocation rate, and the answer sizes vary. */
export const MEMORY_HEADROOM = 1.5;

/** The smallest memory size (64 MB steps, at least 128) that holds the peak RSS with the headroom. */
export const memoryForRss = (peakRssMiB: number): number =>
  Math.max(128, Math.ceil((peakRssMiB * MEMORY_HEADROOM * 1.048576) / 64) * 64);

/**
 * Billed duration per request at `memoryMb`: the upstream's time, the gateway's added wall time, its CPU stretched by
 * the share of a vCPU Lambda gives at that memory (1 vCPU at 1,769 MB; the bench measured it on a full core), and the
 * store time after the end.
 */
export function durationMs(inputs: CostInputs, upstreamS: number, memoryMb: number): number {
  const stretch = Math.max(1, AWS_PRICES.lambdaMbPerVcpu / memoryMb);
  const waiting = Math.max(0, inputs.addedMs - inputs.cpuMsPerRequest);
  return Math.ceil(upstreamS * 1000 + waiting + inputs.cpuMsPerRequest * stretch + inputs.afterEndMs);
}

export function costPerMillion(inputs: CostInputs, upstreamS: number, memoryMb: number): CostLine {
  const billed = durationMs(inputs, upstreamS, memoryMb);
  const million = 1e6;
  const lambda =
    million * ((memoryMb / 1024) * (billed / 1000) * AWS_PRICES.lambdaArmPerGbSecond + AWS_PRICES.lambdaPerRequest);
  const apiGateway = million * AWS_PRICES.apiGatewayRestPerRequest;
  const dynamo =
    million * (inputs.writeUnits * AWS_PRICES.dynamoPerWriteUnit + inputs.readUnits * AWS_PRICES.dynamoPerReadUnit);
  const logs = ((million * (inputs.logBytes + LAMBDA_PLATFORM_LOG_BYTES)) / 2 ** 30) * AWS_PRICES.logsPerGbIngested;
  return {
    upstreamS,
    memoryMb,
    durationMs: billed,
    lambda,
    apiGateway,
    dynamo,
    logs,
    total: lambda + apiGateway + dynamo + logs,
  };
}

/** The upstream times of the table, seconds. */
export const UPSTREAM_SECONDS = [0.5, 2, 20] as const;

export interface CostReport {
  readonly configuredMemoryMb: number;
  /** The cheapest memory that holds the measured peak RSS with the headroom (below 1,769 MB cost only grows with it). */
  readonly measuredMemoryMb: number;
  readonly inputs: CostInputs;
  readonly lines: readonly CostLine[];
}

export function costReport(inputs: CostInputs, configuredMemoryMb: number): CostReport {
  const measuredMemoryMb = memoryForRss(inputs.peakRssMiB);
  const memories = [...new Set([configuredMemoryMb, measuredMemoryMb])];
  return {
    configuredMemoryMb,
    measuredMemoryMb,
    inputs,
    lines: UPSTREAM_SECONDS.flatMap((upstreamS) =>
      memories.map((memoryMb) => costPerMillion(inputs, upstreamS, memoryMb)),
    ),
  };
}

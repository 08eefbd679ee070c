import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchSettings } from './args.js';
import { keepAliveAgent, type Target } from './client.js';
import { startBenchGateway, type BenchGateway } from './gateway.js';
import { failedScenario, measureScenario, withAdded, withStoreCalls, type ScenarioResult } from './scenario.js';
import { startUpstream, type Upstream } from './upstream.js';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly loadAverage1m: number;
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: Machine;
  readonly settings: Omit<BenchSettings, 'jsonOnly'>;
  readonly scenarios: readonly ScenarioResult[];
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Upstream and gateway as child processes, then per mode (JSON, stream): direct to the fake, and through the
 * gateway. A gateway that cannot start or answer turns its rows into failures with the reason; the processes are
 * stopped whatever happens.
 */
export async function runBench(settings: BenchSettings, progress: (line: string) => void): Promise<BenchReport> {
  const date = new Date().toISOString();
  const host = machine();
  let upstream: Upstream | undefined;
  let gateway: BenchGateway | undefined;
  let gatewayProblem: string | undefined;
  const directAgent = keepAliveAgent(settings.concurrency);
  const gatewayAgent = keepAliveAgent(settings.concurrency);
  try {
    progress(`starting the fake upstream (latency ${settings.upstreamLatencyMs} ms)`);
    upstream = await startUpstream(settings.upstreamLatencyMs);
    progress('starting the gateway (bin/local.ts)');
    try {
      gateway = await startBenchGateway(upstream);
    } catch (err) {
      gatewayProblem = `the gateway did not start: ${errorText(err)}`;
      progress(gatewayProblem);
    }
    const direct: Target = {
      url: new URL(`${upstream.url}/chat/completions`),
      authorization: `Bearer ${upstream.apiKey}`,
      agent: directAgent,
    };
    const scenarios: ScenarioResult[] = [];
    for (const stream of [false, true]) {
      progress(`direct ${stream ? 'stream' : 'json'}: ${settings.concurrency} clients`);
      const directRow = await measureScenario('direct', stream, direct, settings);
      scenarios.push(directRow);
      if (gateway === undefined) {
        scenarios.push(failedScenario('gateway', stream, gatewayProblem ?? 'no gateway'));
        continue;
      }
      progress(`gateway ${stream ? 'stream' : 'json'}: ${settings.concurrency} clients`);
      const through: Target = {
        url: new URL(`${gateway.url}/v1/chat/completions`),
        authorization: `Bearer ${gateway.key}`,
        agent: gatewayAgent,
      };
      const before = await gateway.storeCalls();
      const row = await measureScenario('gateway', stream, through, settings);
      scenarios.push(withStoreCalls(withAdded(row, directRow), before, await gateway.storeCalls()));
    }
    const { jsonOnly: _jsonOnly, ...measured } = settings;
    return { date, machine: host, settings: measured, scenarios };
  } finally {
    directAgent.destroy();
    gatewayAgent.destroy();
    await gateway?.stop().catch(() => undefined);
    await upstream?.handle.stop().catch(() => undefined);
  }
}

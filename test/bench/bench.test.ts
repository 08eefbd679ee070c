import { parseBenchArgs, UsageError } from '../../bench/args.js';
import { fullGcs, heapFloors } from '../../bench/gc-trace.js';
import { formatSoakTable } from '../../bench/soak.js';
import type { Sample } from '../../bench/client.js';
import { dueAtNs, plannedRequests, runRate } from '../../bench/load.js';
import { alignTable } from '../../bench/align-table.js';
import { formatLoadTable, toJson } from '../../bench/report.js';
import type { BenchReport } from '../../bench/run.js';
import { failedRow, lastErrorLine, withAdded, type RowResult } from '../../bench/scenario.js';
import { added, percentiles } from '../../bench/stats.js';

// The benchmark's pure pieces; nothing here is timed.

describe('percentiles', () => {
  it('takes the nearest rank of the sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted
    expect(percentiles(values)).toEqual({ p50: 50, p90: 90, p99: 99, min: 1, max: 100, mean: 50.5 });
  });

  it('keeps sub-millisecond values as they are', () => {
    expect(percentiles([0.123, 0.456, 0.789])?.p50).toBe(0.456);
  });

  it('has nothing to say about no values', () => {
    expect(percentiles([])).toBeUndefined();
  });

  it('subtracts per percentile for the added latency', () => {
    const through = percentiles([1.5, 2.5, 3.5]);
    const direct = percentiles([1, 2, 3]);
    expect(added(through, direct)).toEqual({ p50: 0.5, p90: 0.5, p99: 0.5 });
    expect(added(through, undefined)).toBeUndefined();
  });
});

describe('the fixed-rate schedule', () => {
  it('spaces requests evenly from the start', () => {
    expect([0, 1, 2, 500].map((i) => dueAtNs(i, 1000))).toEqual([0n, 1_000_000n, 2_000_000n, 500_000_000n]);
    expect(dueAtNs(3, 3)).toBe(1_000_000_000n);
  });

  it('plans rate × duration requests, at least one', () => {
    expect(plannedRequests(500, 5000)).toBe(2500);
    expect(plannedRequests(100, 1)).toBe(1);
  });

  it('accounts for every planned request: answered, failed, or not sent because of the in-flight cap', async () => {
    let sent = 0;
    const slow = (): Promise<Sample> => {
      sent++;
      return new Promise((resolve) => setTimeout(() => resolve({ ok: true, latencyMs: 5 }), 20));
    };
    const run = await runRate(slow, { perSecond: 1000, durationMs: 30, maxInFlight: 2 });
    expect(run.latenciesMs.length + run.errors).toBe(30);
    expect(run.notSent).toBe(30 - sent);
    expect(run.notSent).toBeGreaterThan(0);
    expect(run.errorKinds.get('not sent: 2 requests already in flight')).toBe(run.notSent);
    expect(run.sendLagsMs).toHaveLength(sent);
  });

  it('counts timeouts among the errors', async () => {
    const timedOut = async (): Promise<Sample> => ({
      ok: false,
      error: 'timeout: no complete answer within 1 s',
      timedOut: true,
    });
    const run = await runRate(timedOut, { perSecond: 1000, durationMs: 3, maxInFlight: 10 });
    expect(run).toMatchObject({ errors: 3, timeouts: 3, notSent: 0 });
  });
});

describe('bench arguments', () => {
  it('runs the whole comparison by default', () => {
    const settings = parseBenchArgs([]);
    expect(settings).toMatchObject({
      targets: ['direct', 'passthrough', 'sdk-floor', 'gateway', 'gateway-cache', 'portkey'],
      modes: ['json', 'stream'],
      loads: [
        { kind: 'concurrency', clients: 50 },
        { kind: 'rate', perSecond: 100 },
        { kind: 'rate', perSecond: 500 },
        { kind: 'rate', perSecond: 1000 },
      ],
      upstreamLatencyMs: 0,
      load: true,
      coldStart: true,
    });
  });

  it('always keeps direct as the baseline, in the fixed order', () => {
    expect(parseBenchArgs(['--targets', 'portkey,gateway'])?.targets).toEqual(['direct', 'gateway', 'portkey']);
  });

  it('picks loads, modes and the upstream latency', () => {
    const settings = parseBenchArgs(['--concurrency', '0', '--rates', '250', '--modes', 'stream', '--latency', '50']);
    expect(settings).toMatchObject({
      loads: [{ kind: 'rate', perSecond: 250 }],
      modes: ['stream'],
      upstreamLatencyMs: 50,
    });
    expect(parseBenchArgs(['--cold-start'])).toMatchObject({ load: false, coldStart: true });
    expect(parseBenchArgs(['--no-cold-start'])).toMatchObject({ load: true, coldStart: false });
  });

  it('a soak runs alone, at the first rate given (500/s by default)', () => {
    expect(parseBenchArgs(['--soak', '300'])).toMatchObject({ soakS: 300, load: false, coldStart: false });
    expect(parseBenchArgs(['--soak', '300'])?.loads.filter((load) => load.kind === 'rate')).toEqual([
      { kind: 'rate', perSecond: 500 },
    ]);
    expect(parseBenchArgs(['--soak', '60', '--rates', '200', '--modes', 'stream'])).toMatchObject({
      soakS: 60,
      loads: expect.arrayContaining([{ kind: 'rate', perSecond: 200 }]) as unknown,
      modes: ['stream'],
    });
    expect(parseBenchArgs([])?.soakS).toBeUndefined();
  });

  it.each([
    [['--targets', 'nginx']],
    [['--rates', 'fast']],
    [['--concurrency', '0', '--rates', 'none']],
    [['--cold-start', '--no-cold-start']],
    [['--duration', '0']],
    [['--soak', '0']],
    [['--soak', '60', '--cold-start']],
    [['--soak', '60', '--rates', 'none']],
  ])('refuses %j', (argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(UsageError);
  });
});

const row = (over: Partial<RowResult>): RowResult => ({
  name: 'x',
  target: 'direct',
  mode: 'json',
  load: { kind: 'rate', perSecond: 500 },
  requests: 2500,
  errors: 0,
  timeouts: 0,
  throughputRps: 500,
  errorKinds: [],
  ...over,
});

describe('bench report', () => {
  it('aligns a table: chosen columns to the left, the others to the right', () => {
    expect(
      alignTable(
        ['name', 'n'],
        [
          ['ab', '1'],
          ['c', '100'],
        ],
      ),
    ).toEqual(['name    n', '----  ---', 'ab      1', 'c     100']);
  });

  it('adds the latency over the direct row of the same mode and load', () => {
    const direct = row({ latencyMs: { p50: 1, p90: 2, p99: 3, min: 0.5, max: 4, mean: 1.5 } });
    const through = withAdded(
      row({ target: 'gateway', latencyMs: { p50: 1.25, p90: 2.5, p99: 5, min: 1, max: 9, mean: 2 } }),
      direct,
    );
    expect(through.addedLatencyMs).toEqual({ p50: 0.25, p90: 0.5, p99: 2 });
  });

  it('prints one line per row, failures with their reason, and the load average', () => {
    const report: Omit<BenchReport, 'coldStart'> = {
      date: '2026-11-27T00:00:00.000Z',
      machine: {
        cpus: 2,
        cpuModel: 'CPU',
        memoryGiB: 24,
        loadAverage: [1.5, 1, 0.5],
        node: 'v22',
        platform: 'linux',
        arch: 'x64',
      },
      loadAverageEnd: [2, 1, 0.5],
      settings: {
        targets: ['direct', 'portkey'],
        modes: ['json'],
        loads: [{ kind: 'rate', perSecond: 500 }],
        durationS: 5,
        requests: undefined,
        warmupS: 1,
        soakS: undefined,
        upstreamLatencyMs: 0,
        timeoutS: 10,
        maxInFlight: 1000,
        load: true,
        coldStart: false,
        initRuns: 10,
        aws: false,
        storeDelayMs: 5,
      },
      rows: [
        row({
          latencyMs: { p50: 0.2, p90: 0.3, p99: 1.5, min: 0.1, max: 3, mean: 0.25 },
          peakRssMiB: 80.4,
          cpuMsPerRequest: 0.1234,
        }),
        failedRow('portkey', 'stream', { kind: 'rate', perSecond: 500 }, 'HTTP 500'),
      ],
      processes: [{ name: 'fake OpenAI upstream', peakRssMiB: 90 }],
    };
    const text = formatLoadTable(report);
    expect(text).toContain('load average 1.5 1 0.5 at the start, 2 1 0.5 at the end');
    expect(text).toMatch(/direct\s+json\s+500\/s\s+500\.0\s+0\s+0\.20\s+0\.30\s+1\.50/);
    expect(text).toMatch(/portkey\s+stream\s+500\/s\s+FAILED/);
    expect(text).toContain('FAILED portkey stream 500/s: HTTP 500');
    expect(JSON.parse(toJson(report)).rows[0].cpuMsPerRequest).toBe(0.123);
  });

  it("finds the last error a target's process logged, without colours or stack lines", () => {
    const output =
      '\u001b[32mReady\u001b[0m\nretry error: first\nsomething else\ntryTargetsRecursively error: immutable TypeError: immutable\n    at appendHeader (undici)\n';
    expect(lastErrorLine(output)).toBe('tryTargetsRecursively error: immutable TypeError: immutable');
    expect(lastErrorLine('all good')).toBeUndefined();
  });
});

describe('bench soak report', () => {
  it('prints each interval and the RSS growth from the first to the last', () => {
    const text = formatSoakTable({
      mode: 'json',
      perSecond: 500,
      durationS: 60,
      intervals: [
        {
          atS: 30,
          requests: 15000,
          errors: 0,
          p50Ms: 1.2,
          p99Ms: 9.5,
          rssMiB: 300,
          anonMiB: 200,
          fileMiB: 100,
          cpuMsPerRequest: 1.1,
        },
        {
          atS: 60,
          requests: 15000,
          errors: 3,
          errorKinds: { 'read ECONNRESET': 2, 'status 502': 1 },
          p50Ms: 1.1,
          p99Ms: 8,
          rssMiB: 302,
          anonMiB: 199,
          fileMiB: 103,
          cpuMsPerRequest: 1.05,
        },
      ],
      rssGrowthMiB: 2,
      anonGrowthMiB: -1,
      peakRssMiB: 310,
      heapFloors: [
        {
          isolate: '0x1',
          fullGcs: 9,
          firstLiveMiB: 48.6,
          lastLiveMiB: 47.9,
          minLiveMiB: 47.5,
          maxLiveMiB: 50.4,
          maxCommittedMiB: 226,
        },
        {
          isolate: '0x7f',
          fullGcs: 7,
          firstLiveMiB: 14.1,
          lastLiveMiB: 14,
          minLiveMiB: 12.7,
          maxLiveMiB: 14.8,
          maxCommittedMiB: 57.8,
        },
      ],
    });
    const lines = text.split('\n');
    expect(lines[0]).toContain('json at 500/s for 60 s');
    expect(lines[3]).toMatch(/^\s*30\s+15000\s+0\s+1\.20\s+9\.50\s+300\s+200\s+100\s+1\.10$/);
    // A rare error is named, not only counted; an interval without errors gets no line.
    expect(lines).toContain('errors until 60 s: read ECONNRESET ×2; status 502 ×1');
    expect(lines.filter((line) => line.startsWith('errors until'))).toHaveLength(1);
    expect(lines).toContain(
      'From the end of the first interval to the end of the last: RSS +2 MiB, anonymous -1 MiB; peak (VmHWM) 310 MiB',
    );
    expect(lines).toContain(
      'gateway thread: alive after each of 9 full GCs 48.6 MiB first, 47.9 last (47.5–50.4); heap up to 226 MiB between them',
    );
    expect(
      lines.some((line) => line.startsWith("thread 2 (the store's): alive after each of 7 full GCs 14.1 MiB first")),
    ).toBe(true);
  });

  it('reads the live heap after each full GC from --trace-gc, per isolate, from a given time', () => {
    const trace = [
      '[101:0x3bf74000]      430 ms: Mark-Compact 20.7 (33.2) -> 16.9 (35.0) MB, pooled: 0 MB, 6.13 / 0.00 ms',
      '[101:0x7ff300001000]   224 ms: Mark-Compact 13.5 (20.3) -> 11.4 (21.6) MB, pooled: 0 MB, 3.59 / 0.00 ms',
      '{"level":"INFO","message":"request completed"}',
      '[101:0x3bf74000]    21000 ms: Scavenge 84.0 (106.0) -> 72.2 (106.7) MB, pooled: 0 MB, 2.05 / 0.01 ms',
      '[101:0x3bf74000]    21298 ms: Mark-Compact 180.0 (212.5) -> 52.0 (193.5) MB, pooled: 0 MB, 7.71 / 0.00 ms',
      '[101:0x7ff300001000] 43000 ms: Mark-Compact (reduce) 33.5 (66.3) -> 14.1 (66.3) MB, pooled: 0 MB',
      '[101:0x3bf74000]    54000 ms: Mark-Compact 191.5 (224.7) -> 50.0 (205.7) MB, pooled: 0 MB, 6.77 / 0.00 ms',
    ].join('\n');
    const gcs = fullGcs(trace);
    expect(gcs).toHaveLength(5);
    expect(heapFloors(gcs, 15_000)).toEqual([
      {
        isolate: '0x3bf74000',
        fullGcs: 2,
        firstLiveMiB: 52,
        lastLiveMiB: 50,
        minLiveMiB: 50,
        maxLiveMiB: 52,
        maxCommittedMiB: 205.7,
      },
      {
        isolate: '0x7ff300001000',
        fullGcs: 1,
        firstLiveMiB: 14.1,
        lastLiveMiB: 14.1,
        minLiveMiB: 14.1,
        maxLiveMiB: 14.1,
        maxCommittedMiB: 66.3,
      },
    ]);
  });
});

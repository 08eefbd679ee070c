import { simulateHotTenant } from '../../bench/hot-tenant-sim.js';
import { formatHotTenant } from '../../bench/hot-tenant.js';

// The one-tenant simulation, scaled down (200 req/s, the partition rate scaled by the same factor as the load: 40
// write units/s) on its injected clock: with the writes sharded (gsi1 and counter shards, quota sub-items, settles in
// the aggregators' own settle items) nothing is throttled or cancelled, on the request path or in the aggregators;
// with everything on one partition (the layout before) the tenant's gsi1 partition and quota item throttle. Either
// way the counters equal the records and the quota holds exactly their usage.
const load = { rate: 200, seconds: 2, upstreamMs: 1_000, streamShards: 4, writeUnitsPerSecond: 40 };
const ledgerPartitions = (counts: Readonly<Record<string, number>>): string[] =>
  Object.keys(counts).filter((p) => p.includes('LEDGER#') || p.includes('USAGE#'));

it('sharded: 0 throttled and 0 cancelled; unsharded: the gsi1 partition and the quota item throttle', async () => {
  const sharded = await simulateHotTenant({ ...load, shards: 16 });
  const unsharded = await simulateHotTenant({ ...load, shards: 1 });
  expect(
    formatHotTenant({
      date: 'd',
      machine: { cpus: 1, cpuModel: 'c', memoryGiB: 1, loadAverage: [0], node: 'v', platform: 'p', arch: 'a' },
      runs: [sharded, unsharded],
    }),
  ).toContain('1 (before)');
  expect(sharded.totals.ok).toBe(true);
  expect(unsharded.totals.ok).toBe(true);
  expect(sharded.totals.records).toBe(sharded.booked);
  expect(unsharded.totals.records).toBe(unsharded.booked);
  expect(sharded.requests).toBe(400);
  expect(ledgerPartitions(sharded.throttledBy)).toEqual([]);
  expect(Object.keys(sharded.conflictsOn).filter((item) => item.includes('USAGE#') || item.includes('AGG#'))).toEqual(
    [],
  );
  expect([sharded.requestPath, sharded.aggregators]).toEqual([
    { throttled: 0, cancelled: 0 },
    { throttled: 0, cancelled: 0 },
  ]);
  expect(sharded.throttledBy).toEqual({});
  expect(sharded.conflictsOn).toEqual({});
  expect(sharded.failed).toBe(0);
  expect(ledgerPartitions(unsharded.throttledBy).length).toBeGreaterThan(0);
  expect(unsharded.requestPath.throttled).toBeGreaterThan(0);
}, 120_000);

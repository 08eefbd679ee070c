/** One full garbage collection (mark-compact) as V8's `--trace-gc` prints it. */
export interface FullGc {
  /** The isolate's address: one per thread (the gateway's, the store's). */
  readonly isolate: string;
  /** Milliseconds since the isolate started. */
  readonly atMs: number;
  /** Heap size after the collection (what is alive), and the memory the heap holds, MiB. */
  readonly liveMiB: number;
  readonly committedMiB: number;
}

// [pid:0xisolate]   17898 ms: Mark-Compact (reduce) 84.5 (115.6) -> 47.5 (111.3) MB, …
const FULL_GC =
  /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+) ms: Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \(([\d.]+)\) MB/gm;

/** Every full GC in a process's output, in order. */
export function fullGcs(output: string): FullGc[] {
  return [...output.matchAll(FULL_GC)].map((match) => ({
    isolate: match[1] ?? '',
    atMs: Number(match[2]),
    liveMiB: Number(match[3]),
    committedMiB: Number(match[4]),
  }));
}

/** What survived full GCs in one isolate: a leak shows as a rising floor. */
export interface HeapFloor {
  readonly isolate: string;
  readonly fullGcs: number;
  readonly firstLiveMiB: number;
  readonly lastLiveMiB: number;
  readonly minLiveMiB: number;
  readonly maxLiveMiB: number;
  readonly maxCommittedMiB: number;
}

/** Per isolate (in order of first appearance: the main thread's first), the full GCs from `fromMs` on. */
export function heapFloors(gcs: readonly FullGc[], fromMs: number): HeapFloor[] {
  const byIsolate = new Map<string, FullGc[]>();
  for (const gc of gcs) {
    if (!byIsolate.has(gc.isolate)) byIsolate.set(gc.isolate, []);
    if (gc.atMs >= fromMs) byIsolate.get(gc.isolate)?.push(gc);
  }
  return [...byIsolate]
    .filter(([, list]) => list.length > 0)
    .map(([isolate, list]) => ({
      isolate,
      fullGcs: list.length,
      firstLiveMiB: list[0]?.liveMiB ?? 0,
      lastLiveMiB: list[list.length - 1]?.liveMiB ?? 0,
      minLiveMiB: Math.min(...list.map((gc) => gc.liveMiB)),
      maxLiveMiB: Math.max(...list.map((gc) => gc.liveMiB)),
      maxCommittedMiB: Math.max(...list.map((gc) => gc.committedMiB)),
    }));
}

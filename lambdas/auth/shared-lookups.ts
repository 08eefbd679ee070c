/**
 * Concurrent lookups of one key share a single store read: a burst of one key's requests in one process (the local
 * server runs every authorization in one process; a Lambda instance serves one at a time) costs one GetItem, not one
 * each. Only lookups in flight are shared; a settled one is forgotten at once, so nothing is cached here.
 */
export class SharedLookups<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, lookup: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const started = lookup().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  get size(): number {
    return this.inFlight.size;
  }
}

/** How often one key's lastUsedAt is stamped at most (KeyStore.touch's own resolution). */
export const TOUCH_RESOLUTION_MS = 60_000;
/** The most keys one instance remembers stamping; past it the oldest goes. */
export const TOUCH_GATE_MAX_ENTRIES = 1000;

/**
 * Which authorizations stamp lastUsedAt: the first per key in each resolution window of this instance. The store
 * refuses the other stamps anyway (a conditional update), but each refusal is still a write the authorizer waits
 * for; a burst of one key's requests would queue as many writes on one item before any of them is allowed.
 */
export class TouchGate {
  private readonly stamped = new Map<string, number>();

  constructor(
    private readonly resolutionMs: number = TOUCH_RESOLUTION_MS,
    private readonly maxEntries: number = TOUCH_GATE_MAX_ENTRIES,
  ) {}

  /** True when this authorization should stamp key `hash` at `now` (ms); remembered at once, before the write. */
  claim(hash: string, now: number): boolean {
    const last = this.stamped.get(hash);
    if (last !== undefined && now - last < this.resolutionMs) return false;
    this.stamped.delete(hash);
    while (this.stamped.size >= this.maxEntries) {
      const oldest = this.stamped.keys().next();
      if (oldest.done === true) break;
      this.stamped.delete(oldest.value);
    }
    this.stamped.set(hash, now);
    return true;
  }

  /** Forgets a claim whose write failed, so a later authorization tries again. */
  release(hash: string, at: number): void {
    if (this.stamped.get(hash) === at) this.stamped.delete(hash);
  }
}

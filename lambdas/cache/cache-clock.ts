let clock: () => number = Date.now;

/** The cache's clock (epoch ms): entry ages and expiry. Tests move it (setCacheClock) instead of sleeping. */
export const cacheNow = (): number => clock();

/** Replaces the cache's clock; no argument restores Date.now. */
export function setCacheClock(now: () => number = Date.now): void {
  clock = now;
}

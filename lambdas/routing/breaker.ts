import type { BreakerConfig } from '../config/schema.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker for one target, per process (per Lambda instance: instances do not share breaker state). It
 * opens after `failures` consecutive failures, or when `errorRate` of the last `window` calls failed; stays open
 * for `cooldownMs`; then lets one probe through — its success closes it, its failure opens it again.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private consecutive = 0;
  private readonly recent: boolean[] = [];
  private openedAt = 0;
  private probing = false;

  constructor(private readonly config: BreakerConfig) {}

  current(now: number): BreakerState {
    if (this.state === 'open' && now - this.openedAt >= this.config.cooldownMs) return 'half-open';
    return this.state;
  }

  /** Whether a try may go to this target now; in half-open, only the one probe. */
  allow(now: number): boolean {
    const state = this.current(now);
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.state = 'half-open';
    this.probing = true;
    return true;
  }

  success(): void {
    this.state = 'closed';
    this.consecutive = 0;
    this.probing = false;
    this.remember(true);
  }

  /** Records a failure; true when it opened the breaker. */
  failure(now: number): boolean {
    this.remember(false);
    this.consecutive += 1;
    const wasProbe = this.state === 'half-open';
    this.probing = false;
    const failedShare = this.recent.filter((ok) => !ok).length / this.recent.length;
    const rateTripped =
      this.config.errorRate !== undefined && this.recent.length >= this.config.window && failedShare >= this.config.errorRate;
    if (wasProbe || (this.state === 'closed' && (this.consecutive >= this.config.failures || rateTripped))) {
      this.state = 'open';
      this.openedAt = now;
      return true;
    }
    return false;
  }

  private remember(ok: boolean): void {
    this.recent.push(ok);
    if (this.recent.length > this.config.window) this.recent.shift();
  }
}

const breakers = new Map<string, CircuitBreaker>();

/** The breaker of a target (`provider/model`) in this process. */
export function breakerFor(key: string, config: BreakerConfig): CircuitBreaker {
  let breaker = breakers.get(key);
  if (breaker === undefined) {
    breaker = new CircuitBreaker(config);
    breakers.set(key, breaker);
  }
  return breaker;
}

/** Tests start from closed breakers. */
export function resetBreakers(): void {
  breakers.clear();
}

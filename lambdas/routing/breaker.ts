import type { BreakerConfig } from '../config/schema.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** How a try was let through: with the breaker closed, or as the half-open breaker's one probe. */
export type Admission = 'closed' | 'probe';

/**
 * A circuit breaker for one target, per process (per Lambda instance: instances do not share breaker state). It
 * opens after `failures` consecutive failures, or when `errorRate` of the last `window` calls failed; stays open
 * for `cooldownMs`; then lets one probe through — its success closes it (with a fresh window), its failure opens it
 * again, and a probe that ends with no verdict on the target (the request's own fault, a lost hedge, the deadline, the
 * client leaving) is released, so the next try may probe.
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

  /** Whether a try could go to this target now, without claiming the probe (for a look ahead). */
  available(now: number): boolean {
    const state = this.current(now);
    return state === 'closed' || (state === 'half-open' && !this.probing);
  }

  /** Lets a try through: always while closed; in half-open only the one probe (which the caller must end). */
  admit(now: number): Admission | undefined {
    const state = this.current(now);
    if (state === 'closed') return 'closed';
    if (state === 'open' || this.probing) return undefined;
    this.state = 'half-open';
    this.probing = true;
    return 'probe';
  }

  /** Whether a try may go to this target now; in half-open, only the one probe. */
  allow(now: number): boolean {
    return this.admit(now) !== undefined;
  }

  /** Milliseconds until this breaker's next probe (0 once half-open: a running probe may end any moment). */
  waitMs(now: number): number {
    return this.current(now) === 'open' ? Math.max(0, this.openedAt + this.config.cooldownMs - now) : 0;
  }

  success(): void {
    // Closing starts afresh: the failures that opened it must not count toward opening it again.
    if (this.state !== 'closed') this.recent.length = 0;
    this.state = 'closed';
    this.consecutive = 0;
    this.probing = false;
    this.remember(true);
  }

  /** Records a failure (`probe`: of the try admitted as the probe); true when it opened the breaker. */
  failure(now: number, probe = this.state === 'half-open'): boolean {
    this.remember(false);
    this.consecutive += 1;
    if (probe) this.probing = false;
    const failedShare = this.recent.filter((ok) => !ok).length / this.recent.length;
    const rateTripped =
      this.config.errorRate !== undefined &&
      this.recent.length >= this.config.window &&
      failedShare >= this.config.errorRate;
    if (
      (probe && this.state === 'half-open') ||
      (this.state === 'closed' && (this.consecutive >= this.config.failures || rateTripped))
    ) {
      this.state = 'open';
      this.openedAt = now;
      return true;
    }
    return false;
  }

  /** Ends a try that gave no verdict on the target; when it was the probe, the next try may probe. */
  release(admission: Admission): void {
    if (admission === 'probe' && this.state === 'half-open') this.probing = false;
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

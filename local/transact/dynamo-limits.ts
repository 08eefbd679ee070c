/**
 * DynamoDB's limits that a single local process never meets, emulated on a clock (opt-in: GATEWAY_STORE_LIMITS=dynamodb
 * or the front's `limits` option):
 * - a partition key value takes at most 1,000 write units and 3,000 read units per second (the table's and each
 *   GSI's, a GSI copy counting against its own key's partition): over it, DynamoDB throttles the call;
 * - a TransactWriteItems holds its items while it runs: another transaction touching one of them meanwhile is
 *   cancelled (`TransactionConflict`), and a single write to one of them fails with TransactionConflictException.
 * Rates are counted per whole second of the clock; a transaction holds its items from its start for `transactionMs`.
 */
export const PARTITION_WRITE_UNITS = 1_000;
export const PARTITION_READ_UNITS = 3_000;
/** How long a transaction holds its items on the clock (DynamoDB's transactions take a few milliseconds). */
export const TRANSACTION_HOLD_MS = 5;

export interface LimitsOptions {
  readonly now?: () => number;
  readonly writeUnitsPerSecond?: number;
  readonly readUnitsPerSecond?: number;
  readonly transactionMs?: number;
}

/** Units charged to one partition: `<table>#<value>` or `<table>/<index>#<value>`. */
export interface Charge {
  readonly partition: string;
  readonly units: number;
  readonly table: string;
  /** Charged to a GSI's partition (the throttling reason names the index). */
  readonly index: string | undefined;
}

/** What the limits counted, for the bench. */
export interface LimitsStats {
  throttledWrites: number;
  throttledReads: number;
  conflicts: number;
  /** The most write units one partition took in one second, and which. */
  busiest: { partition: string; units: number };
  /** Throttled calls per partition, and conflicts per item. */
  readonly throttledBy: Map<string, number>;
  readonly conflictsOn: Map<string, number>;
}

interface Window {
  second: number;
  write: number;
  read: number;
}

export class DynamoLimits {
  private readonly now: () => number;
  private readonly writeUnits: number;
  private readonly readUnits: number;
  readonly transactionMs: number;
  private readonly windows = new Map<string, Window>();
  /** Item identity → the clock time its transaction ends. */
  private readonly held = new Map<string, number>();
  readonly stats: LimitsStats = {
    throttledWrites: 0,
    throttledReads: 0,
    conflicts: 0,
    busiest: { partition: '', units: 0 },
    throttledBy: new Map(),
    conflictsOn: new Map(),
  };

  constructor(options: LimitsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.writeUnits = options.writeUnitsPerSecond ?? PARTITION_WRITE_UNITS;
    this.readUnits = options.readUnitsPerSecond ?? PARTITION_READ_UNITS;
    this.transactionMs = options.transactionMs ?? TRANSACTION_HOLD_MS;
  }

  /** Charges write units, all or none: answers the charge that would pass its partition's rate (none charged). */
  chargeWrites(charges: readonly Charge[]): Charge | undefined {
    const over = this.over(charges, 'write', this.writeUnits);
    if (over !== undefined) {
      this.stats.throttledWrites += 1;
      this.stats.throttledBy.set(over.partition, (this.stats.throttledBy.get(over.partition) ?? 0) + 1);
      return over;
    }
    for (const charge of charges) {
      const window = this.window(charge.partition);
      window.write += charge.units;
      if (window.write > this.stats.busiest.units)
        this.stats.busiest = { partition: charge.partition, units: window.write };
    }
    return undefined;
  }

  /** Charges read units, all or none, like chargeWrites. */
  chargeReads(charges: readonly Charge[]): Charge | undefined {
    const over = this.over(charges, 'read', this.readUnits);
    if (over !== undefined) {
      this.stats.throttledReads += 1;
      return over;
    }
    for (const charge of charges) this.window(charge.partition).read += charge.units;
    return undefined;
  }

  /** Starts the counts afresh (the bench's measured seconds). */
  resetStats(): void {
    Object.assign(this.stats, {
      throttledWrites: 0,
      throttledReads: 0,
      conflicts: 0,
      busiest: { partition: '', units: 0 },
    });
    this.stats.throttledBy.clear();
    this.stats.conflictsOn.clear();
  }

  /** The items (by identity) among these that a running transaction holds now. */
  heldNow(items: readonly string[]): Set<string> {
    const now = this.now();
    const held = new Set(items.filter((item) => (this.held.get(item) ?? -Infinity) > now));
    if (held.size > 0) this.stats.conflicts += 1;
    for (const item of held) this.stats.conflictsOn.set(item, (this.stats.conflictsOn.get(item) ?? 0) + 1);
    return held;
  }

  /** A transaction starts now: it holds these items for transactionMs. */
  hold(items: readonly string[]): void {
    const until = this.now() + this.transactionMs;
    for (const item of items) this.held.set(item, Math.max(until, this.held.get(item) ?? 0));
    if (this.held.size > 10_000) this.forgetEnded();
  }

  private over(charges: readonly Charge[], kind: 'write' | 'read', limit: number): Charge | undefined {
    const sums = new Map<string, number>();
    for (const charge of charges) {
      const sum = (sums.get(charge.partition) ?? this.window(charge.partition)[kind]) + charge.units;
      sums.set(charge.partition, sum);
      if (sum > limit) return charge;
    }
    return undefined;
  }

  private window(partition: string): Window {
    const second = Math.floor(this.now() / 1000);
    let window = this.windows.get(partition);
    if (window === undefined || window.second !== second) {
      window = { second, write: 0, read: 0 };
      this.windows.set(partition, window);
    }
    return window;
  }

  private forgetEnded(): void {
    const now = this.now();
    for (const [item, until] of this.held) if (until <= now) this.held.delete(item);
  }
}

/** The limits the environment asks for: GATEWAY_STORE_LIMITS=dynamodb (on the real clock), else none. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoLimits | undefined {
  const value = env.GATEWAY_STORE_LIMITS;
  if (value === undefined || value === '' || value === 'off') return undefined;
  if (value !== 'dynamodb')
    throw new Error(`GATEWAY_STORE_LIMITS must be "dynamodb" or "off", not ${JSON.stringify(value)}`);
  return new DynamoLimits();
}

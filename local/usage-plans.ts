import type { PlanConfig } from '../lambdas/config/schema.js';

export type UsageVerdict = 'ok' | 'throttled' | 'quota';

interface Meter {
  tokens: number;
  refilledAt: number;
  window: number;
  used: number;
}

const DAY = 86_400_000;

/** Start (epoch ms, UTC) of the quota period containing `at`: day, ISO week (from Monday) or calendar month. */
export function periodStart(period: 'DAY' | 'WEEK' | 'MONTH', at: number): number {
  const date = new Date(at);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (period === 'DAY') return day;
  if (period === 'WEEK') return day - ((date.getUTCDay() + 6) % 7) * DAY;
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * API Gateway usage plans, emulated for the local server: per usage key, a token bucket (rateLimit per second,
 * burstLimit deep) and a request quota per UTC period. In memory, per process — as the real ones, best effort.
 */
export class UsagePlanEmulator {
  private readonly meters = new Map<string, Meter>();

  constructor(
    private readonly plans: Readonly<Record<string, PlanConfig>>,
    private readonly now: () => number = Date.now,
  ) {}

  admit(usageKey: string, planName: string): UsageVerdict {
    const plan = Object.hasOwn(this.plans, planName) ? this.plans[planName] : undefined;
    if (plan === undefined) return 'ok';
    const at = this.now();
    const window = plan.quota === undefined ? 0 : periodStart(plan.quota.period, at);
    const meter = this.meters.get(`${planName}:${usageKey}`) ?? {
      tokens: plan.burstLimit,
      refilledAt: at,
      window,
      used: 0,
    };
    this.meters.set(`${planName}:${usageKey}`, meter);

    meter.tokens = Math.min(plan.burstLimit, meter.tokens + ((at - meter.refilledAt) / 1000) * plan.rateLimit);
    meter.refilledAt = at;
    if (meter.tokens < 1) return 'throttled';
    if (meter.window !== window) {
      meter.window = window;
      meter.used = 0;
    }
    if (plan.quota !== undefined && meter.used >= plan.quota.limit) return 'quota';
    meter.tokens -= 1;
    meter.used += 1;
    return 'ok';
  }
}

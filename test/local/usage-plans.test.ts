import { periodStart, UsagePlanEmulator } from '../../local/usage-plans.js';

describe('usage plan emulation', () => {
  it('token bucket: burst at once, then rateLimit per second', () => {
    let now = Date.UTC(2026, 10, 26, 12);
    const plans = new UsagePlanEmulator({ tight: { rateLimit: 2, burstLimit: 3 } }, () => now);
    expect([1, 2, 3, 4].map(() => plans.admit('k', 'tight'))).toEqual(['ok', 'ok', 'ok', 'throttled']);
    now += 499;
    expect(plans.admit('k', 'tight')).toBe('throttled');
    now += 1;
    expect(plans.admit('k', 'tight')).toBe('ok');
    expect(plans.admit('other-tenant', 'tight')).toBe('ok');
  });

  it('quota per period: the limit, then 429 until the next period', () => {
    let now = Date.UTC(2026, 10, 26, 23, 59);
    const plans = new UsagePlanEmulator(
      { q: { rateLimit: 100, burstLimit: 100, quota: { limit: 5, period: 'DAY' } } },
      () => now,
    );
    const verdicts = Array.from({ length: 6 }, () => plans.admit('k', 'q'));
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'quota']);
    now = Date.UTC(2026, 10, 27, 0, 0, 1);
    expect(plans.admit('k', 'q')).toBe('ok');
  });

  it('a throttled request does not count against the quota', () => {
    const now = Date.UTC(2026, 0, 1);
    const plans = new UsagePlanEmulator(
      { p: { rateLimit: 1, burstLimit: 1, quota: { limit: 2, period: 'MONTH' } } },
      () => now,
    );
    expect([plans.admit('k', 'p'), plans.admit('k', 'p')]).toEqual(['ok', 'throttled']);
  });

  it('periods start at UTC midnight, on Monday, on the 1st', () => {
    const thursday = Date.UTC(2026, 10, 26, 15, 30);
    expect(new Date(periodStart('DAY', thursday)).toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(new Date(periodStart('WEEK', thursday)).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(periodStart('WEEK', Date.UTC(2026, 10, 29))).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(periodStart('MONTH', thursday)).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
});

import { GatewayError } from '../../lambdas/core/errors.js';
import { dayStart, isDay, MAX_RANGE_DAYS, usageRange } from '../../lambdas/ledger/usage-range.js';

const NOW = new Date('2026-11-26T23:59:59.999Z');

/** The GatewayError `run` throws (failing the test when it throws nothing or something else). */
function failure(run: () => unknown): GatewayError {
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(GatewayError);
  return thrown as GatewayError;
}

describe('days', () => {
  it.each(['2026-11-26', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'])('%s is a day', (day) => {
    expect(isDay(day)).toBe(true);
    expect(new Date(dayStart(day) ?? NaN).toISOString().slice(0, 10)).toBe(day);
  });

  it.each([
    '2026-02-30',
    '2025-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-11-00',
    '2026-1-01',
    '26-11-26',
    '2026-11-26T00:00:00Z',
    ' 2026-11-26',
    '',
  ])('%j is not', (text) => expect(isDay(text)).toBe(false));
});

describe('usageRange', () => {
  it('defaults to this month so far (UTC)', () => {
    expect(usageRange({}, NOW)).toEqual({ from: '2026-11-01', to: '2026-11-26' });
    expect(usageRange({}, new Date('2026-12-01T00:00:00.000Z'))).toEqual({ from: '2026-12-01', to: '2026-12-01' });
  });

  it('from alone runs to today; to alone starts on the first day of its month', () => {
    expect(usageRange({ from: '2026-10-15' }, NOW)).toEqual({ from: '2026-10-15', to: '2026-11-26' });
    expect(usageRange({ to: '2026-02-14' }, NOW)).toEqual({ from: '2026-02-01', to: '2026-02-14' });
  });

  it('one day, and exactly 366 days, are allowed', () => {
    expect(usageRange({ from: '2026-11-26', to: '2026-11-26' }, NOW)).toEqual({ from: '2026-11-26', to: '2026-11-26' });
    expect(MAX_RANGE_DAYS).toBe(366);
    expect(usageRange({ from: '2024-01-01', to: '2024-12-31' }, NOW)).toEqual({ from: '2024-01-01', to: '2024-12-31' });
  });

  it('from after to is a 400 naming from', () => {
    const err = failure(() => usageRange({ from: '2026-11-02', to: '2026-11-01' }, NOW));
    expect([err.status, err.code, err.param]).toEqual([400, 'invalid_date_range', 'from']);
  });

  it('367 days is a 400 that says how many', () => {
    const err = failure(() => usageRange({ from: '2025-01-01', to: '2026-01-02' }, NOW));
    expect([err.status, err.code]).toEqual([400, 'invalid_date_range']);
    expect(err.message).toMatch(/367 days; at most 366/);
  });

  it('a date that does not exist is a 400 naming the parameter', () => {
    expect(failure(() => usageRange({ from: '2026-02-30' }, NOW)).param).toBe('from');
    expect(failure(() => usageRange({ to: 'today' }, NOW)).param).toBe('to');
  });
});

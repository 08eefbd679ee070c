import { parseDuration, parseExpiry, parseGrace } from '../../cli/duration.js';
import { UsageError } from '../../cli/errors.js';

const NOW = new Date('2030-01-01T00:00:00.000Z');

describe('parseDuration', () => {
  it.each([
    ['45s', 45],
    ['90m', 5_400],
    ['12h', 43_200],
    ['30d', 2_592_000],
    ['2w', 1_209_600],
    ['0s', 0],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', '30', 'd', '1.5h', '-1d', '30 days', '3y', '1h30m'])('"%s" is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseExpiry', () => {
  it('counts a duration from now', () => {
    expect(parseExpiry('30d', NOW)).toBe('2030-01-31T00:00:00.000Z');
    expect(parseExpiry('90m', NOW)).toBe('2030-01-01T01:30:00.000Z');
  });

  it('takes an ISO date-time, normalised to UTC', () => {
    expect(parseExpiry('2030-06-01T12:00:00+02:00', NOW)).toBe('2030-06-01T10:00:00.000Z');
    expect(parseExpiry('2030-06-01', NOW)).toBe('2030-06-01T00:00:00.000Z');
  });

  it.each(['soon', '30', '06/01/2030', '2030-13-45T00:00:00Z'])('rejects "%s"', (text) => {
    expect(() => parseExpiry(text, NOW)).toThrow(UsageError);
  });

  it('rejects a time that is not in the future', () => {
    expect(() => parseExpiry('2029-12-31T23:59:59Z', NOW)).toThrow(/not in the future/);
    expect(() => parseExpiry('0s', NOW)).toThrow(/not in the future/);
  });
});

describe('parseGrace', () => {
  it('is a duration in seconds', () => {
    expect(parseGrace('1h')).toBe(3_600);
    expect(parseGrace('0s')).toBe(0);
  });

  it('names the flag when wrong', () => {
    expect(() => parseGrace('an hour')).toThrow(/^--grace: "an hour"/);
  });
});

import { formatKey, formatList, time } from '../../cli/format.js';
import { count, usd } from '../../cli/format-usage.js';
import { fields, table } from '../../cli/table.js';
import { keyView } from './fake-admin-server.js';

describe('table', () => {
  it('pads every column to its widest cell, two spaces apart, without trailing blanks', () => {
    expect(
      table(
        ['A', 'BB', 'C'],
        [
          ['xxx', 'y', ''],
          ['z', 'wwww', 'v'],
        ],
      ),
    ).toBe('A    BB    C\nxxx  y\nz    wwww  v\n');
  });
});

describe('table with alignment', () => {
  it('pads right-aligned columns on the left', () => {
    expect(
      table(
        ['NAME', 'N'],
        [
          ['a', '1'],
          ['b', '1,000'],
        ],
        ['left', 'right'],
      ),
    ).toBe('NAME      N\na         1\nb     1,000\n');
  });
});

describe('usage numbers', () => {
  it.each([
    [0, '0.00'],
    [1, '0.000001'],
    [1_200, '0.0012'],
    [10_000, '0.01'],
    [1_500_000, '1.50'],
    [12_345_678, '12.345678'],
    [1_234_567_000_000, '1,234,567.00'],
  ])('%d micro-dollars are $%s', (micros, text) => {
    expect(usd(micros)).toBe(text);
  });

  it('counts with thousands separators', () => {
    expect([0, 999, 1_000, 12_345_678].map(count)).toEqual(['0', '999', '1,000', '12,345,678']);
  });
});

describe('fields', () => {
  it('aligns values after the longest label', () => {
    expect(
      fields([
        ['id', '1'],
        ['last used', 'never'],
      ]),
    ).toBe('  id         1\n  last used  never\n');
  });
});

describe('format', () => {
  it('drops milliseconds from times and names missing ones', () => {
    expect(time('2030-01-02T03:04:05.678Z', 'never')).toBe('2030-01-02T03:04:05Z');
    expect(time(null, 'never')).toBe('never');
  });

  it('shows rotation details only when present', () => {
    expect(formatKey(keyView())).not.toMatch(/rotated/);
    const rotated = formatKey(
      keyView({ status: 'rotated', rotatedTo: 'key_new', graceUntil: '2030-01-01T11:00:00.000Z' }),
    );
    expect(rotated).toMatch(/^ {2}rotated to +key_new$/m);
    expect(rotated).toMatch(/^ {2}works until +2030-01-01T11:00:00Z$/m);
  });

  it('shortens long names in the list', () => {
    const out = formatList([keyView({ name: 'n'.repeat(80) })]);
    expect(out).toContain(`${'n'.repeat(29)}…`);
    expect(out).not.toContain('n'.repeat(30));
  });
});

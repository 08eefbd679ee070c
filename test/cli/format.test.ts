import { formatKey, formatList, time } from '../../lib/cli/format.js';
import { fields, table } from '../../lib/cli/table.js';
import { keyView } from './fake-admin-server.js';

describe('table', () => {
  it('pads every column to its widest cell, two spaces apart, without trailing blanks', () => {
    expect(table(['A', 'BB', 'C'], [['xxx', 'y', ''], ['z', 'wwww', 'v']])).toBe('A    BB    C\nxxx  y\nz    wwww  v\n');
  });
});

describe('fields', () => {
  it('aligns values after the longest label', () => {
    expect(fields([['id', '1'], ['last used', 'never']])).toBe('  id         1\n  last used  never\n');
  });
});

describe('format', () => {
  it('drops milliseconds from times and names missing ones', () => {
    expect(time('2030-01-02T03:04:05.678Z', 'never')).toBe('2030-01-02T03:04:05Z');
    expect(time(null, 'never')).toBe('never');
  });

  it('shows rotation details only when present', () => {
    expect(formatKey(keyView())).not.toMatch(/rotated/);
    const rotated = formatKey(keyView({ status: 'rotated', rotatedTo: 'key_new', graceUntil: '2030-01-01T11:00:00.000Z' }));
    expect(rotated).toMatch(/^ {2}rotated to +key_new$/m);
    expect(rotated).toMatch(/^ {2}works until +2030-01-01T11:00:00Z$/m);
  });

  it('shortens long names in the list', () => {
    const out = formatList([keyView({ name: 'n'.repeat(80) })]);
    expect(out).toContain(`${'n'.repeat(29)}…`);
    expect(out).not.toContain('n'.repeat(30));
  });
});

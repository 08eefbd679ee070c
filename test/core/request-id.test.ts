import { resolveRequestId } from '../../lambdas/core/request-id.js';

describe('resolveRequestId', () => {
  it.each(['a', 'req-1', 'A.b_c:d-9', 'x'.repeat(128)])('keeps the safe token %s', (id) => {
    expect(resolveRequestId(id)).toBe(id);
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'x'.repeat(129)],
    ['a space', 'a b'],
    ['a newline', 'a\nb'],
    ['a slash', 'a/b'],
    ['non-ASCII', 'café'],
    ['quotes', '"x"'],
  ])('replaces a value with %s by a fresh UUID', (_label, id) => {
    const out = resolveRequestId(id);
    expect(out).not.toBe(id);
    expect(out).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('makes a fresh, distinct id when none was sent', () => {
    expect(resolveRequestId(undefined)).not.toBe(resolveRequestId(undefined));
  });
});

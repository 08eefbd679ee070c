import { nestsDeeperThan } from '../../lambdas/middleware/json-depth.js';

const deep = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i++) value = { type: 'object', properties: { x: value } };
  return value;
};

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, the value itself as level 1, without recursion', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestsDeeperThan({ a: [{}] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{}] }, 2)).toBe(true);
    expect(nestsDeeperThan(deep(100_000), 128)).toBe(true);
    expect(nestsDeeperThan([deep(63)], 128)).toBe(false);
  });
});

import { embeddingsRequestSchema, inputList } from '../../lambdas/api/embeddings-schemas.js';

// The request's documented limits, at their edges: 2,048 inputs, 8,192 tokens each, 300,000 in all.

const ok = (input: unknown, extra: object = {}) =>
  embeddingsRequestSchema.safeParse({ model: 'm', input, ...extra }).success;

it('every input shape OpenAI takes, as a list of inputs', () => {
  expect(inputList('a')).toEqual(['a']);
  expect(inputList(['a', 'b'])).toEqual(['a', 'b']);
  expect(inputList([1, 2])).toEqual([[1, 2]]);
  expect(inputList([[1], [2]])).toEqual([[1], [2]]);
});

it('limits at their edges', () => {
  expect(ok(Array.from({ length: 2048 }, () => 'x'))).toBe(true);
  expect(ok(Array.from({ length: 2049 }, () => 'x'))).toBe(false);
  expect(ok('x'.repeat(4 * 8192))).toBe(true);
  expect(ok('x'.repeat(4 * 8192 + 1))).toBe(false);
  expect(ok(new Array<number>(8192).fill(0))).toBe(true);
  expect(ok(new Array<number>(8193).fill(0))).toBe(false);
  const tokens = (n: number) => new Array<number>(n).fill(7);
  expect(ok([...Array.from({ length: 36 }, () => tokens(8192)), tokens(300_000 - 36 * 8192)])).toBe(true);
  expect(ok([...Array.from({ length: 36 }, () => tokens(8192)), tokens(300_001 - 36 * 8192)])).toBe(false);
});

it('wrong types and fields', () => {
  for (const input of [[], '', [''], [[]], [1.5], ['a', 1], [['a']], null, { a: 1 }]) expect(ok(input)).toBe(false);
  expect(ok('a', { encoding_format: 'base64', dimensions: 256, user: 'u' })).toBe(true);
  expect(ok('a', { dimensions: 0 })).toBe(false);
  expect(ok('a', { other: 1 })).toBe(false);
});

import { itemBytes, writeUnitsOf } from '../../lambdas/store/item-size.js';

// The billed size of an item, estimated as AWS documents it, and on-demand write units (one per KB begun).

it('names and values: strings and binaries by their bytes, numbers by their digits, booleans one byte', () => {
  expect(itemBytes({ pk: { S: 'RESP#t#1' } })).toBe(2 + 8);
  expect(itemBytes({ record: { B: new Uint8Array(100) } })).toBe(6 + 100);
  expect(itemBytes({ n: { N: '1234567890' } })).toBe(1 + 6);
  expect(itemBytes({ é: { S: 'ü' }, ok: { BOOL: true } })).toBe(2 + 2 + 2 + 1);
  expect(itemBytes({ l: { L: [{ S: 'ab' }, { N: '7' }] }, m: { M: { k: { S: 'v' } } } })).toBe(
    1 + 3 + (1 + 2) + (1 + 2) + 1 + 3 + (1 + 1),
  );
});

it('write units: one per KB begun, at least one', () => {
  expect([0, 1, 1024, 1025, 4096, 4097].map(writeUnitsOf)).toEqual([1, 1, 1, 2, 4, 5]);
});

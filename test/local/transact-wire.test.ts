import { toSdkItem, wireItem } from '../../local/transact/attribute-values.js';
import { DynamoError } from '../../local/transact/errors.js';

// A transaction's items are checked once, in wire form (attribute-values.ts).
const refusal = (value: unknown): string => {
  try {
    wireItem({ a: value });
  } catch (err) {
    if (err instanceof DynamoError) return err.message;
    throw err;
  }
  return 'accepted';
};

describe('wireItem', () => {
  it('answers the item itself when it is canonical: no copy', () => {
    const item = { s: { S: 'x' }, n: { N: '1' }, l: { L: [{ M: { b: { BOOL: false } } }] }, ss: { SS: ['a'] } };
    expect(wireItem(item)).toBe(item);
  });

  it('re-encodes binaries as Node spells base64, copying only what holds them', () => {
    const untouched = { S: 'y' };
    const item = { b: { B: 'aGk' }, l: { L: [{ BS: ['aGk', 'aGk='] }, untouched] }, s: untouched };
    const checked = wireItem(item);
    expect(checked).toEqual({ b: { B: 'aGk=' }, l: { L: [{ BS: ['aGk=', 'aGk='] }, untouched] }, s: untouched });
    expect(checked.s).toBe(untouched);
    expect(item.b).toEqual({ B: 'aGk' });
  });

  it('refuses malformed values with the messages the front always gave', () => {
    expect(refusal('x')).toBe('Supplied AttributeValue is not an object');
    expect(refusal({})).toMatch(/^Supplied AttributeValue has more than one datatypes set/);
    expect(refusal({ S: 'x', N: '1' })).toMatch(/^Supplied AttributeValue has more than one datatypes set/);
    expect(refusal({ S: 1 })).toBe('S must be a string');
    expect(refusal({ B: 1 })).toBe('B must be a base64 string');
    expect(refusal({ SS: ['a', 1] })).toBe('SS must be a list of strings');
    expect(refusal({ BOOL: 'true' })).toBe('BOOL must be a boolean');
    expect(refusal({ NULL: false })).toBe('NULL must be true');
    expect(refusal({ L: {} })).toBe('L must be a list');
    expect(refusal({ M: [] })).toBe('Supplied item is not a map of attribute values');
    expect(refusal({ L: [{ M: { x: { Q: '1' } } }] })).toBe('Unknown AttributeValue type Q');
    expect(() => wireItem([])).toThrow('Supplied item is not a map of attribute values');
  });

  it('checks a member named __proto__ and leaves it out, as dynalite stores the item', () => {
    const item = JSON.parse('{"a":{"S":"x"},"__proto__":{"S":"y"}}') as Record<string, unknown>;
    expect(Object.keys(wireItem(item))).toEqual(['a']);
    expect(() => wireItem(JSON.parse('{"__proto__":{"S":1}}'))).toThrow('S must be a string');
  });

  it('toSdkItem: an item without binaries is its own SDK form', () => {
    const item = { s: { S: 'x' }, l: { L: [{ M: { n: { N: '1' } } }] }, ss: { SS: ['a'] }, b: { BOOL: true } };
    expect(toSdkItem(item)).toBe(item);
  });

  it('toSdkItem: binaries as bytes, the rest as it is', () => {
    const sdk = toSdkItem({ b: { B: 'aGk=' }, l: { L: [{ BS: ['aGk='] }, { N: '1' }] }, m: { M: { s: { S: 'x' } } } });
    expect(sdk).toEqual({
      b: { B: Buffer.from('hi') },
      l: { L: [{ BS: [Buffer.from('hi')] }, { N: '1' }] },
      m: { M: { s: { S: 'x' } } },
    });
  });
});

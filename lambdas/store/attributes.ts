import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Small, explicit DynamoDB attribute helpers (the stored shapes are few and flat). */
export type Item = Record<string, AttributeValue>;

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });
export const strings = (values: readonly string[]): AttributeValue => ({ L: values.map(s) });

export const readString = (item: Item, name: string): string | undefined => item[name]?.S;
export const readNumber = (item: Item, name: string): number | undefined => {
  const value = item[name]?.N;
  return value === undefined ? undefined : Number(value);
};
export const readStrings = (item: Item, name: string): string[] | undefined =>
  item[name]?.L?.flatMap((entry) => (entry.S === undefined ? [] : [entry.S]));

/** Sets only the attributes that have a value: optional fields are absent, not null, in the store. */
export function compact(entries: Record<string, AttributeValue | undefined>): Item {
  const item: Item = {};
  // for…in over own keys rather than Object.entries: no array of pairs per item (a request record has ~30 names).
  for (const name in entries) {
    const value = entries[name];
    if (value !== undefined && Object.hasOwn(entries, name)) item[name] = value;
  }
  return item;
}

export function requireString(item: Item, name: string): string {
  const value = readString(item, name);
  if (value === undefined) throw new Error(`stored item lacks ${name}`);
  return value;
}

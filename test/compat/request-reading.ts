/**
 * Reading an upstream request the way the smart fakes (smart-upstreams.ts) need it, for both wire formats, and a
 * value valid for a JSON schema (tool arguments, structured output), deterministically.
 */

export type Json = Record<string, unknown>;

export const record = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The city names string arguments take, one per parallel call. */
export const CITIES = ['Paris', 'Tokyo'] as const;

/**
 * A value valid for `schema` (the subset tools and response formats use: object, string, number, integer, boolean,
 * array, enum, anyOf). Strings become CITIES[variant]; numbers 21 + variant.
 */
export function sampleFor(schema: unknown, variant = 0): unknown {
  const s = record(schema);
  const options = list(s.enum);
  if (options.length > 0) return options[0];
  const anyOf = list(s.anyOf ?? s.oneOf);
  if (anyOf.length > 0) return sampleFor(anyOf.find((option) => record(option).type !== 'null') ?? anyOf[0], variant);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return CITIES[variant % CITIES.length];
    case 'number':
    case 'integer':
      return 21 + variant;
    case 'boolean':
      return true;
    case 'array':
      return [sampleFor(s.items, variant)];
    case 'null':
      return null;
    default: {
      const properties = record(s.properties);
      return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, sampleFor(value, variant)]));
    }
  }
}

/** The text of a message's content: a string, or its text parts joined. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return list(content)
    .map((part) => {
      const p = record(part);
      return typeof p.text === 'string' ? p.text : '';
    })
    .join('');
}

/** The text of the last `user` message (both formats). */
export function lastUserText(messages: readonly Json[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return last === undefined ? '' : textOf(last.content);
}

/** Content parts or blocks of every message, nested ones (tool results' content) included. */
export function allParts(messages: readonly Json[]): Json[] {
  const walk = (content: unknown): Json[] =>
    list(content).flatMap((part) => [record(part), ...walk(record(part).content)]);
  return messages.flatMap((m) => walk(m.content));
}

/** Whether any object in `value` carries `cache_control` (system blocks, message parts, tools). */
export function hasCacheControl(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasCacheControl);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, v]) => key === 'cache_control' || hasCacheControl(v));
}

/**
 * How deeply request JSON may nest (objects and arrays; the body itself is level 1). Generous for real payloads —
 * a tool's JSON Schema nests two levels per property level (`properties`, the property), so this leaves ~60 levels
 * of schema — and far below what a provider SDK's JSON.stringify (recursive: ~5,000 levels end in a RangeError) or
 * any other recursive walk over the request can take.
 */
export const MAX_JSON_DEPTH = 128;

/**
 * Whether `value` nests deeper than `max` levels. Iterative (a hostile body must not exhaust the stack here either),
 * and it stops at the first container past the limit.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: node, depth } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    const children: readonly unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

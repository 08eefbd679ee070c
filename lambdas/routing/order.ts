/**
 * The order in which an alias tries its targets. `fallback`: as configured. `weighted`: the first picked at random
 * by weight (default 1), the others after it in configured order, as fallbacks.
 */
export function targetOrder<T extends { readonly weight?: number | undefined }>(
  strategy: 'fallback' | 'weighted',
  targets: readonly T[],
  random: () => number = Math.random,
): T[] {
  if (strategy === 'fallback' || targets.length < 2) return [...targets];
  const weights = targets.map((t) => t.weight ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  let point = random() * total;
  let picked = targets.length - 1;
  for (const [i, w] of weights.entries()) {
    if (point < w) {
      picked = i;
      break;
    }
    point -= w;
  }
  return [targets[picked] as T, ...targets.filter((_, i) => i !== picked)];
}

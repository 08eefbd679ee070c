/**
 * Validation of a deny rule's regular expression at configuration load: it must compile, must not match the empty
 * string (it would deny every request), and must not repeat a group that itself contains a repetition — `(a+)+`,
 * `(\w+\s?)*`, `(?:x{2,})+` — the shape that backtracks exponentially on an unlucky input. Deny rules run on every
 * request's text, so such a pattern is a configuration error, not a runtime surprise. (This catches the common
 * shape, not every slow pattern: overlapping alternatives such as `(a|a)*` still pass.)
 */
export const DENY_FLAGS = /^[imsu]{0,4}$/;

interface Quantifier {
  readonly length: number;
  /** It may match more than once: `*`, `+`, `{n,}`, `{n,m}` with m > 1. */
  readonly repeats: boolean;
  /** The number of matches is not fixed: `?`, `*`, `+`, `{n,}`, `{n,m}` with m > n. */
  readonly variable: boolean;
}

/** The quantifier at index `at` of a regex source, if one starts there. */
function quantifierAt(source: string, at: number): Quantifier | undefined {
  const char = source[at];
  if (char === '*' || char === '+') return { length: 1, repeats: true, variable: true };
  if (char === '?') return { length: 1, repeats: false, variable: true };
  if (char !== '{') return undefined;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at, at + 24));
  if (braces === null) return undefined;
  const min = Number(braces[1]);
  const max = braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]);
  return { length: braces[0].length, repeats: max > 1, variable: max > min };
}

/** True when a repeated group contains a variable repetition (a fixed one, `(a{2})+`, cannot backtrack). */
export function hasNestedRepetition(source: string): boolean {
  const groups: boolean[] = []; // per open group: does it contain a variable repetition?
  let inClass = false;
  let closedGroupRepeats = false; // the token just before: a group that contains a variable repetition
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') {
      i += 1;
      closedGroupRepeats = false;
      continue;
    }
    if (inClass) {
      inClass = char !== ']';
      continue;
    }
    const quantifier = quantifierAt(source, i);
    if (quantifier !== undefined) {
      if (quantifier.repeats && closedGroupRepeats) return true;
      if (quantifier.repeats && quantifier.variable && groups.length > 0) groups[groups.length - 1] = true;
      i += quantifier.length - 1;
      closedGroupRepeats = false;
      continue;
    }
    closedGroupRepeats = false;
    if (char === '[') inClass = true;
    else if (char === '(') groups.push(false);
    else if (char === ')') {
      closedGroupRepeats = groups.pop() ?? false;
      if (closedGroupRepeats && groups.length > 0) groups[groups.length - 1] = true;
    }
  }
  return false;
}

/** Why `pattern` (with `flags`) cannot be a deny rule, or undefined when it can. */
export function denyPatternProblem(pattern: string, flags = ''): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
  if (regex.test('')) return 'matches the empty string, so it would deny every request';
  if (hasNestedRepetition(pattern)) {
    return 'repeats a group that contains a repetition (such as (a+)+), which can backtrack catastrophically; rewrite it without the nesting';
  }
  return undefined;
}

import type { DetectorName } from './names.js';

/** A half-open range [start, end) of a text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Detector {
  readonly name: DetectorName;
  /** Every match in `text`, in order, without overlaps. One left-to-right pass. */
  find(text: string): Span[];
}

/**
 * A detector from one global regex and a validator. The regex finds candidates (its shape: bounded quantifiers,
 * lookarounds for word edges, nothing nested that could backtrack catastrophically on user text); `accept` keeps
 * those whose checksum, range or context holds and may narrow the span (to a capture group). `hint`, when given, is
 * a substring without which no match is possible: the regex does not run at all when it is absent.
 */
export function regexDetector(
  name: DetectorName,
  pattern: RegExp,
  accept: (match: RegExpExecArray) => Span | undefined = spanOf,
  hint?: string,
): Detector {
  if (!pattern.global) throw new Error(`detector ${name}: the pattern must be global`);
  return {
    name,
    find(text) {
      if (hint !== undefined && !text.includes(hint)) return [];
      const spans: Span[] = [];
      // Safe to share the regex: this loop is synchronous, so no other scan can move lastIndex in between.
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        const span = accept(match);
        if (span !== undefined) spans.push(span);
        if (match[0] === '') pattern.lastIndex += 1;
      }
      return spans;
    },
  };
}

/** The whole match as a span. */
export const spanOf = (match: RegExpExecArray): Span => ({ start: match.index, end: match.index + match[0].length });

import type { Detector, Span } from './detector.js';
import { placeholder, type DetectorName } from './names.js';

/**
 * Runs detectors over one text and redacts what they find. Each detector makes one pass; where matches of two
 * detectors overlap, the one of the earlier detector (priority order) is kept and the other dropped.
 */
export interface Finding extends Span {
  readonly detector: DetectorName;
}

function overlapsAny(findings: readonly Finding[], count: number, span: Span): boolean {
  for (let i = 0; i < count; i += 1) {
    const other = findings[i];
    if (other !== undefined && other.start < span.end && span.start < other.end) return true;
  }
  return false;
}

/** Non-overlapping findings, sorted by position. `detectors` must be in priority order. */
export function findPii(text: string, detectors: readonly Detector[]): Finding[] {
  const kept: Finding[] = [];
  for (const detector of detectors) {
    const before = kept.length;
    for (const span of detector.find(text)) {
      // Only earlier detectors' findings can overlap: one detector's own matches never do.
      if (!overlapsAny(kept, before, span)) kept.push({ ...span, detector: detector.name });
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The first detector that matches anything in `text`, without scanning further (block mode). */
export function firstPii(text: string, detectors: readonly Detector[]): DetectorName | undefined {
  return detectors.find((detector) => detector.find(text).length > 0)?.name;
}

/** `text` with each finding replaced by its placeholder. `findings` sorted and non-overlapping. */
export function redactFindings(text: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return text;
  let out = '';
  let at = 0;
  for (const finding of findings) {
    out += text.slice(at, finding.start) + placeholder(finding.detector);
    at = finding.end;
  }
  return out + text.slice(at);
}

/** Adds each finding to `counts`, per detector. */
export function countFindings(counts: Map<DetectorName, number>, findings: readonly Finding[]): void {
  for (const finding of findings) counts.set(finding.detector, (counts.get(finding.detector) ?? 0) + 1);
}

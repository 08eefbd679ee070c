import { OutputTally } from './output-tally.js';
import type { Detector } from './pii/detector.js';
import { findPii, redactFindings, type Finding } from './pii/scan.js';

/**
 * PII redaction of a streamed answer, one redactor per text stream (the content, each tool call's arguments; they
 * may share an OutputTally for one decision). A match may arrive split across deltas ("4111 1111" … "1111 1111"),
 * so the redactor holds back the end of what it has seen and releases text once no match can still grow into it:
 *
 * - always the last `holdChars` characters (default 64: more than any match that contains spaces — a grouped card,
 *   IBAN, phone number, NINO — can span);
 * - and, before that, the whole token-like run (letters, digits and `_ - . + / = @ %`) the cut would fall in, since
 *   e-mail addresses, API keys and JWTs are single runs that can be longer than the window;
 * - and any match the cut would fall in (a PEM block stays held from its BEGIN line until its END line arrives);
 * - but never more than `maxHoldChars` (default 8,192): past that the text is released, and a match longer than
 *   that and still open is redacted only in the part not yet sent.
 *
 * The latency trade-off: with output redaction on, a streamed answer reaches the client about 64 characters (~16
 * tokens, a few hundred milliseconds at usual generation speeds) behind the model, longer while a long unbroken run
 * such as a key or a long URL is arriving; everything held is released by end(). With it off (the default) there is
 * no redactor and no delay. The scan reruns over the held text plus 64 characters of context already sent (for the
 * detectors' look-behind and keywords) at each delta: O(holdChars) per delta, not O(answer).
 */
interface StreamRedactorOptions {
  readonly holdChars?: number;
  readonly maxHoldChars?: number;
  /** Shared with the answer's other streams, for one decision per answer. */
  readonly tally?: OutputTally;
}

const TOKEN_CHAR = /[A-Za-z0-9_\-.+/=@%]/;
const CONTEXT_CHARS = 64;

export class StreamRedactor {
  readonly tally: OutputTally;
  private readonly holdChars: number;
  private readonly maxHoldChars: number;
  private sent = ''; // the last CONTEXT_CHARS characters already released, as the model wrote them
  private held = '';

  constructor(
    private readonly detectors: readonly Detector[],
    options: StreamRedactorOptions = {},
  ) {
    this.holdChars = options.holdChars ?? 64;
    this.maxHoldChars = Math.max(options.maxHoldChars ?? 8192, this.holdChars);
    this.tally = options.tally ?? new OutputTally();
  }

  /** Takes the next delta; returns the text that is now safe to send, redacted (often ''). */
  push(delta: string): string {
    this.held += delta;
    // Nothing can be released while the held text fits the window: spare the scan.
    return this.held.length <= this.holdChars ? '' : this.release(false);
  }

  /** The stream ended: everything still held, redacted. */
  end(): string {
    return this.release(true);
  }

  private release(final: boolean): string {
    const scanned = this.sent + this.held;
    const from = this.sent.length;
    const findings = findPii(scanned, this.detectors).filter((finding) => finding.end > from);
    const cut = final ? scanned.length : this.cutPoint(scanned, from, findings);
    if (cut <= from) return '';
    // Findings inside what is released, clipped to it and made relative to it (a match that began in text already
    // sent, possible only for one longer than the hold, is redacted from here on).
    const released: Finding[] = findings
      .filter((finding) => finding.start < cut)
      .map((finding) => ({ ...finding, start: Math.max(finding.start, from) - from, end: finding.end - from }));
    this.tally.add(released);
    const out = redactFindings(scanned.slice(from, cut), released);
    this.sent = scanned.slice(Math.max(0, cut - CONTEXT_CHARS), cut);
    this.held = scanned.slice(cut);
    return out;
  }

  /** Where the released text ends: see the class comment. */
  private cutPoint(text: string, from: number, findings: readonly Finding[]): number {
    const floor = Math.max(from, text.length - this.maxHoldChars);
    let cut = text.length - this.holdChars;
    while (cut > floor && TOKEN_CHAR.test(text.charAt(cut)) && TOKEN_CHAR.test(text.charAt(cut - 1))) cut -= 1;
    for (const finding of findings) if (finding.start < cut && finding.end > cut) cut = finding.start;
    if (cut >= floor) return cut;
    // Held too long: release up to the floor, or past the end of a match the floor falls in.
    const straddling = findings.find((finding) => finding.start < floor && finding.end > floor);
    return straddling?.end ?? floor;
  }
}

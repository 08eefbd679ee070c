import type { RequestText } from './texts.js';

/**
 * Prompt-injection heuristics: phrases that try to override or reveal the instructions an application gave the
 * model, jailbreak personas, chat-template tokens smuggled into user text, and base64 blobs that decode to such
 * instructions. They read user messages and tool results (the way indirect injection arrives), not the
 * application's own system/developer messages. They only flag: a decision for the header and the logs, never a
 * rejection — phrases like these also occur in honest requests ("how do I ignore previous commits?" does not match,
 * but a security team's own test prompts would).
 *
 * Each pattern is bounded: literal words joined by `\s{1,3}` or a lazy `[^.\n]{0,40}?` gap, no nested quantifiers.
 */
type InjectionRule =
  | 'ignore-instructions'
  | 'override-system-prompt'
  | 'reveal-system-prompt'
  | 'jailbreak-persona'
  | 'role-markers'
  | 'encoded-instructions';

const PHRASE_RULES: readonly { readonly rule: InjectionRule; readonly pattern: RegExp }[] = [
  {
    rule: 'ignore-instructions',
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|original|initial|all)\s{1,3}(?:instructions?|prompts?|rules|directions|directives|guidelines)\b/i,
  },
  {
    rule: 'override-system-prompt',
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,20}?\b(?:system\s{1,3}(?:prompt|message)|safety\s{1,3}(?:guidelines|rules|filters)|content\s{1,3}polic(?:y|ies))\b/i,
  },
  {
    rule: 'reveal-system-prompt',
    pattern:
      /\b(?:reveal|show|print|repeat|output|display|dump|leak|tell\s{1,3}me|what\s{1,3}(?:is|are|were))\b[^.\n?]{0,20}?\b(?:your\s{1,3}(?:(?:system|initial|original|hidden|secret)\s{1,3})?(?:prompt|instructions)|the\s{1,3}(?:system|initial|original|hidden)\s{1,3}(?:prompt|instructions|message))\b|\brepeat\s{1,3}(?:the\s{1,3})?(?:words|text)\s{1,3}above\b/i,
  },
  {
    rule: 'jailbreak-persona',
    pattern:
      /\b(?:you\s{1,3}are\s{1,3}now|act\s{1,3}as|pretend\s{1,3}(?:to\s{1,3}be|you\s{1,3}are))\s{1,3}(?:DAN|an?\s{1,3}(?:unfiltered|uncensored|unrestricted|jailbroken)|in\s{1,3}(?:developer|god|jailbreak)\s{1,3}mode)\b|\bdo\s{1,3}anything\s{1,3}now\b|\b(?:DAN|developer|jailbreak|god)\s{1,3}mode\s{1,3}(?:enabled|activated|on)\b/i,
  },
  {
    rule: 'role-markers',
    pattern:
      /<\|(?:im_start|im_end|system|endoftext|start_header_id|end_header_id|eot_id)\|>|\[\/?INST\]|<<\/?SYS>>|<\/?system>/i,
  },
];

const BASE64_BLOB = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}/g;
const INSTRUCTION_WORDS =
  /\b(?:ignore|disregard|instructions|system\s{1,3}prompt|you\s{1,3}are\s{1,3}now|jailbreak)\b/i;
const MAX_BLOBS = 4;
const MAX_DECODED_CHARS = 4096;

/** Text that is at least 90 % printable ASCII or whitespace (what instructions decode to; binary does not). */
function printable(text: string): boolean {
  let ok = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code >= 32 && code < 127) || code === 9 || code === 10 || code === 13) ok += 1;
  }
  return text.length > 0 && ok >= text.length * 0.9;
}

function hasEncodedInstructions(text: string): boolean {
  if (text.length < 40) return false;
  BASE64_BLOB.lastIndex = 0;
  let blobs = 0;
  for (let match = BASE64_BLOB.exec(text); match !== null && blobs < MAX_BLOBS; match = BASE64_BLOB.exec(text)) {
    blobs += 1;
    const blob = match[0].slice(0, MAX_DECODED_CHARS - (MAX_DECODED_CHARS % 4));
    const decoded = Buffer.from(blob, 'base64').toString('latin1');
    if (
      printable(decoded) &&
      (INSTRUCTION_WORDS.test(decoded) || PHRASE_RULES.some(({ pattern }) => pattern.test(decoded)))
    )
      return true;
  }
  return false;
}

/** The rules that fire on the user messages and tool results, in rule order; empty when none. */
export function injectionFlags(texts: readonly RequestText[]): InjectionRule[] {
  const read = texts.filter(({ role }) => role === 'user' || role === 'tool');
  const fired: InjectionRule[] = PHRASE_RULES.filter(({ pattern }) => read.some(({ text }) => pattern.test(text))).map(
    ({ rule }) => rule,
  );
  if (read.some(({ text }) => hasEncodedInstructions(text))) fired.push('encoded-instructions');
  return fired;
}

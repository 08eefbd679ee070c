/**
 * `npx tsx bench/policies.ts`: the CPU cost of the policy engine, in process (no HTTP). Every policy on, all
 * PII detectors in redact mode, three deny rules, injection flagging; prompts of 10 and 100 KB, adversarial inputs
 * (long runs that would make a backtracking regex explode), and a streamed answer through the output redactor.
 */
import type { ChatRequest } from '../lambdas/api/chat-schemas.js';
import { applyRequestPolicies } from '../lambdas/policies/apply.js';
import { policiesSchema } from '../lambdas/policies/config.js';
import { DETECTOR_NAMES } from '../lambdas/policies/pii/names.js';
import { StreamRedactor } from '../lambdas/policies/stream-redactor.js';
import { detectorsNamed } from '../lambdas/policies/pii/detectors.js';

const policies = policiesSchema.parse({
  maxInputBytes: 1_000_000,
  maxInputTokens: 1_000_000,
  maxTokensCap: { limit: 4096 },
  pii: { mode: 'redact', detectors: DETECTOR_NAMES, applyToOutput: true },
  deny: [
    { pattern: '\\bproject\\s+bluebird\\b', flags: 'i' },
    { pattern: 'internal-only' },
    { pattern: '\\bconfidential\\b', flags: 'i' },
  ],
  promptInjection: 'flag',
});

const WITH_PII =
  'Hi team, the customer Jane (jane.doe@acme.io, +44 20 7946 0958) reported that order #100245789 from 2024-03-15 ' +
  'was charged twice on card 4539 1488 0343 6467. The refund should go to NL91 ABNA 0417 1643 00. Revenue grew 12.5%. ';
const PROSE =
  'The quick brown fox jumps over the lazy dog while the committee reviews the budget for the next fiscal year. ';
const sized = (unit: string, bytes: number): string => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);

const INPUTS: readonly (readonly [string, string])[] = [
  ['10 KB prose, no PII', sized(PROSE, 10_240)],
  ['10 KB, PII every ~230 characters', sized(WITH_PII, 10_240)],
  ['100 KB prose', sized(PROSE, 102_400)],
  ['100 KB of one digit', '1'.repeat(102_400)],
  ['100 KB of "1 "', sized('1 ', 102_400)],
  ['100 KB of "a@a."', sized('a@a.', 102_400)],
  ['100 KB of "+1 "', sized('+1 ', 102_400)],
  ['100 KB of "ignore "', sized('ignore ', 102_400)],
];

/** Mean milliseconds of `run` over enough repetitions to take about half a second. */
function timed(run: () => void): number {
  for (let i = 0; i < 3; i += 1) run();
  let repetitions = 0;
  const started = performance.now();
  while (performance.now() - started < 500) {
    run();
    repetitions += 1;
  }
  return (performance.now() - started) / repetitions;
}

for (const [name, text] of INPUTS) {
  const request: ChatRequest = { model: 'demo', messages: [{ role: 'user', content: text }] };
  const ms = timed(() => applyRequestPolicies(request, policies, { plan: 'bench' }));
  process.stdout.write(`${name.padEnd(36)} ${ms.toFixed(3).padStart(8)} ms per request\n`);
}

const answer = sized(WITH_PII, 4_000);
const detectors = detectorsNamed(DETECTOR_NAMES);
const ms = timed(() => {
  const redactor = new StreamRedactor(detectors);
  for (let i = 0; i < answer.length; i += 4) redactor.push(answer.slice(i, i + 4));
  redactor.end();
});
process.stdout.write(
  `${'stream: 4,000 chars in 4-char deltas'.padEnd(36)} ${ms.toFixed(3).padStart(8)} ms per answer\n`,
);

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../lib/paths.js';

/** A fenced block of the README: its first line's number (the fence), language, text and readme-test marker. */
export interface Block {
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  /** `aws` (needs an AWS account) or `excerpt` (a fragment): the HTML comment right above the fence. */
  readonly marker: string | undefined;
}

export const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

export function blocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const found: Block[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README line ${i + 1}: a fence that never closes`);
    const marker = /^<!-- readme-test: ([\w-]+) -->$/.exec(lines[i - 1] ?? '')?.[1];
    found.push({ line: i + 1, lang: open[1] ?? '', text: lines.slice(i + 1, end).join('\n'), marker });
    i = end;
  }
  return found;
}

/** The commands of a shell block: continuation lines joined, comments and empty lines dropped. */
export const shellLines = (block: Block): string[] =>
  block.text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s+)#.*$/, '').trim())
    .filter((line) => line !== '');

/**
 * A shell command's words, as a POSIX shell splits them for the simple lines a README has: whitespace separates,
 * '…' and "…" quote (no expansions inside), and the words end at a redirection or another command (`>`, `|`, `;`, `&&`).
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) throw new Error(`unterminated quote in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (word === undefined && /[>|;&]/.test(c)) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

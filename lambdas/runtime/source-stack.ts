import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces in the sources' terms without `--enable-source-maps` (which parses the map at every init): the map
 * beside the running bundle (`index.mjs.map`) is read on the first unexpected error only, and the frames that point
 * into the bundle are rewritten to the source file, line and column. Elsewhere (tests, `npm start`, no map) a stack
 * stays as it is.
 */
const here = import.meta.url;
let map: SourceMap | null | undefined;

function bundleMap(): SourceMap | null {
  if (map !== undefined) return map;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(here)}.map`, 'utf8')) as SourceMapPayload);
  } catch {
    map = null;
  }
  return map;
}

const escaped = here.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const FRAME = new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g');

/** `stack` with each frame in the running bundle mapped to its source (unchanged when there is no map). */
export function sourceStack(stack: string): string {
  if (!stack.includes(here)) return stack;
  const sourceMap = bundleMap();
  if (sourceMap === null) return stack;
  return stack.replace(FRAME, (frame, line: string, column: string) => {
    const entry = sourceMap.findEntry(Number(line) - 1, Number(column) - 1);
    if (!('originalSource' in entry) || entry.originalSource === undefined) return frame;
    return `${entry.originalSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

/** The error with its stack mapped (in place, once), for the log line of an unexpected error. */
export function withSourceStack<T>(error: T): T {
  if (error instanceof Error && typeof error.stack === 'string') error.stack = sourceStack(error.stack);
  return error;
}

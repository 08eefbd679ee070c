import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Stack traces in the sources' terms without `--enable-source-maps` (which parses the maps at every init): a bundle
 * is an entry (`index.mjs`) and chunks (`chunk-*.mjs`) in one directory, each with its map beside it. A file's map
 * is read the first time an unexpected error has a frame in that file, and those frames are rewritten to the source
 * file, line and column. Elsewhere (tests, `npm start`, no map) a stack stays as it is.
 */
const dir = new URL('.', import.meta.url).href;
const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  const known = maps.get(file);
  if (known !== undefined) return known;
  let map: SourceMap | null;
  try {
    map = new SourceMap(
      JSON.parse(readFileSync(`${fileURLToPath(new URL(file, dir))}.map`, 'utf8')) as SourceMapPayload,
    );
  } catch {
    map = null;
  }
  maps.set(file, map);
  return map;
}

const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A frame's location in one of the bundle's files (directly in its directory: `<dir><file>.mjs:<line>:<column>`). */
const FRAME = new RegExp(`${escaped}([^/\\s:()]+\\.mjs):(\\d+):(\\d+)`, 'g');

/** `stack` with each frame in the running bundle's files mapped to its source (unchanged without a map). */
export function sourceStack(stack: string): string {
  if (!stack.includes(dir)) return stack;
  return stack.replace(FRAME, (frame, file: string, line: string, column: string) => {
    const sourceMap = mapOf(file);
    if (sourceMap === null) return frame;
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

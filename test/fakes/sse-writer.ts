import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Writes server-sent events the way a real network delivers them: cut into pieces at arbitrary byte positions —
 * inside `data:` prefixes, inside JSON, inside multi-byte UTF-8 characters, across event boundaries — one piece per
 * `write`. The cuts come from a seeded generator, so a failing test replays the same pieces.
 *
 * - `sseFrame(data)`: `data: <data>\n\n`.
 * - `splitBytes(bytes, { seed, maxPieceBytes })`: the pieces alone (pure; for tests of the splitter itself).
 * - `writeSse(res, frames, options)`: writes frames (already framed text) with optional byte splitting, a delay before
 *   each frame, and a disconnect part-way through a frame. Resolves with how the stream ended.
 */

export interface SplitOptions {
  readonly seed: number;
  /** Largest piece, in bytes (default 16). Pieces are 1..maxPieceBytes long. */
  readonly maxPieceBytes?: number;
}

export interface SseWriteOptions {
  /** Byte splitting; `false` writes each frame in one piece. */
  readonly split: SplitOptions | false;
  /** Wait this long before the first byte of every frame (pieces then never straddle two frames). */
  readonly frameDelayMs?: number;
  /** Write this many whole frames, then half of the next, then destroy the socket (no terminating chunk). */
  readonly disconnectAfterFrames?: number;
  /** Called just before that scripted disconnect. */
  readonly beforeDisconnect?: () => void;
  /** Aborting ends frame delays at once; the stream then stops as if the client had gone. */
  readonly signal?: AbortSignal;
  /** Write this many whole frames, then wait for `until` before the rest (a stream held mid-way). */
  readonly hold?: { readonly afterFrames: number; readonly until: Promise<void> };
}

/** How a stream ended: written and ended, cut by us on purpose, or the client went away first. */
export type SseOutcome = 'ended' | 'disconnected' | 'client-gone';

export const sseFrame = (data: string): string => `data: ${data}\n\n`;

/** mulberry32: a tiny deterministic generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cut offsets in (0, length): seeded steps of 1..maxPieceBytes bytes. */
function cutOffsets(length: number, options: SplitOptions): number[] {
  const random = seededRandom(options.seed);
  const max = Math.max(1, options.maxPieceBytes ?? 16);
  const cuts: number[] = [];
  for (let at = 1 + Math.floor(random() * max); at < length; at += 1 + Math.floor(random() * max)) cuts.push(at);
  return cuts;
}

function piecesAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    if (cut <= from || cut >= bytes.length) continue;
    pieces.push(bytes.subarray(from, cut));
    from = cut;
  }
  if (from < bytes.length) pieces.push(bytes.subarray(from));
  return pieces;
}

export function splitBytes(bytes: Uint8Array, options: SplitOptions): Buffer[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return piecesAt(buffer, cutOffsets(buffer.length, options));
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal === undefined ? {} : { signal });
    return true;
  } catch {
    return false;
  }
}

/** One write, resolved once the bytes reached the socket (so every piece is its own send); false if the client left. */
function writePiece(res: ServerResponse, piece: Buffer): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    res.write(piece, (err) => resolve(err === undefined || err === null));
  });
}

interface Plan {
  readonly bytes: Buffer;
  /** Byte offset where each frame starts. */
  readonly frameStarts: readonly number[];
  /** Bytes to write before ending or cutting the connection. */
  readonly stopAt: number;
  readonly disconnect: boolean;
}

function plan(frames: readonly string[], disconnectAfterFrames: number | undefined): Plan {
  const encoded = frames.map((frame) => Buffer.from(frame, 'utf8'));
  const frameStarts: number[] = [];
  let offset = 0;
  for (const frame of encoded) {
    frameStarts.push(offset);
    offset += frame.length;
  }
  const bytes = Buffer.concat(encoded, offset);
  if (disconnectAfterFrames === undefined) return { bytes, frameStarts, stopAt: bytes.length, disconnect: false };
  const start = frameStarts[disconnectAfterFrames] ?? bytes.length;
  const next = encoded[disconnectAfterFrames];
  const stopAt = start + (next === undefined ? 0 : Math.max(1, Math.floor(next.length / 2)));
  return { bytes, frameStarts, stopAt, disconnect: true };
}

export async function writeSse(
  res: ServerResponse,
  frames: readonly string[],
  options: SseWriteOptions,
): Promise<SseOutcome> {
  const { bytes, frameStarts, stopAt, disconnect } = plan(frames, options.disconnectAfterFrames);
  const body = bytes.subarray(0, stopAt);
  const delay = options.frameDelayMs ?? 0;
  const holdAt = options.hold === undefined ? undefined : frameStarts[options.hold.afterFrames];
  const frameCuts = frameStarts.filter((start) => start > 0 && start < body.length);
  const cuts =
    options.split === false
      ? frameCuts
      : [
          ...new Set([
            ...cutOffsets(body.length, options.split),
            ...(delay > 0 ? frameCuts : []),
            ...(holdAt === undefined ? [] : [holdAt]),
          ]),
        ].sort((a, b) => a - b);
  const starts = new Set(frameStarts);
  let from = 0;
  for (const piece of piecesAt(body, cuts)) {
    if (from === holdAt) await options.hold?.until;
    if (delay > 0 && starts.has(from) && !(await pause(delay, options.signal))) return 'client-gone';
    if (!(await writePiece(res, piece))) return 'client-gone';
    from += piece.length;
  }
  if (disconnect) {
    options.beforeDisconnect?.();
    res.socket?.destroy();
    res.destroy();
    return 'disconnected';
  }
  if (res.destroyed) return 'client-gone';
  await new Promise<void>((resolve) => res.end(resolve));
  return 'ended';
}

import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { DynaliteEngine } from '../engine/dynalite-engine.js';
import type { WireItem } from './attribute-values.js';

/** An item as it was before a transaction: restored by writing `old` back, or by deleting the key if it had none. */
export interface UndoImage {
  readonly table: string;
  readonly key: WireItem;
  readonly old?: WireItem | undefined;
}

/**
 * The front's undo log on disk, so that a transaction is all-or-nothing across a crash too. A transaction is applied
 * item by item (apply.ts); a process killed in between would leave some of its items written — a booking's counters
 * without its record, which the ledger journal's replay would then count again. So before its first write, the
 * transaction's before-images go to this file as ONE line (one write(2): the OS keeps it when the process is killed,
 * as LevelDB's own log), and the file is emptied once the transaction committed or was undone. At start, a complete
 * line left in the file is a transaction the process died inside: its before-images are written back (idempotent:
 * the same images however often a crash repeats it). A line cut short was never followed by a write. Writes are
 * serialized (the front's lock), so the file holds at most one transaction. Like LevelDB here, no fsync: it holds
 * against a killed process, not a power cut.
 */
export class UndoLog {
  private constructor(
    private fd: number | undefined,
    /** The images of a transaction a previous run died inside, to restore before serving. */
    readonly left: readonly UndoImage[] | undefined,
  ) {}

  static open(path: string): UndoLog {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new UndoLog(openSync(path, 'a'), parse(text));
  }

  /** Records the before-images of the transaction about to be applied (before its first write). */
  write(images: readonly UndoImage[]): void {
    if (this.fd === undefined) throw new Error('the undo log is closed');
    writeSync(this.fd, `${JSON.stringify(images)}\n`);
  }

  /** The transaction is settled (committed, or undone): nothing is left to undo. */
  clear(): void {
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function parse(text: string): UndoImage[] | undefined {
  // Only a whole line (ended by its newline) was followed by writes; a cut one means the process died writing it.
  if (!text.endsWith('\n')) return undefined;
  try {
    const images = JSON.parse(text) as unknown;
    return Array.isArray(images) ? (images as UndoImage[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the before-images back, unconditionally: the items are as they were before the transaction began. */
export async function restoreImages(engine: DynaliteEngine, images: readonly UndoImage[]): Promise<void> {
  for (const { table, key, old } of images) {
    if (old !== undefined) await engine.call('PutItem', { TableName: table, Item: old });
    else await engine.call('DeleteItem', { TableName: table, Key: key });
  }
}

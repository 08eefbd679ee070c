import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { WireItem } from './attribute-values.js';

/** One request record as the local stream carries it: its sequence number, table and item (wire form). */
export interface LoggedInsert {
  readonly seq: string;
  readonly table: string;
  readonly item: WireItem;
}

/**
 * The local stream's log on disk (`<path>.stream`), so that a record written just before a kill still reaches the
 * aggregator: each request record's line is written (one write(2), before its PutItem) and the file is emptied once
 * everything written has been aggregated. At start, the lines left are replayed: a line whose item is in the table
 * with the same `_seq` was inserted by that put (a put that failed or never ran left no such item), and the
 * aggregator's marker skips what it applied before. Like undo-log.ts, no fsync: it holds against a killed process.
 */
export class StreamLog {
  private constructor(
    private fd: number | undefined,
    /** What a previous run logged and may not have aggregated. */
    readonly left: readonly LoggedInsert[],
  ) {}

  static open(path: string): StreamLog {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new StreamLog(openSync(path, 'a'), parse(text));
  }

  write(insert: LoggedInsert): void {
    if (this.fd === undefined) throw new Error('the stream log is closed');
    writeSync(this.fd, `${JSON.stringify(insert)}\n`);
  }

  clear(): void {
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function parse(text: string): LoggedInsert[] {
  const inserts: LoggedInsert[] = [];
  // A line cut short (the process died writing it) was never followed by its put.
  for (const line of text.split('\n').slice(0, -1)) {
    try {
      const value = JSON.parse(line) as Partial<LoggedInsert>;
      if (typeof value.seq === 'string' && typeof value.table === 'string' && typeof value.item === 'object')
        inserts.push(value as LoggedInsert);
    } catch {
      // not a whole line
    }
  }
  return inserts;
}

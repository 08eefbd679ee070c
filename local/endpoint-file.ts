import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the local gateway writes where it listens, in its data directory (the CLI reads it: cli/local-discovery.ts). */
export const ENDPOINT_FILE = 'local-gateway.json';

/** What the file holds. */
export interface EndpointRecord {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
}

/**
 * Writes `<dataDir>/local-gateway.json` and returns its removal, which leaves a file another gateway has written
 * since (two gateways on one data directory: the later one is the one found).
 */
export function publishEndpoint(dataDir: string, url: string, port: number): () => void {
  const file = join(dataDir, ENDPOINT_FILE);
  const text = `${JSON.stringify({ url, port, pid: process.pid } satisfies EndpointRecord)}\n`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, text);
  return () => {
    try {
      if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
}

import type { Server } from 'node:http';

/**
 * How the bench's child servers end: on SIGTERM, SIGINT, or when their stdin closes (the benchmark is gone), `stop`
 * runs once and the process exits 0 once it resolves (1 if it fails).
 */
export function exitWhenAsked(stop: () => Promise<void>): void {
  let closing = false;
  const close = (): void => {
    if (closing) return;
    closing = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  process.stdin.on('end', close);
  process.stdin.on('close', close);
  process.stdin.resume();
}

/** Stops an HTTP server: no new connections, open ones dropped. */
export const closeServer = (server: Server) => (): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

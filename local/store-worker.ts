import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority, STORE_THREAD_NICE } from './thread-priority.js';
import { startTransactFront } from './transact-front.js';
import { DynamoLimits } from './transact/dynamo-limits.js';

/**
 * The embedded store's thread: opens the engine on `workerData.path`, serves it (transact-front.ts), tells the parent
 * its endpoint, and on the parent's 'close' closes it and ends the thread (closing its port). Its own thread keeps dynalite's work off the gateway's event loop.
 */
const port = parentPort;
if (port === null) throw new Error('store-worker.ts runs as a worker thread');
const { path, limits } = workerData as { path: string; limits?: 'dynamodb' | 'off' };
// Background batches of bookings yield to the requests the gateway's thread is serving.
lowerThreadPriority(STORE_THREAD_NICE);
try {
  // Without the option, the front reads GATEWAY_STORE_LIMITS.
  const front = await startTransactFront(path, {
    ...(limits === 'dynamodb' ? { limits: new DynamoLimits() } : limits === 'off' ? { limits: false } : {}),
  });
  port.on('message', (message: unknown) => {
    if (message !== 'close') return;
    front.close().then(
      () => port.close(),
      (err: unknown) => {
        port.postMessage({ error: err instanceof Error ? err.message : String(err) });
        port.close();
      },
    );
  });
  port.postMessage({ endpoint: front.endpoint });
} catch (err) {
  port.postMessage({ error: err instanceof Error ? err.message : String(err) });
}

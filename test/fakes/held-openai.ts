/**
 * An OpenAI-compatible upstream that never finishes an answer: it holds each request open at a chosen point until
 * its client (the gateway) leaves, and tells the test when that happened — so a test can await the upstream call's
 * abort as an event instead of timing it.
 *
 *   const held = await startHeldOpenAI();               // url ends in /v1, like startFakeOpenAI's
 *   held.hold('first-content');                         // the next request: 200, role + one content chunk, then silence
 *   await held.arrived(0);                              // the gateway's request has reached the upstream
 *   await held.requests[0]?.closed;                     // its connection closed before any answer was complete
 *
 * Holds: `'answer'` (nothing at all: no status, no headers — a JSON answer or a stream's first byte being awaited),
 * `'first-content'` (a stream's 200, its role chunk and one content chunk, then silence). Without a queued hold, a
 * request is held at `'answer'`. Every hold lasts until the client leaves or the fake is closed.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJsonBody } from './read-body.js';
import { sseFrame } from './sse-writer.js';
import type { FakeServer } from './fake-server.js';
import { textChunks } from './fake-openai.js';

export type Hold = 'answer' | 'first-content';

export interface HeldRequest {
  readonly path: string;
  readonly body: unknown;
  readonly hold: Hold;
  /** Resolves when the client closed this request's connection (the upstream call was aborted). */
  readonly closed: Promise<void>;
}

export interface HeldOpenAI extends FakeServer<Hold, HeldRequest> {
  hold(...holds: Hold[]): void;
  /** Resolves once the `index`-th request (from 0) has arrived and its hold is in place. */
  arrived(index: number): Promise<HeldRequest>;
}

export async function startHeldOpenAI(apiKey = 'sk-held-openai'): Promise<HeldOpenAI> {
  const queue: Hold[] = [];
  const requests: HeldRequest[] = [];
  const waiting = new Map<number, (request: HeldRequest) => void>();
  const open = new Set<ServerResponse>();

  const placed = (request: HeldRequest): void => {
    requests.push(request);
    waiting.get(requests.length - 1)?.(request);
  };

  const server = createServer((req, res) => {
    void readJsonBody(req).then((body) => {
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"error":{"message":"bad key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}');
        return;
      }
      const hold = queue.shift() ?? 'answer';
      open.add(res);
      const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
      void closed.then(() => open.delete(res));
      if (hold === 'first-content') {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
        const [role, content] = textChunks('held answer', { parts: 2 });
        res.write(sseFrame(JSON.stringify(role)) + sseFrame(JSON.stringify(content)));
      }
      placed({ path: req.url ?? '/', body, hold, closed });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey,
    requests,
    enqueue: (...holds) => void queue.push(...holds),
    hold: (...holds) => void queue.push(...holds),
    pending: () => queue.length,
    arrived: (index) => {
      const request = requests[index];
      return request !== undefined ? Promise.resolve(request) : new Promise((resolve) => waiting.set(index, resolve));
    },
    close: async () => {
      for (const res of open) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

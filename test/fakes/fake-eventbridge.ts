import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One entry of a PutEvents call as EventBridge receives it (awsJson1_1: Detail is a JSON string). */
export interface PutEventsEntry {
  readonly EventBusName?: string;
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
}

export interface FakeEventBridge {
  readonly url: string;
  /** Every entry of every PutEvents call, in order. */
  readonly entries: PutEventsEntry[];
  close(): Promise<void>;
}

/**
 * EventBridge's PutEvents at the network layer (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`): records the
 * entries and accepts them all. Point the SDK at it with AWS_ENDPOINT_URL_EVENTBRIDGE.
 */
export async function startFakeEventBridge(): Promise<FakeEventBridge> {
  const entries: PutEventsEntry[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException' }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEventsEntry[] };
      const got = body.Entries ?? [];
      entries.push(...got);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: got.map((_, i) => ({ EventId: `event-${i}` })) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    entries,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import { request, type Agent } from 'node:http';
import { StreamWatch } from './client.js';

/** One request of the AWS mode, its moments as process.hrtime.bigint() readings (the store proxy's clock). */
export interface TimedExchange {
  readonly startedAt: bigint;
  /** The first body byte reached the client. */
  readonly firstByteAt: bigint;
  /** Streams: the first content delta had fully arrived. */
  readonly firstContentAt?: bigint;
  /** The last byte. */
  readonly endedAt: bigint;
}

/** POSTs `body` and notes when the answer's first byte, first content (streams) and last byte arrived. */
export function exchange(
  url: URL,
  headers: Readonly<Record<string, string>>,
  agent: Agent,
  body: Buffer,
  stream: boolean,
  timeoutMs: number,
): Promise<TimedExchange> {
  return new Promise((resolve, reject) => {
    const startedAt = process.hrtime.bigint();
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.setEncoding('utf8');
        let firstByteAt: bigint | undefined;
        let text = '';
        const watch = new StreamWatch();
        res.on('data', (part: string) => {
          firstByteAt ??= process.hrtime.bigint();
          if (res.statusCode !== 200) text = (text + part).slice(0, 300);
          else if (stream) watch.push(part);
        });
        res.on('error', reject);
        res.on('end', () => {
          const endedAt = process.hrtime.bigint();
          if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode ?? '?'}: ${text}`));
          if (stream && !watch.complete()) return reject(new Error('stream ended without content or data: [DONE]'));
          resolve({
            startedAt,
            firstByteAt: firstByteAt ?? endedAt,
            ...(stream && watch.firstContentAt !== undefined ? { firstContentAt: watch.firstContentAt } : {}),
            endedAt,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no complete answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

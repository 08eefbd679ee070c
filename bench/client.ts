import { Agent, request } from 'node:http';
import { msBetween } from './stats.js';

/** Where one row sends its requests: a chat completions URL, its headers (credentials), and its keep-alive agent. */
export interface Target {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly agent: Agent;
  /** A request without a complete answer after this long is aborted and counted as a timeout. */
  readonly timeoutMs: number;
}

/**
 * One timed request: total latency (from the call that sends it to the last byte), and for streams the time to the
 * first content delta. A failure says whether it was the timeout.
 */
export type Sample =
  | { readonly ok: true; readonly latencyMs: number; readonly ttftMs?: number }
  | { readonly ok: false; readonly error: string; readonly timedOut?: true };

export const keepAliveAgent = (maxSockets: number): Agent =>
  new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });

/** Whether a complete SSE event carries the first piece of text (`choices[0].delta.content`). */
function hasContent(event: string): boolean {
  for (const line of event.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const payload = line.slice(5).trim();
    if (payload === '[DONE]' || payload === '') continue;
    try {
      const chunk = JSON.parse(payload) as { choices?: { delta?: { content?: unknown } }[] };
      const content = chunk.choices?.[0]?.delta?.content;
      if (typeof content === 'string' && content.length > 0) return true;
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Reads an SSE body: notes the moment the first content delta has fully arrived, and whether the stream ended with
 * `data: [DONE]`. Parsing stops after the first content; only a short tail is kept from then on.
 */
export class StreamWatch {
  private pending = '';
  private found = false;
  private tail = '';
  firstContentAt: bigint | undefined;

  push(text: string): void {
    if (!this.found) {
      this.pending += text.replace(/\r\n/g, '\n');
      let end: number;
      while (!this.found && (end = this.pending.indexOf('\n\n')) >= 0) {
        const event = this.pending.slice(0, end);
        this.pending = this.pending.slice(end + 2);
        if (hasContent(event)) {
          this.found = true;
          this.firstContentAt = process.hrtime.bigint();
        }
      }
      if (this.found) this.tail = this.pending.slice(-64);
      return;
    }
    this.tail = (this.tail + text).slice(-64);
  }

  complete(): boolean {
    return this.found && /data: ?\[DONE\]\s*$/.test(this.tail);
  }
}

/** POSTs `body` to the target and times it with process.hrtime.bigint(). Never rejects. */
export function timedRequest(target: Target, body: Buffer, stream: boolean): Promise<Sample> {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    let settled = false;
    const resolve = (sample: Sample): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(sample);
    };
    const fail = (error: string): void => resolve({ ok: false, error });
    const req = request(
      target.url,
      {
        method: 'POST',
        agent: target.agent,
        headers: { ...target.headers, 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.setEncoding('utf8');
        res.on('error', (err) => fail(`response: ${err.message}`));
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (part: string) => (text = (text + part).slice(0, 300)));
          res.on('end', () => fail(`HTTP ${res.statusCode ?? '?'}: ${text.replace(/\s+/g, ' ').slice(0, 200)}`));
          return;
        }
        if (!stream) {
          res.resume();
          res.on('end', () => resolve({ ok: true, latencyMs: msBetween(started, process.hrtime.bigint()) }));
          return;
        }
        const watch = new StreamWatch();
        res.on('data', (part: string) => watch.push(part));
        res.on('end', () => {
          const ended = process.hrtime.bigint();
          if (watch.firstContentAt === undefined) return fail('stream ended without a content delta');
          if (!watch.complete()) return fail('stream ended without data: [DONE]');
          resolve({ ok: true, latencyMs: msBetween(started, ended), ttftMs: msBetween(started, watch.firstContentAt) });
        });
      },
    );
    const timer = setTimeout(() => {
      resolve({ ok: false, error: `timeout: no complete answer within ${target.timeoutMs / 1000} s`, timedOut: true });
      req.destroy();
    }, target.timeoutMs);
    req.on('error', (err) => fail(`request: ${err.message}`));
    req.end(body);
  });
}

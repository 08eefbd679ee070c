import { randomBytes } from 'node:crypto';
import { startChild, tsxScript, type ChildHandle } from './children.js';

export interface Upstream {
  /** Base URL including /v1. */
  readonly url: string;
  readonly apiKey: string;
  readonly handle: ChildHandle;
}

/** The fake OpenAI upstream in its own process, answering after `latencyMs`. */
export async function startUpstream(latencyMs: number): Promise<Upstream> {
  const apiKey = `sk-bench-${randomBytes(12).toString('hex')}`;
  const { handle, match } = await startChild(
    'fake OpenAI upstream',
    tsxScript('bench/processes/upstream-main.ts'),
    { ...process.env, BENCH_UPSTREAM_KEY: apiKey, BENCH_LATENCY_MS: String(latencyMs) },
    /FAKE_OPENAI_URL (\S+)/,
  );
  return { url: match[1] ?? '', apiKey, handle };
}

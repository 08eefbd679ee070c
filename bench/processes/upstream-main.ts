/**
 * The benchmark's upstream, as its own process: the fake OpenAI API in fixed-latency mode (constant reply, no
 * recording). Env: BENCH_UPSTREAM_KEY, BENCH_LATENCY_MS. Prints `FAKE_OPENAI_URL <url>`; exits on SIGTERM, SIGINT or
 * when its stdin closes (the benchmark is gone).
 */
import { startFakeOpenAI } from '../../test/fakes/fake-openai.js';
import { exitWhenAsked } from './child-exit.js';

const fake = await startFakeOpenAI({
  ...(process.env.BENCH_UPSTREAM_KEY ? { apiKey: process.env.BENCH_UPSTREAM_KEY } : {}),
  latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 50),
  defaultReply: 'fixed',
  record: false,
});
process.stdout.write(`FAKE_OPENAI_URL ${fake.url}\n`);

exitWhenAsked(() => fake.close());

import { spawn, type ChildProcess } from 'node:child_process';
import OpenAI from 'openai';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';

/** The bench's sdk-floor target must answer like an OpenAI server, or its figures would be about failures. */
describe('bench sdk-floor server', () => {
  let fake: FakeOpenAI;
  let child: ChildProcess;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAI({ split: { seed: 3, maxPieceBytes: 7 } });
    child = spawn(process.execPath, ['--import', 'tsx', 'bench/processes/sdk-floor-main.ts'], {
      env: { ...process.env, BENCH_UPSTREAM_URL: fake.url, BENCH_UPSTREAM_KEY: fake.apiKey },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /SDK_FLOOR_URL (\S+)/.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`sdk-floor exited ${code ?? '?'} before listening`)));
    });
    client = new OpenAI({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
  }, 30_000);

  afterAll(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin?.end();
    await exited;
    await fake.close();
  });

  it('forwards a JSON completion through the SDK with its own upstream key', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello floor' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello floor');
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
  });

  it('streams every chunk in order and ends with [DONE], events batched per turn included', async () => {
    const text = 'A longer answer, streamed in many small upstream pieces';
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: text }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = '';
    let usage = false;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      usage ||= chunk.usage !== undefined && chunk.usage !== null;
    }
    expect(content).toBe(text);
    expect(usage).toBe(true);
  });
});

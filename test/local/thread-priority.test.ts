import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

// The embedded store's thread runs at a lower priority than the gateway's: only that thread (Linux).
const niceOf = (stat: string): number => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
const linux = process.platform === 'linux';
const ownStat = (): string => (linux ? readFileSync('/proc/thread-self/stat', 'utf8') : '');

it('lowers the calling thread only (Linux; elsewhere it says it did nothing)', async () => {
  const module = fileURLToPath(new URL('../../local/thread-priority.ts', import.meta.url));
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    import(${JSON.stringify(module)}).then(({ lowerThreadPriority }) => {
      const applied = lowerThreadPriority(10);
      parentPort.postMessage({ applied, stat: process.platform === 'linux' ? readFileSync('/proc/thread-self/stat', 'utf8') : '' });
    });`;
  const before = ownStat();
  const worker = new Worker(code, { eval: true, execArgv: ['--import', 'tsx'] });
  const answer = await new Promise<{ applied: boolean; stat: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  expect(answer.applied).toBe(linux);
  if (!linux) return;
  expect(niceOf(answer.stat)).toBe(10);
  expect(niceOf(ownStat())).toBe(niceOf(before));
});

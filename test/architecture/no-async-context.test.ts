import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// AsyncLocalStorage (node:async_hooks) puts promise hooks on every promise of the process once used: measured on
// Node 22, promise-heavy code runs ~1.5–2× slower. The runtime carries what a call needs with the call instead
// (e.g. transport/connect-watch.ts: the connection listener as the SDK's fetchOptions).
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );

it('no runtime or local module uses node:async_hooks', () => {
  const users = ['lambdas', 'local']
    .flatMap((dir) => files(dir))
    .filter((file) => /from ['"](node:)?async_hooks['"]/.test(readFileSync(file, 'utf8')));
  expect(users).toEqual([]);
});

import { fileURLToPath } from 'node:url';
import { importCycles, importGraph } from './import-graph.js';

// The house rules of issue 15, checked on every `npm test`: the source folders import one another without a cycle,
// runtime code (lambdas/) imports none of the infrastructure, the emulator, the bench or the CLI (the ESLint rule
// says the same in the editor), and no source file grows past MAX_LINES.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FOLDERS = ['lambdas', 'lib', 'local', 'cli', 'bench', 'bin'];
const NOT_FROM_RUNTIME = ['lib/', 'local/', 'cli/', 'bench/'];
const MAX_LINES = 300;

const files = importGraph(ROOT, FOLDERS);

describe('the source layout', () => {
  test('the graph is read: every folder has files and the runtime imports its own modules', () => {
    for (const folder of FOLDERS) expect(files.some((file) => file.path.startsWith(`${folder}/`))).toBe(true);
    expect(files.find((file) => file.path === 'lambdas/store/client.ts')?.imports).toContain('lambdas/store/tables.ts');
  });

  test('a cycle is found, through any number of files', () => {
    const file = (path: string, imports: string[]) => ({ path, lines: 1, imports });
    const graph = [file('a', ['b']), file('b', ['c']), file('c', ['a']), file('d', ['a']), file('e', ['e'])];
    expect(importCycles(graph)).toEqual([['a', 'b', 'c'], ['e']]);
  });

  test('no import cycles', () => {
    const cycles = importCycles(files).map((cycle) => cycle.join(' → '));
    expect(cycles).toEqual([]);
  });

  test('runtime code imports neither lib/, local/, cli/ nor bench/', () => {
    const offenders = files
      .filter((file) => file.path.startsWith('lambdas/'))
      .flatMap((file) =>
        file.imports
          .filter((target) => NOT_FROM_RUNTIME.some((folder) => target.startsWith(folder)))
          .map((target) => `${file.path} → ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  test(`no source file over ${MAX_LINES} lines`, () => {
    const offenders = files.filter((file) => file.lines > MAX_LINES).map((file) => `${file.path}: ${file.lines} lines`);
    expect(offenders).toEqual([]);
  });
});

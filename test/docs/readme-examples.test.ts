import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { blocks, README, shellLines, type Block } from './readme-blocks.js';

// The README's fenced examples: JSON blocks parse, TypeScript blocks parse, and every `curl` line aimed at the local
// gateway runs against a real one (port 0; `lgw_…` stands for its development key) and succeeds. A block that
// cannot run here says so in an HTML comment right above its fence — `<!-- readme-test: aws -->` (needs an AWS
// account), `<!-- readme-test: excerpt -->` (a fragment, not a whole document) — and the markers are counted.

const all = blocks(README);
const unmarked = (lang: string): Block[] => all.filter((b) => b.lang === lang && b.marker === undefined);

test('every marker is a known one, and the blocks that cannot run here are counted', () => {
  const markers = all.flatMap((b) => (b.marker === undefined ? [] : [b.marker]));
  expect(markers.filter((m) => m !== 'aws' && m !== 'excerpt')).toEqual([]);
  // The deploy walk-through: credentials, bootstrap, deploy, outputs, secret, first key, smoke test (sh and ts), teardown.
  expect(markers.filter((m) => m === 'aws')).toHaveLength(9);
  expect(markers.filter((m) => m === 'excerpt')).toHaveLength(7);
});

test.each(unmarked('json').map((b) => [b.line, b] as const))('the JSON block at line %i parses', (_line, block) => {
  expect(() => JSON.parse(block.text) as unknown).not.toThrow();
});

// Fragments of gateway.config.json (`"plans": { … }`): members of an object, `…` standing for what is left out.
const excerpts = all.filter((b) => b.lang === 'json' && b.marker === 'excerpt');
test.each(excerpts.map((b) => [b.line, b] as const))(
  'the JSON excerpt at line %i parses inside { }',
  (_line, block) => {
    const members = block.text.replaceAll('…', '').replace(/,\s*$/, '');
    expect(() => JSON.parse(`{${members}}`) as unknown).not.toThrow();
  },
);

test.each(all.filter((b) => b.lang === 'ts').map((b) => [b.line, b] as const))(
  'the TypeScript block at line %i parses',
  (_line, block) => {
    const out = ts.transpileModule(block.text, {
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.ESNext },
    });
    expect(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  },
);

/** The `curl` commands of a shell block (continuation lines joined) aimed at the local gateway. */
function localCurls(block: Block): string[] {
  return shellLines(block).filter((line) => line.startsWith('curl ') && line.includes('http://127.0.0.1:8001'));
}

describe('curl examples against the local gateway', () => {
  let gateway: LocalGateway;
  const data = tempDir('readme-examples');
  beforeAll(async () => {
    gateway = await startLocalGateway({
      port: 0,
      host: '127.0.0.1',
      dataDir: data.path,
      configFile: join(REPO_ROOT, 'gateway.config.json'),
    });
  });
  afterAll(async () => {
    await gateway.stop();
    data.remove();
  });

  const commands = unmarked('sh').flatMap((block) =>
    localCurls(block).map((command) => [block.line, command] as const),
  );
  // A request id of one's own (`req_…`) cannot be known in advance: those lines show the shape only.
  const runnable = commands.filter(([, command]) => !command.includes('req_…'));

  test('there are local curl examples to run', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(3);
  });

  test.each(runnable)('the block at line %i: %s', async (_line, command) => {
    const local = command
      .replace(/^curl /, 'curl -sS --fail-with-body ')
      .replaceAll('http://127.0.0.1:8001', gateway.url)
      .replaceAll('lgw_…', gateway.devKey.key);
    const { stdout } = await promisify(execFile)('bash', ['-c', local], { timeout: 30_000 });
    expect(stdout.length).toBeGreaterThan(0);
  });
});

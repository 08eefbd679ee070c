import { join } from 'node:path';
import { parseCommandLine } from '../../cli/args.js';
import { runCli } from '../../cli/run.js';
import { USAGE } from '../../cli/usage.js';
import { deploySettings, SETTING_KEYS } from '../../lib/deploy-settings.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { REMOVAL_POLICY_CONTEXT_KEY } from '../../lib/removal-policy.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { tempDir } from '../helpers/tmp.js';
import { blocks, README, shellLines, shellWords } from './readme-blocks.js';

// The README's command lines: every `npx llm-gateway …` line of a shell block runs against a local gateway on port 0
// (found through its data folder, as `PORT=0 npm start` is: no --url), unless its block needs AWS
// (`<!-- readme-test: aws -->`); those are checked for syntax — the command and its flags are ones the CLI takes
// (`--help` accepts them, nothing is called), and `npx cdk` lines use deploy settings the app reads, with valid values.

interface Command {
  readonly line: number;
  readonly aws: boolean;
  readonly words: readonly string[];
}

const commands = (program: string[]): Command[] =>
  blocks(README)
    .filter((block) => block.lang === 'sh')
    .flatMap((block) =>
      shellLines(block)
        .map(shellWords)
        .filter((words) => words[0] === 'npx' && words[1] === program[0])
        .map((words) => ({ line: block.line, aws: block.marker === 'aws', words: words.slice(2) })),
    );

const cliLines = commands(['llm-gateway']);
const label = (c: Command): string => `line ${c.line}: llm-gateway ${c.words.join(' ')}`;

/** Runs the CLI in this process; `fetch` refuses every call unless given. */
async function cli(
  argv: readonly string[],
  env: Record<string, string>,
  fetchImpl: typeof fetch = () => Promise.reject(new Error('no network in a syntax check')),
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    env,
    fetch: fetchImpl,
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
  });
  return { code, out, err };
}

test('the README has CLI lines of each kind: local keys and usage (CSV too), and the AWS walk-through', () => {
  const local = cliLines.filter((c) => !c.aws).map((c) => c.words.slice(0, 2).join(' '));
  expect(local).toEqual(expect.arrayContaining(['keys create', 'keys list', 'usage', 'usage --format']));
  const aws = cliLines.filter((c) => c.aws).map((c) => c.words.slice(0, 2).join(' '));
  expect(aws).toEqual(expect.arrayContaining(['stack outputs', 'keys create', 'usage-plan-keys delete']));
});

describe('every llm-gateway line: --help accepts its command and flags, without calling anything', () => {
  test.each(cliLines.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    const { code, out, err } = await cli([...c.words, '--help'], {});
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toBe(USAGE);
  });

  test('a flag the command does not take is refused even with --help', async () => {
    expect((await cli(['stack', 'outputs', '--yes', '--help'], {})).code).toBe(2);
    expect((await cli(['stack', 'outputs', '--stak', 'X', '--help'], {})).code).toBe(2);
    expect((await cli(['keys', 'list', '--plan', 'p', '--help'], {})).code).toBe(2);
    expect((await cli(['usage', '--grace', '1h', '--help'], {})).code).toBe(2);
  });
});

describe('the AWS lines', () => {
  const keys = cliLines.filter((c) => c.aws && (c.words[0] === 'keys' || c.words[0] === 'usage'));
  test.each(keys.map((c) => [label(c), c] as const))('%s: a complete, valid command', (_label, c) => {
    expect(() => parseCommandLine(c.words, new Date())).not.toThrow();
  });

  const cdk = commands(['cdk']);
  const contextKeys = new Set<string>([
    ...Object.values(SETTING_KEYS).map((s) => s.context),
    REMOVAL_POLICY_CONTEXT_KEY,
  ]);
  test('there are cdk lines: bootstrap, deploy, destroy', () => {
    expect(new Set(cdk.map((c) => c.words[0]))).toEqual(new Set(['bootstrap', 'deploy', 'destroy']));
  });
  test.each(cdk.map((c) => [`line ${c.line}: cdk ${c.words.join(' ')}`, c] as const))(
    '%s: known -c settings with valid values',
    (_label, c) => {
      const context = new Map<string, string>();
      c.words.forEach((word, i) => {
        if (word !== '-c') return;
        const [key = '', value = ''] = (c.words[i + 1] ?? '').split('=');
        context.set(key, value);
      });
      expect([...context.keys()].filter((key) => !contextKeys.has(key))).toEqual([]);
      expect(() => deploySettings((key) => context.get(key), {})).not.toThrow();
      const removal = context.get(REMOVAL_POLICY_CONTEXT_KEY);
      if (removal !== undefined) expect(['retain', 'destroy']).toContain(removal);
    },
  );
});

describe('the local lines, against a local gateway on port 0', () => {
  const data = tempDir('readme-cli');
  let gateway: LocalGateway;
  beforeAll(async () => {
    gateway = await startLocalGateway({
      port: 0,
      host: '127.0.0.1',
      dataDir: data.path,
      configFile: join(REPO_ROOT, 'gateway.config.json'),
    });
    // One chat request first, so the usage lines have something to show.
    const chat = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${gateway.devKey.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(chat.status).toBe(200);
  });
  afterAll(async () => {
    await gateway.stop();
    data.remove();
  });

  const local = cliLines.filter((c) => !c.aws);
  test.each(local.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    // No --url and no GATEWAY_URL: the CLI finds the gateway and its admin key in the data folder.
    const { code, out, err } = await cli(c.words, { GATEWAY_DATA_DIR: data.path }, fetch);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out.length).toBeGreaterThan(0);
    if (c.words.includes('csv')) {
      expect(out.split('\r\n')[0]).toMatch(/^tenant,key_id,alias,model,day,requests,/);
      expect(out).toMatch(/\r\ndev,key_\w+,demo,echo-1,\d{4}-\d\d-\d\d,1,/);
    }
  });
});

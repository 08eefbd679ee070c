import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { BUNDLE_FILE, FUNCTION_ENVIRONMENT, functionBuildOptions, RUNTIME_NODE } from '../../lib/function-bundle.js';
import { filesAtInit } from '../../bench/bundle-size.js';
import { parsedConfigText } from '../../lib/parsed-config.js';
import { handlerEntry, REPO_ROOT } from '../../lib/paths.js';

/** The stack's build (lib/function-bundle.ts functionBuildOptions: index.mjs and chunks), with a metafile and plugins. */
async function bundleFunction(name: string, outdir: string, plugins: Plugin[] = [], entry = handlerEntry(name)) {
  return build({ ...functionBuildOptions(entry, outdir), metafile: true, logLevel: 'error', plugins });
}

/** The packages (node_modules/<name>/) in the files Node reads at init: index.mjs and what it imports statically. */
function packagesAtInit(metafile: Metafile): Set<string> {
  const packages = new Set<string>();
  for (const file of filesAtInit(metafile))
    for (const input of Object.keys(metafile.outputs[file]?.inputs ?? {})) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      if (name !== undefined) packages.add(name);
    }
  return packages;
}

const SDKS = [
  'openai',
  '@anthropic-ai/sdk',
  '@aws-sdk/client-bedrock-runtime',
  '@aws-sdk/client-eventbridge',
  'zod',
] as const;

/** Every module of these packages records its package in `globalThis.__evaluated` when (if) it is evaluated. */
const evaluationMarker: Plugin = {
  name: 'evaluation-marker',
  setup(builder) {
    const filter =
      /node_modules\/(openai|@anthropic-ai\/sdk|@aws-sdk\/client-(bedrock-runtime|eventbridge)|zod)\/.*\.m?js$/;
    builder.onLoad({ filter }, (args) => {
      const pkg = SDKS.find((name) => args.path.includes(`node_modules/${name}/`)) ?? '?';
      const mark = `;(globalThis.__evaluated ??= new Set()).add(${JSON.stringify(pkg)});`;
      return { contents: `${readFileSync(args.path, 'utf8')}\n${mark}`, loader: 'js' };
    });
  },
};

/** Imports the bundle in a fresh Node (the Lambda runtime's major) and prints the packages evaluated at init. */
function evaluatedAtInit(dir: string): string[] {
  const script = [
    'globalThis.awslambda = { streamifyResponse: (h) => h, HttpResponseStream: { from: (s) => s } };',
    `const m = await import(${JSON.stringify(pathToFileURL(join(dir, BUNDLE_FILE)).href)});`,
    "if (typeof m.handler !== 'function') throw new Error('no handler');",
    'console.log(JSON.stringify([...(globalThis.__evaluated ?? [])].sort()));',
  ].join('\n');
  const run = spawnSync(RUNTIME_NODE, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      LAMBDA_TASK_ROOT: dir,
      AWS_REGION: 'us-east-1',
      GATEWAY_CONFIG_FORM: FUNCTION_ENVIRONMENT.GATEWAY_CONFIG_FORM,
    },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the bundle did not start: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '[]') as string[];
}

describe('what each function bundle holds and evaluates at init', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-bundle-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the chat function evaluates no provider SDK, no EventBridge client and no zod at init (OpenAI only)', async () => {
    await bundleFunction('chat', dir, [evaluationMarker]);
    const config = {
      providers: { openai: { type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' } },
      models: { fast: { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] } },
    };
    // As the stack ships it: the parsed form (lib/parsed-config.ts), read without zod.
    const source = join(dir, 'source.json');
    writeFileSync(source, JSON.stringify(config));
    writeFileSync(join(dir, 'gateway.config.json'), parsedConfigText(source));
    const evaluated = evaluatedAtInit(dir);
    expect(evaluated).not.toContain('@anthropic-ai/sdk');
    expect(evaluated).not.toContain('@aws-sdk/client-bedrock-runtime');
    expect(evaluated).not.toContain('openai');
    expect(evaluated).not.toContain('zod');
    // Its evaluation events and deferred bookings go to EventBridge: the client is imported on the first send.
    expect(evaluated).not.toContain('@aws-sdk/client-eventbridge');
  }, 120_000);

  it('the chat function reads none of the provider SDKs or zod at init: they are in chunks it imports on first use', async () => {
    const { metafile } = await bundleFunction('chat', dir);
    const atInit = packagesAtInit(metafile);
    const lazy = [
      'openai',
      '@anthropic-ai/sdk',
      '@aws-sdk/client-bedrock-runtime',
      '@aws-sdk/client-eventbridge',
      'zod',
    ];
    for (const name of lazy) expect(atInit).not.toContain(name);
    // The control: the bundle holds every one of them (in its other chunks), and the init files hold its store client.
    const all = Object.keys(metafile.inputs).join('\n');
    for (const name of lazy) expect(all).toContain(`node_modules/${name}/`);
    expect(atInit.size).toBeGreaterThan(0);
  }, 120_000);

  it('the docs function evaluates zod at init (it builds /openapi.json from the schemas): the marker sees zod', async () => {
    await bundleFunction('docs', dir, [evaluationMarker]);
    expect(evaluatedAtInit(dir)).toContain('zod');
  }, 120_000);

  it.each(['fallback', 'health', 'authorizer', 'sweeper'])(
    'no file of the %s bundle holds zod (no body or query to validate; the key store reads scopes from api/scopes.ts)',
    async (name) => {
      const zodIn = async (fn: string) =>
        Object.keys((await bundleFunction(fn, dir)).metafile.inputs).filter((file) =>
          file.includes('node_modules/zod/'),
        );
      expect(await zodIn(name)).toEqual([]);
      // The control: the chat bundle holds zod (its body schemas, loaded on first use).
      expect((await zodIn('chat')).length).toBeGreaterThan(0);
    },
    120_000,
  );

  it('the marker sees a package evaluated at init (the sdk-floor handler imports both SDKs statically)', async () => {
    await bundleFunction('sdk-floor', dir, [evaluationMarker], join(REPO_ROOT, 'bench/processes/sdk-floor-handler.ts'));
    expect(evaluatedAtInit(dir)).toEqual(expect.arrayContaining(['openai', '@anthropic-ai/sdk']));
  }, 120_000);
});

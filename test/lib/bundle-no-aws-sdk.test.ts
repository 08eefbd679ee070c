import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../../lib/function-bundle.js';
import { REPO_ROOT } from '../../lib/paths.js';

// The data plane's DynamoDB and Secrets Manager calls go through lambdas/aws-http (no AWS SDK client to evaluate at
// init, nor to warm up on first use): no function bundle holds those SDK clients. The API Gateway client (admin,
// authorizer) stays on the SDK, which shows the check sees SDK packages when they are there.
const HANDLERS = join(REPO_ROOT, 'lambdas', 'handlers');
const FORBIDDEN = ['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager'];

/** Every function's bundle (NodejsFunction's settings, as bench/bundle-size.ts), as its packages. */
async function packagesByFunction(): Promise<Map<string, Set<string>>> {
  const names = readdirSync(HANDLERS)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -3));
  const result = await build({
    entryPoints: Object.fromEntries(names.map((name) => [name, join(HANDLERS, `${name}.ts`)])),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: FUNCTION_BUNDLING.target,
    outdir: '/bundle-no-aws-sdk',
    minify: FUNCTION_BUNDLING.minify,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    alias: { ...FUNCTION_BUNDLING.alias },
    absWorkingDir: REPO_ROOT,
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  const byFunction = new Map<string, Set<string>>();
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const name = /([^/]+)\.js$/.exec(file)?.[1];
    if (name === undefined || !names.includes(name)) continue;
    const packages = new Set<string>();
    for (const input of Object.keys(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
      if (pkg !== undefined) packages.add(pkg);
    }
    byFunction.set(name, packages);
  }
  return byFunction;
}

let bundles: Map<string, Set<string>>;
beforeAll(async () => {
  bundles = await packagesByFunction();
}, 120_000);

it('the chat bundle holds neither the DynamoDB nor the Secrets Manager SDK client', () => {
  const chat = bundles.get('chat');
  expect(chat).toBeDefined();
  expect(FORBIDDEN.filter((pkg) => chat?.has(pkg))).toEqual([]);
});

it('no function bundle holds them', () => {
  expect(bundles.size).toBeGreaterThan(5);
  const holding = [...bundles].filter(([, packages]) => FORBIDDEN.some((pkg) => packages.has(pkg))).map(([n]) => n);
  expect(holding).toEqual([]);
});

it('control: the admin and authorizer bundles still hold the SDK API Gateway client (the check sees SDK packages)', () => {
  expect(bundles.get('admin')?.has('@aws-sdk/client-api-gateway')).toBe(true);
  expect(bundles.get('authorizer')?.has('@aws-sdk/client-api-gateway')).toBe(true);
});

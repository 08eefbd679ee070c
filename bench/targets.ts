import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Mode, TargetName } from './args.js';
import { startChild, tsxScript, type ChildHandle } from './children.js';
import type { BenchGateway } from './gateway.js';
import type { Upstream } from './upstream.js';

/** One thing a row can send its chat requests to, and the process that serves it. */
export interface BenchTarget {
  readonly name: TargetName;
  /** The process a row's memory and CPU figures are about (for direct: the fake upstream itself). */
  readonly handle: ChildHandle;
  /** The chat completions URL. */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  body(mode: Mode): Buffer;
  /** DynamoDB calls served so far by the target's store, per operation (the gateway only). */
  storeCalls?(): Promise<Record<string, number>>;
  /** Stops what this target started (not the upstream, which direct shares with every other target). */
  stop(): Promise<void>;
}

/** The gateway's alias of a target: `bench`, or `bench-cached` (the response cache on: every row's request repeats). */
const GATEWAY_ALIASES: Partial<Record<TargetName, string>> = { gateway: 'bench', 'gateway-cache': 'bench-cached' };

/**
 * The request of every row. The gateway gets its alias and asks upstream for the stream's usage itself; everything
 * else gets the upstream model, and streams ask for the usage too, so the upstream sends the same bytes to all.
 */
export function requestBody(target: TargetName, mode: Mode): Buffer {
  const stream = mode === 'stream';
  const alias = GATEWAY_ALIASES[target];
  return Buffer.from(
    JSON.stringify({
      model: alias ?? 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
      max_tokens: 32,
      ...(stream ? { stream: true } : {}),
      ...(stream && alias === undefined ? { stream_options: { include_usage: true } } : {}),
    }),
  );
}

const origin = (url: string): string => new URL(url).origin;

export function directTarget(upstream: Upstream): BenchTarget {
  return {
    name: 'direct',
    handle: upstream.handle,
    url: new URL(`${upstream.url}/chat/completions`),
    headers: { authorization: `Bearer ${upstream.apiKey}` },
    body: (mode) => requestBody('direct', mode),
    stop: async () => undefined,
  };
}

/** bench/processes/passthrough-main.ts in its own process, in front of the upstream: the least any Node proxy adds. */
export async function startPassthrough(upstream: Upstream): Promise<BenchTarget> {
  const { handle, match } = await startChild(
    'pass-through proxy',
    tsxScript('bench/processes/passthrough-main.ts'),
    { ...process.env, BENCH_UPSTREAM_URL: origin(upstream.url) },
    /PASSTHROUGH_URL (\S+)/,
  );
  return {
    name: 'passthrough',
    handle,
    url: new URL(`${match[1] ?? ''}${new URL(upstream.url).pathname}/chat/completions`),
    headers: { authorization: `Bearer ${upstream.apiKey}` },
    body: (mode) => requestBody('passthrough', mode),
    stop: () => handle.stop(),
  };
}

/**
 * bench/processes/sdk-floor-main.ts in its own process: Node HTTP in, the official `openai` SDK out (the gateway's
 * transport), nothing else. The least a gateway on the official SDKs adds, and so the floor under this gateway.
 */
export async function startSdkFloor(upstream: Upstream): Promise<BenchTarget> {
  const { handle, match } = await startChild(
    'sdk floor',
    tsxScript('bench/processes/sdk-floor-main.ts'),
    { ...process.env, BENCH_UPSTREAM_URL: upstream.url, BENCH_UPSTREAM_KEY: upstream.apiKey },
    /SDK_FLOOR_URL (\S+)/,
  );
  return {
    name: 'sdk-floor',
    handle,
    url: new URL(`${match[1] ?? ''}/chat/completions`),
    headers: {},
    body: (mode) => requestBody('sdk-floor', mode),
    stop: () => handle.stop(),
  };
}

export function gatewayTarget(gateway: BenchGateway, name: 'gateway' | 'gateway-cache' = 'gateway'): BenchTarget {
  return {
    name,
    handle: gateway.handle,
    url: new URL(`${gateway.url}/v1/chat/completions`),
    headers: { authorization: `Bearer ${gateway.key}` },
    body: (mode) => requestBody(name, mode),
    storeCalls: () => gateway.storeCalls(),
    stop: () => gateway.stop(),
  };
}

/** A port nobody listens on right now (Portkey's server takes a port number, not 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Where @portkey-ai/gateway's Node server is: `build/start-server.js`, its package's `bin`. */
export function portkeyEntry(): string {
  const pkg = createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json');
  return join(dirname(pkg), 'build', 'start-server.js');
}

/**
 * Portkey's open-source gateway (`@portkey-ai/gateway`, its Node server) in its own process, headless (no log UI).
 * Each request names the provider and the upstream in headers — `x-portkey-provider: openai`,
 * `x-portkey-custom-host: <fake>/v1` (loopback hosts are trusted by default) — and carries the upstream key as its
 * own `Authorization`, which Portkey forwards: no configuration file, no Portkey key.
 */
export async function startPortkey(upstream: Upstream): Promise<BenchTarget> {
  const port = await freePort();
  const { handle } = await startChild(
    'portkey (@portkey-ai/gateway)',
    [portkeyEntry(), `--port=${port}`, '--headless'],
    process.env,
    /Ready for connections/,
  );
  return {
    name: 'portkey',
    handle,
    url: new URL(`http://127.0.0.1:${port}/v1/chat/completions`),
    headers: {
      authorization: `Bearer ${upstream.apiKey}`,
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': upstream.url,
    },
    body: (mode) => requestBody('portkey', mode),
    stop: () => handle.stop(),
  };
}

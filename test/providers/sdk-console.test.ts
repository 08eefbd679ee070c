import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnthropicProvider } from '../../lambdas/providers/anthropic/anthropic-provider.js';
import { OpenAIProvider } from '../../lambdas/providers/openai/openai-provider.js';
import type { ChatProvider, StreamPart } from '../../lambdas/providers/types.js';

// The provider SDKs have their own console logger: the openai SDK reports a stream event that is not JSON on
// console.error, and with OPENAI_LOG / ANTHROPIC_LOG set to debug they print whole requests and responses. In Lambda the
// console is CloudWatch, outside the gateway's logger and its `logging.prompts` switch, so prompts and answers could
// land there. The gateway's clients keep the SDKs silent; the gateway reports the bad event itself (its error).
const PROMPT = 'PROMPT-TEXT-THAT-MUST-NOT-BE-LOGGED';
const RAW = 'RAW-UPSTREAM-CHUNK-THAT-MUST-NOT-BE-LOGGED';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      // An event whose data is not JSON, carrying upstream text (OpenAI: a data line; Anthropic: a named event).
      const event = req.url?.endsWith('/chat/completions')
        ? `data: {"choices": [${RAW}\n\n`
        : `event: message_start\ndata: {${RAW}\n\n`;
      res.end(event);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const METHODS: readonly ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug', 'trace'];

/** Everything written to the console or the process's stdout/stderr while `run` runs (nothing reaches them). */
async function captured(run: () => Promise<void>): Promise<string[]> {
  const out: string[] = [];
  const consoleOwn = METHODS.map((method) => [method, console[method]] as const);
  const writes = [process.stdout, process.stderr].map((stream) => [stream, stream.write] as const);
  for (const method of METHODS) console[method] = (...args: unknown[]) => void out.push(args.map(String).join(' '));
  for (const [stream] of writes) {
    stream.write = ((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    }) as typeof stream.write;
  }
  try {
    await run();
  } finally {
    for (const [method, own] of consoleOwn) console[method] = own;
    for (const [stream, own] of writes) stream.write = own;
  }
  return out;
}

describe('the provider SDKs never write to the console', () => {
  const env = { OPENAI_LOG: process.env.OPENAI_LOG, ANTHROPIC_LOG: process.env.ANTHROPIC_LOG };
  beforeEach(() => {
    // An operator's debug switch for the SDKs must not open a side channel around the gateway's logger either.
    process.env.OPENAI_LOG = 'debug';
    process.env.ANTHROPIC_LOG = 'debug';
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  });

  const providers: Record<'openai' | 'anthropic', () => ChatProvider> = {
    openai: () => new OpenAIProvider({ name: 'o', apiKey: 'sk-o', baseURL: `${base}/v1`, timeoutMs: 5000 }),
    anthropic: () =>
      new AnthropicProvider({ name: 'a', apiKey: 'sk-a', baseURL: base, timeoutMs: 5000, defaultMaxTokens: 10 }),
  };

  it.each(['openai', 'anthropic'] as const)(
    '%s: a stream event that is not JSON fails the stream, nothing on the console',
    async (type) => {
      const parts: StreamPart[] = [];
      const lines = await captured(async () => {
        const provider = providers[type]();
        const call = {
          request: { model: 'm', messages: [{ role: 'user' as const, content: PROMPT }] },
          model: 'm',
          requestId: 'r',
          signal: new AbortController().signal,
        };
        for await (const part of await provider.stream(call)) parts.push(part);
      });
      // The gateway's own report of the bad event: an error part (the client gets an SSE error event from it).
      expect(parts.at(-1)).toMatchObject({ type: 'error' });
      expect(
        lines.filter((line) => line.includes(RAW) || line.includes(PROMPT) || /could not parse/i.test(line)),
      ).toEqual([]);
      expect(lines).toEqual([]);
    },
  );
});

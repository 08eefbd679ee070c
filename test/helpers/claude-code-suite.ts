import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { startChatGateway, type ChatGateway } from './chat-gateway.js';
import { killAll, runClaude, type ClaudeRun, type KeyVariable } from './claude-code.js';
import {
  anthropicReply,
  ANTHROPIC_CALL_ID,
  HELLO,
  openAIReply,
  OPENAI_CALL_ID,
  READ_PROMPT,
  textsOf,
} from './claude-code-upstream.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { tempDir } from './tmp.js';

// Claude Code 2.1.332 (the devDependency's native binary) through the gateway with its default settings, as a new
// user points it there: ANTHROPIC_BASE_URL and the gateway key as ANTHROPIC_API_KEY (x-api-key) or
// ANTHROPIC_AUTH_TOKEN (Bearer), offline, a throwaway HOME and working directory. An alias named like the real model
// (`claude-sonnet-4-6`: the name changes what Claude Code sends) on an Anthropic-backed and on an OpenAI-backed fake;
// the one-prompt run, the tool run (Read) and /context, each with both key variables. A recording proxy between the
// CLI and the gateway sees every answer: none may be a 4xx/5xx.
const MODEL = 'claude-sonnet-4-6';
const FILE_TEXT = 'The launch code is TANGERINE-42.';
const RUN_MS = 120_000;

interface Upstream {
  readonly url: string;
  readonly apiKey: string;
  readonly requests: { readonly path: string; readonly body: unknown }[];
  close(): Promise<void>;
}

let readPath = '';
const backends = {
  anthropic: {
    start: (): Promise<Upstream> =>
      startFakeAnthropic({ apiKey: 'sk-ant-claude-code', defaultReply: anthropicReply(() => readPath) }),
    upstreamModel: 'claude-sonnet-4-6',
  },
  openai: {
    start: (): Promise<Upstream> =>
      startFakeOpenAI({ apiKey: 'sk-openai-claude-code', defaultReply: openAIReply(() => readPath) }),
    upstreamModel: 'gpt-upstream',
  },
} as const;

type Body = Record<string, unknown> & { messages?: { role: string; content: unknown }[] };
const bodyOf = (request: { body: unknown }): Body => request.body as Body;

/** The suite on one backend (one gateway per test file: the provider key source is per process). */
export function claudeCodeSuite(backend: 'anthropic' | 'openai'): void {
  describe(`Claude Code on an ${backend}-backed alias`, () => {
    let upstream: Upstream;
    let chat: ChatGateway;
    let proxy: RecordingProxy;
    const dirs: { remove: () => void }[] = [];

    beforeAll(async () => {
      upstream = await backends[backend].start();
      chat = await startChatGateway({ type: backend, baseURL: upstream.url, apiKey: upstream.apiKey }, undefined, {
        models: {
          [MODEL]: {
            targets: [{ provider: 'upstream', model: backends[backend].upstreamModel }],
            retry: { attempts: 1 },
          },
        },
      });
      proxy = await startRecordingProxy(chat.gateway.url);
    });
    afterAll(async () => {
      killAll();
      await proxy.close();
      await chat.stop();
      await upstream.close();
      for (const dir of dirs) dir.remove();
    });
    beforeEach(() => {
      upstream.requests.length = 0;
      proxy.exchanges.length = 0;
    });

    const messagesSent = () => upstream.requests.filter((r) => !r.path.includes('count_tokens')).map(bodyOf);
    const run = async (variable: KeyVariable, prompt: string, args: string[] = []): Promise<ClaudeRun> => {
      const dir = tempDir('claude-code');
      dirs.push(dir);
      readPath = join(dir.path, 'cwd', 'a.txt');
      const result = runClaude({
        dir: dir.path,
        baseURL: proxy.url,
        key: { variable, value: chat.gateway.devKey.key },
        prompt,
        model: MODEL,
        args,
        killAfterMs: RUN_MS - 10_000,
      });
      writeFileSync(readPath, `${FILE_TEXT}\n`);
      return result;
    };
    /** Exit 0 and no 4xx/5xx from the gateway (the CLI's output shown when not). */
    const expectClean = (result: ClaudeRun): void => {
      const failed = proxy.exchanges.filter((e) => e.status >= 400).map((e) => `${e.status} ${e.method} ${e.url}`);
      expect({ code: result.code, failed }).toEqual({ code: 0, failed: [] });
    };

    describe.each(['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'] as const)('key in %s', (variable) => {
      it(
        'one prompt: the answer printed; the request reached the upstream',
        async () => {
          const result = await run(variable, 'say hi');
          expect(result.stderr + result.stdout).toContain(HELLO);
          expectClean(result);
          const sent = messagesSent();
          expect(sent.length).toBeGreaterThan(0);
          expect(sent[0]?.model).toBe(backends[backend].upstreamModel);
          if (backend === 'anthropic') {
            // Claude Code's cache breakpoints reach Anthropic: on system blocks and on the last user block.
            const first = sent[0] as { system?: { cache_control?: unknown }[]; messages: { content: unknown }[] };
            expect(first.system?.some((block) => block.cache_control !== undefined)).toBe(true);
            const lastBlocks = first.messages.at(-1)?.content as { cache_control?: unknown }[];
            expect(lastBlocks.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
          } else {
            expect(JSON.stringify(sent[0])).not.toContain('cache_control');
          }
        },
        RUN_MS,
      );

      it(
        "the tool run: the Read call is answered with the file's content, which the final answer quotes",
        async () => {
          const result = await run(variable, READ_PROMPT, ['--allowedTools', 'Read']);
          expect(result.stdout).toContain('TANGERINE-42');
          expectClean(result);
          const withResult = messagesSent().find((body) => JSON.stringify(body.messages).includes('TANGERINE-42'));
          expect(withResult).toBeDefined();
          const messages = withResult?.messages ?? [];
          if (backend === 'anthropic') {
            const blocks = messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as Body[]) : []));
            const toolUse = blocks.find((block) => block.type === 'tool_use');
            const toolResult = blocks.find((block) => block.type === 'tool_result');
            expect(toolUse).toMatchObject({ id: ANTHROPIC_CALL_ID, name: 'Read', input: { file_path: readPath } });
            expect(toolResult?.tool_use_id).toBe(ANTHROPIC_CALL_ID);
            expect(textsOf(toolResult?.content).join('')).toContain(FILE_TEXT);
          } else {
            const call = messages.find((m) => m.role === 'assistant') as { tool_calls?: Body[] } | undefined;
            expect(call?.tool_calls?.[0]).toMatchObject({ id: OPENAI_CALL_ID, function: { name: 'Read' } });
            const tool = messages.find((m) => m.role === 'tool') as { tool_call_id?: string; content: unknown };
            expect(tool.tool_call_id).toBe(OPENAI_CALL_ID);
            expect(textsOf(tool.content).join('')).toContain(FILE_TEXT);
          }
        },
        RUN_MS,
      );

      it(
        `/context: its count_tokens calls answered (${backend === 'anthropic' ? 'provider' : 'estimate'}), the table printed`,
        async () => {
          const result = await run(variable, '/context');
          expect(result.stdout).toContain('Context Usage');
          expectClean(result);
          const counts = proxy.exchanges.filter((e) => e.url.startsWith('/v1/messages/count_tokens'));
          expect(counts.length).toBeGreaterThanOrEqual(15);
          const by = backend === 'anthropic' ? 'provider' : 'estimate';
          // Every count answered; on Anthropic each asked upstream (one slower than the provider timeout, on a loaded
          // machine, falls back to the estimate, as designed), on OpenAI each the estimate.
          expect(counts.every((e) => e.status === 200)).toBe(true);
          const marks = counts.map((e) => e.headers['x-gateway-token-count']);
          expect(marks.every((mark) => mark === by || mark === 'estimate')).toBe(true);
          expect(marks).toContain(by);
          const reached = upstream.requests.filter((r) => r.path.startsWith('/v1/messages/count_tokens'));
          expect(reached).toHaveLength(backend === 'anthropic' ? counts.length : 0);
        },
        RUN_MS,
      );
    });
  });
}

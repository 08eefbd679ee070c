import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as fakeAnthropic from '../fakes/fake-anthropic.js';
import * as fakeOpenAI from '../fakes/fake-openai.js';
import { functionCallItem, messageItem, responseBody, responsesReply } from '../fakes/fake-openai-responses.js';
import { tempDir } from './tmp.js';

/**
 * OpenAI's Codex CLI (devDependency @openai/codex) through the gateway (test/e2e/codex.test.ts): a throwaway HOME
 * whose ~/.codex/config.toml names the gateway as a custom Responses provider, a throwaway working directory with
 * a.txt, and the scripted upstream model of a Codex session: "run: <command>" asks for Codex's shell tool
 * (exec_command) on turn 1 and quotes the tool's output on turn 2; PATCH_PROMPT calls apply_patch (a custom tool,
 * offered to a model name Codex knows) to add PATCHED_FILE, then quotes the tool's output; any other prompt gets
 * GREETING.
 */
export const GREETING = 'Hello from the gateway.';
export const FILE_TEXT = 'the contents of a.txt';
export const SHELL_TOOL = 'exec_command';
const QUOTE = 'The command printed: ';
const CODEX = join(import.meta.dirname, '../../node_modules/@openai/codex/bin/codex.js');

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : list(content)
        .map((part) => {
          const block = record(part);
          return typeof block.text === 'string' ? block.text : textOf(block.content);
        })
        .join('');
const commandIn = (prompt: string): string | undefined => /run: (.+)$/.exec(prompt.trim())?.[1];
export const PATCH_PROMPT = 'patch: add patched.txt';
const wantsPatch = (prompt: string): boolean => prompt.trim().endsWith(PATCH_PROMPT);

/** The file the scripted model's apply_patch call adds, and the patch (quotes and a backslash, escaped in JSON). */
export const PATCHED_FILE = 'patched.txt';
export const PATCHED_TEXT = 'Hello from "apply_patch" \\ done.';
export const APPLY_PATCH_TEXT = `*** Begin Patch\n*** Add File: ${PATCHED_FILE}\n+${PATCHED_TEXT}\n*** End Patch\n`;
export const APPLY_PATCH_TOOL = 'apply_patch';

/** The upstream calling apply_patch (a custom tool, offered upstream as a function of one string, `input`). */
export const patchCallOpenAI = (): fakeOpenAI.StreamScript =>
  fakeOpenAI.reply.stream(
    fakeOpenAI.toolCallChunks(
      [{ id: 'call_patch0001', name: APPLY_PATCH_TOOL, arguments: JSON.stringify({ input: APPLY_PATCH_TEXT }) }],
      { parts: 9 },
    ),
  );
/** The same on the Responses API (an OpenAI-backed alias on the native lane), its arguments streamed in 9 parts. */
export const patchCallResponses = (): fakeOpenAI.Script =>
  responsesReply.stream(
    responseBody([
      functionCallItem({
        id: 'call_patch0001',
        name: APPLY_PATCH_TOOL,
        arguments: JSON.stringify({ input: APPLY_PATCH_TEXT }),
      }),
    ]),
    { parts: 9 },
  );
export const patchCallAnthropic = (): fakeAnthropic.StreamScript =>
  fakeAnthropic.reply.stream(
    fakeAnthropic.toolUseEvents(
      [{ id: 'toolu_patch0001', name: APPLY_PATCH_TOOL, input: { input: APPLY_PATCH_TEXT } }],
      {
        text: '',
        parts: 9,
      },
    ),
  );

/** What the model answers after the tool ran: the tool's output quoted. */
export const quoted = (toolOutput: string): string => `${QUOTE}${JSON.stringify(toolOutput)}`;

/** The Responses API (an OpenAI-backed alias: the gateway's native lane for /v1/responses). */
function codexResponsesModel(request: fakeOpenAI.RecordedRequest): fakeOpenAI.Script {
  const items = list(record(request.body).input).map(record);
  const last = items.at(-1);
  const result = last?.type === 'function_call_output' ? textOf(last.output) : undefined;
  const prompt = textOf(items.findLast((item) => item.role === 'user')?.content);
  const command = commandIn(prompt);
  if (result === undefined && wantsPatch(prompt)) return patchCallResponses();
  if (result === undefined && command !== undefined) {
    const call = { id: 'call_codex0001', name: SHELL_TOOL, arguments: JSON.stringify({ cmd: command }) };
    return responsesReply.stream(responseBody([functionCallItem(call)]));
  }
  return responsesReply.stream(responseBody([messageItem(result === undefined ? GREETING : quoted(result))]));
}

/** An OpenAI-backed alias: the Responses API on /v1/responses, chat completions otherwise. */
export function codexOpenAIModel(request: fakeOpenAI.RecordedRequest): fakeOpenAI.Script {
  if (request.path.startsWith('/v1/responses')) return codexResponsesModel(request);
  const messages = list(record(request.body).messages).map(record);
  const result = messages.at(-1)?.role === 'tool' ? textOf(messages.at(-1)?.content) : undefined;
  const prompt = textOf(messages.findLast((m) => m.role === 'user')?.content);
  const command = commandIn(prompt);
  if (result === undefined && wantsPatch(prompt)) return patchCallOpenAI();
  if (result === undefined && command !== undefined) {
    const call = { id: 'call_codex0001', name: SHELL_TOOL, arguments: JSON.stringify({ cmd: command }) };
    return fakeOpenAI.reply.stream(fakeOpenAI.toolCallChunks([call]));
  }
  return fakeOpenAI.reply.stream(fakeOpenAI.textChunks(result === undefined ? GREETING : quoted(result)));
}

/** Messages (an Anthropic-backed alias). */
export function codexAnthropicModel(request: fakeAnthropic.RecordedRequest): fakeAnthropic.Script {
  const messages = list(record(request.body).messages).map(record);
  const last = list(messages.at(-1)?.content).map(record);
  const results = last.filter((block) => block.type === 'tool_result');
  const isPrompt = (m: Record<string, unknown>) =>
    m.role === 'user' && !list(m.content).some((block) => record(block).type === 'tool_result');
  const prompt = textOf(messages.findLast(isPrompt)?.content);
  const command = commandIn(prompt);
  if (results.length === 0 && wantsPatch(prompt)) return patchCallAnthropic();
  if (results.length === 0 && command !== undefined) {
    const call = { id: 'toolu_codex0001', name: SHELL_TOOL, input: { cmd: command } };
    return fakeAnthropic.reply.stream(fakeAnthropic.toolUseEvents([call]));
  }
  const answer = results.length === 0 ? GREETING : quoted(textOf(results[0]?.content));
  return fakeAnthropic.reply.stream(fakeAnthropic.textEvents(answer));
}

/** The gateway's aliases for these runs: one named like a model Codex knows, one it does not know. */
export const CODEX_ALIASES = ['gpt-5.5', 'team-coder'] as const;
export const codexModels = (type: 'openai' | 'anthropic') =>
  Object.fromEntries(
    CODEX_ALIASES.map((name) => [
      name,
      { targets: [{ provider: 'upstream', model: `${type}-upstream-model` }], retry: { attempts: 1 } },
    ]),
  );

/** A pass-through proxy in front of the gateway that records every status code Codex got. */
export interface Recorder {
  readonly url: string;
  readonly answers: {
    readonly method: string;
    readonly path: string;
    readonly status: number;
    /** The gateway's X-Gateway-Ignored header. */
    readonly ignored: string | undefined;
  }[];
  close(): Promise<void>;
}

export async function startRecorder(target: string): Promise<Recorder> {
  const answers: Recorder['answers'] = [];
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const upstream = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const ignored = answer.headers['x-gateway-ignored'];
        answers.push({
          method: req.method ?? '',
          path: req.url ?? '',
          status: answer.statusCode ?? 0,
          ignored: Array.isArray(ignored) ? ignored.join(', ') : ignored,
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The config.toml of the README's "Codex CLI" paragraph, offline, retries off so a failure shows at once. */
export const configToml = (baseUrl: string, model: string): string =>
  [
    `model = "${model}"`,
    'model_provider = "gateway"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.gateway]',
    'name = "LLM Gateway"',
    `base_url = "${baseUrl}/v1"`,
    'wire_api = "responses"',
    'env_key = "LLM_GATEWAY_KEY"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
    '[features]',
    'plugins = false',
    '',
    '[analytics]',
    'enabled = false',
    '',
  ].join('\n');

export interface CodexRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The working directory it ran in (removed by `stop`). */
  readonly work: string;
}

/** Runs Codex CLIs in throwaway directories; `stop` kills any still running and removes the directories. */
export function codexRunner() {
  const running = new Set<ChildProcess>();
  const dirs: { remove(): void }[] = [];
  const exec = (
    baseUrl: string,
    key: string,
    model: string,
    prompt: string,
    options: readonly string[] = [],
  ): Promise<CodexRun> => {
    const dir = tempDir('codex');
    dirs.push(dir);
    const home = join(dir.path, 'home');
    const work = join(dir.path, 'work');
    mkdirSync(join(home, '.codex'), { recursive: true });
    mkdirSync(work);
    writeFileSync(join(home, '.codex', 'config.toml'), configToml(baseUrl, model));
    writeFileSync(join(work, 'a.txt'), `${FILE_TEXT}\n`);
    const args = [CODEX, 'exec', '--skip-git-repo-check', '--ephemeral', '--color', 'never', ...options, prompt];
    const env = { PATH: process.env.PATH ?? '', HOME: home, CODEX_HOME: join(home, '.codex'), LLM_GATEWAY_KEY: key };
    const child = spawn(process.execPath, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    return new Promise((resolve) =>
      child.on('close', (code) => {
        running.delete(child);
        resolve({ code, stdout, stderr, work });
      }),
    );
  };
  const stop = (): void => {
    for (const child of running) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) dir.remove();
  };
  return { exec, stop };
}

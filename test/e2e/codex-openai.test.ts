import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatFixture } from '../helpers/chat-gateway.js';
import {
  CODEX_ALIASES,
  codexModels,
  codexOpenAIModel,
  codexRunner,
  FILE_TEXT,
  GREETING,
  PATCH_PROMPT,
  PATCHED_FILE,
  PATCHED_TEXT,
  quoted,
  startRecorder,
  type Recorder,
} from '../helpers/codex.js';

// OpenAI's Codex CLI (codex exec, its own defaults) → /v1/responses → an OpenAI-backed alias named like a model
// Codex knows (gpt-5.5) and one it does not know (team-coder), called through the Responses API (the native lane).

const fixture = chatFixture(
  'openai',
  () => startFakeOpenAI({ apiKey: 'sk-upstream-openai-key', defaultReply: codexOpenAIModel }),
  undefined,
  { models: codexModels('openai') },
);
const codex = codexRunner();
let recorder: Recorder;
beforeAll(async () => {
  recorder = await startRecorder(fixture.gateway.url);
});
afterAll(async () => {
  codex.stop();
  await recorder.close();
});
beforeEach(() => recorder.answers.splice(0));

const sent = (at: number) =>
  fixture.fake.requests[at]?.body as { store?: boolean; input: { type?: string; output?: unknown }[] };

describe.each(CODEX_ALIASES)('alias %s', (alias) => {
  it('codex exec "say hi": one request, the answer printed', async () => {
    const run = await codex.exec(recorder.url, fixture.gateway.devKey.key, alias, 'say hi');
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout.trim()).toBe(GREETING);
    expect(recorder.answers.filter((answer) => answer.status >= 400)).toEqual([]);
    expect(fixture.fake.requests.map((request) => request.path)).toEqual(['/v1/responses']);
    expect(sent(0).store).toBe(false);
    // Codex offers web_search (and tool_search) on every call: hosted tools, which the native lane passes to OpenAI.
    expect(recorder.answers.map((answer) => answer.path)).toEqual(['/v1/responses']);
    expect(recorder.answers[0]?.ignored ?? '').not.toContain('tools[web_search]');
    const tools = (fixture.fake.requests[0]?.body as { tools?: { type: string }[] }).tools ?? [];
    expect(tools.map((tool) => tool.type)).toContain('web_search');
  });

  it('codex exec "run: cat a.txt": the shell tool runs and its output reaches the upstream on turn 2', async () => {
    const run = await codex.exec(recorder.url, fixture.gateway.devKey.key, alias, 'run: cat a.txt');
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(recorder.answers.filter((answer) => answer.status >= 400)).toEqual([]);
    expect(fixture.fake.requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
    const toolOutput = sent(1).input.at(-1);
    expect(toolOutput?.type).toBe('function_call_output');
    const output = String(toolOutput?.output);
    expect(output).toContain(FILE_TEXT);
    expect(run.stdout.trim()).toBe(quoted(output));
  });
});

it('codex exec (gpt-5.5) applies a patch: apply_patch (a custom tool) adds the file; its result reaches turn 2', async () => {
  const key = fixture.gateway.devKey.key;
  const run = await codex.exec(recorder.url, key, 'gpt-5.5', PATCH_PROMPT, ['--sandbox', 'workspace-write']);
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(recorder.answers.filter((answer) => answer.status >= 400)).toEqual([]);
  expect(readFileSync(join(run.work, PATCHED_FILE), 'utf8')).toBe(`${PATCHED_TEXT}\n`);
  expect(fixture.fake.requests).toHaveLength(2);
  const turn2 = JSON.stringify(sent(1).input.slice(-2));
  expect(turn2).toContain('call_patch0001');
  expect(turn2).toContain(PATCHED_FILE);
});

import { reply, startFakeAnthropic } from '../fakes/fake-anthropic.js';
import { interleavedThinkingEvents, thinkingBlock } from '../fakes/fake-anthropic-thinking.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatFixture } from '../helpers/chat-gateway.js';
import {
  CODEX_ALIASES,
  codexAnthropicModel,
  codexModels,
  codexRunner,
  FILE_TEXT,
  GREETING,
  PATCH_PROMPT,
  PATCHED_FILE,
  PATCHED_TEXT,
  quoted,
  SHELL_TOOL,
  startRecorder,
  type Recorder,
} from '../helpers/codex.js';

// OpenAI's Codex CLI (codex exec, its own defaults) → /v1/responses → an Anthropic-backed alias named like a model
// Codex knows (gpt-5.5) and one it does not know (team-coder).

const fixture = chatFixture(
  'anthropic',
  () => startFakeAnthropic({ apiKey: 'sk-ant-upstream', defaultReply: codexAnthropicModel }),
  undefined,
  { models: codexModels('anthropic') },
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

type Block = { type: string; tool_use_id?: string; content?: unknown };
const sent = (at: number) => fixture.fake.requests[at]?.body as { messages: { role: string; content: Block[] }[] };

describe.each(CODEX_ALIASES)('alias %s', (alias) => {
  it('codex exec "say hi": one request, the answer printed', async () => {
    const run = await codex.exec(recorder.url, fixture.gateway.devKey.key, alias, 'say hi');
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout.trim()).toBe(GREETING);
    expect(recorder.answers.filter((answer) => answer.status >= 400)).toEqual([]);
    expect(fixture.fake.requests).toHaveLength(1);
    // Codex offers web_search (and tool_search) on every call: hosted tools, dropped and named.
    expect(recorder.answers.map((answer) => answer.path)).toEqual(['/v1/responses']);
    expect(recorder.answers[0]?.ignored).toContain('tools[web_search]');
  });

  it('codex exec "run: cat a.txt": the shell tool runs and its output reaches the upstream on turn 2', async () => {
    const run = await codex.exec(recorder.url, fixture.gateway.devKey.key, alias, 'run: cat a.txt');
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(recorder.answers.filter((answer) => answer.status >= 400)).toEqual([]);
    expect(fixture.fake.requests).toHaveLength(2);
    const result = sent(1)
      .messages.at(-1)
      ?.content.find((block) => block.type === 'tool_result');
    expect(result?.tool_use_id).toBe('toolu_codex0001');
    const output = typeof result?.content === 'string' ? result.content : '';
    expect(output).toContain(FILE_TEXT);
    expect(run.stdout.trim()).toBe(quoted(output));
  });
});

it('with thinking: Codex gets a reasoning item and sends it back (encrypted_content), the upstream gets the signed block', async () => {
  const call = { id: 'toolu_codex0002', name: SHELL_TOOL, input: { cmd: 'cat a.txt' } };
  fixture.fake.enqueue(reply.stream(interleavedThinkingEvents([{ thinking: ['Read ', 'the file.'] }, { tool: call }])));
  const run = await codex.exec(recorder.url, fixture.gateway.devKey.key, 'gpt-5.5', 'run: cat a.txt');
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(recorder.answers.filter((answer) => answer.status >= 400)).toEqual([]);
  expect(fixture.fake.requests).toHaveLength(2);
  const assistant = sent(1).messages.find((message) => message.role === 'assistant');
  expect(assistant?.content[0]).toEqual(thinkingBlock('Read the file.'));
  expect(assistant?.content[1]).toMatchObject({ type: 'tool_use', id: 'toolu_codex0002' });
});

it('codex exec (gpt-5.5) applies a patch: apply_patch (a custom tool) adds the file; its result reaches turn 2', async () => {
  const key = fixture.gateway.devKey.key;
  const run = await codex.exec(recorder.url, key, 'gpt-5.5', PATCH_PROMPT, ['--sandbox', 'workspace-write']);
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(recorder.answers.filter((answer) => answer.status >= 400)).toEqual([]);
  expect(readFileSync(join(run.work, PATCHED_FILE), 'utf8')).toBe(`${PATCHED_TEXT}\n`);
  expect(fixture.fake.requests).toHaveLength(2);
  const turn2 = JSON.stringify(sent(1).messages.slice(-2));
  expect(turn2).toContain('toolu_patch0001');
  expect(turn2).toContain(PATCHED_FILE);
});

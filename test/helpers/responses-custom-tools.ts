import type OpenAI from 'openai';
import type {
  ResponseCustomToolCall,
  ResponseFunctionToolCall,
  ResponseInputItem,
  ResponseOutputItem,
  Tool,
} from 'openai/resources/responses/responses';
import * as fakeAnthropic from '../fakes/fake-anthropic.js';
import * as fakeOpenAI from '../fakes/fake-openai.js';
import type { ChatFixture } from './chat-gateway.js';
import { APPLY_PATCH_TEXT, APPLY_PATCH_TOOL } from './codex.js';

/**
 * Custom and namespace tools through /v1/responses with the openai SDK (test/e2e/responses-custom-tools-*.test.ts):
 * the client offers apply_patch (a custom tool with a grammar) and a namespace; the scripted upstream calls both in
 * one answer (apply_patch's `{"input": …}` and the namespace's tool by its qualified name); the client gets a
 * custom_tool_call with the raw patch and a function_call with its namespace, sends their outputs, and the upstream
 * sees them as tool results of the same calls.
 */
export const NAMESPACE = 'multi_agent_v1';
export const SPAWN = 'spawn_agent';
const QUALIFIED = `${NAMESPACE}__${SPAWN}`;
const SPAWN_ARGUMENTS = '{"task":"review"}';
export const PATCH_RESULT = 'Done! patched.txt added.';
export const SPAWN_RESULT = 'agent-7 spawned';

export const TOOLS: Tool[] = [
  {
    type: 'custom',
    name: APPLY_PATCH_TOOL,
    description: 'Edit files with a patch.',
    format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch" LF hunk+ "*** End Patch" LF?' },
  },
  {
    type: 'namespace',
    name: NAMESPACE,
    description: 'Sub-agents.',
    tools: [
      {
        type: 'function',
        name: SPAWN,
        description: 'Start a sub-agent.',
        parameters: { type: 'object', properties: { task: { type: 'string' } }, required: ['task'] },
        strict: false,
      },
    ],
  },
];

/** What the upstream saw on a turn: its tool calls (name, arguments as JSON text) and tool results (by call id). */
export interface UpstreamTurn {
  readonly offered: readonly string[];
  /** The request's tool_choice, as the provider's format has it. */
  readonly forced: unknown;
  readonly calls: readonly { id: string; name: string; arguments: unknown }[];
  readonly results: Readonly<Record<string, string>>;
}

export interface ToolUpstream {
  callTools(stream: boolean): void;
  say(text: string, stream: boolean): void;
  last(): UpstreamTurn;
}

type Row = Record<string, unknown>;
const row = (value: unknown): Row => (typeof value === 'object' && value !== null ? (value as Row) : {});
const rows = (value: unknown): Row[] => (Array.isArray(value) ? value.map(row) : []);
const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : rows(value)
        .map((part) => String(part.text ?? ''))
        .join('');

export const openAIToolUpstream = (fake: fakeOpenAI.FakeOpenAI): ToolUpstream => ({
  callTools: (stream) => {
    const calls = [
      { id: 'call_patch0001', name: APPLY_PATCH_TOOL, arguments: JSON.stringify({ input: APPLY_PATCH_TEXT }) },
      { id: 'call_spawn0002', name: QUALIFIED, arguments: SPAWN_ARGUMENTS },
    ];
    fake.enqueue(
      stream
        ? fakeOpenAI.reply.stream(fakeOpenAI.toolCallChunks(calls, { parts: 7 }))
        : fakeOpenAI.reply.toolCalls(calls),
    );
  },
  say: (answer, stream) =>
    fake.enqueue(stream ? fakeOpenAI.reply.stream(fakeOpenAI.textChunks(answer)) : fakeOpenAI.reply.text(answer)),
  last: () => {
    const body = row(fake.requests.at(-1)?.body);
    const messages = rows(body.messages);
    return {
      offered: rows(body.tools).map((tool) => String(row(tool.function).name)),
      forced: body.tool_choice,
      calls: messages.flatMap((message) =>
        rows(message.tool_calls).map((call) => ({
          id: String(call.id),
          name: String(row(call.function).name),
          arguments: JSON.parse(String(row(call.function).arguments)) as unknown,
        })),
      ),
      results: Object.fromEntries(
        messages.filter((m) => m.role === 'tool').map((m) => [String(m.tool_call_id), text(m.content)]),
      ),
    };
  },
});

export const anthropicToolUpstream = (fake: fakeAnthropic.FakeAnthropic): ToolUpstream => ({
  callTools: (stream) => {
    const calls = [
      { id: 'toolu_patch0001', name: APPLY_PATCH_TOOL, input: { input: APPLY_PATCH_TEXT } },
      { id: 'toolu_spawn0002', name: QUALIFIED, input: JSON.parse(SPAWN_ARGUMENTS) as Record<string, unknown> },
    ];
    fake.enqueue(
      stream
        ? fakeAnthropic.reply.stream(fakeAnthropic.toolUseEvents(calls, { text: '', parts: 7 }))
        : fakeAnthropic.reply.toolUse(calls),
    );
  },
  say: (answer, stream) =>
    fake.enqueue(
      stream ? fakeAnthropic.reply.stream(fakeAnthropic.textEvents(answer)) : fakeAnthropic.reply.text(answer),
    ),
  last: () => {
    const body = row(fake.requests.at(-1)?.body);
    const blocks = rows(body.messages).flatMap((message) => rows(message.content));
    return {
      offered: rows(body.tools).map((tool) => String(tool.name)),
      forced: body.tool_choice,
      calls: blocks
        .filter((block) => block.type === 'tool_use')
        .map((block) => ({ id: String(block.id), name: String(block.name), arguments: block.input })),
      results: Object.fromEntries(
        blocks.filter((block) => block.type === 'tool_result').map((b) => [String(b.tool_use_id), text(b.content)]),
      ),
    };
  },
});

export interface FirstTurn {
  readonly output: ResponseOutputItem[];
  readonly id: string;
  /** The custom_tool_call_input.delta texts, joined (streams only). */
  readonly streamedInput: string;
}

/** Turn 1: the client offers TOOLS; the upstream calls both tools. */
export async function firstTurn(client: OpenAI, stream: boolean, store: boolean): Promise<FirstTurn> {
  const request = { model: 'target', input: 'Add patched.txt, then review it.', tools: TOOLS, store };
  if (!stream) {
    const response = await client.responses.create(request);
    return { output: response.output, id: response.id, streamedInput: '' };
  }
  let streamedInput = '';
  let done: FirstTurn | undefined;
  for await (const event of await client.responses.create({ ...request, stream: true })) {
    if (event.type === 'response.custom_tool_call_input.delta') streamedInput += event.delta;
    if (event.type === 'response.completed')
      done = { output: event.response.output, id: event.response.id, streamedInput };
  }
  if (done === undefined) throw new Error('the stream ended without response.completed');
  return { ...done, streamedInput };
}

export const customCall = (output: readonly ResponseOutputItem[]) =>
  output.find((item): item is ResponseCustomToolCall & ResponseOutputItem => item.type === 'custom_tool_call');
export const functionCall = (output: readonly ResponseOutputItem[]) =>
  output.find((item): item is ResponseFunctionToolCall => item.type === 'function_call');

/** The outputs of turn 1's two calls, as input items. */
export function toolOutputs(output: readonly ResponseOutputItem[]): ResponseInputItem[] {
  return [
    { type: 'custom_tool_call_output', call_id: customCall(output)?.call_id ?? '', output: PATCH_RESULT },
    { type: 'function_call_output', call_id: functionCall(output)?.call_id ?? '', output: SPAWN_RESULT },
  ];
}

type Fixture = Pick<ChatFixture<never>, 'client'>;

/** The tests, for one backend: JSON and stream, the whole conversation sent back, or continued by id. */
export function customToolSuite(fixture: Fixture, upstream: () => ToolUpstream): void {
  it.each([false, true])(
    'custom and namespaced tool calls both ways, whole input sent back (stream: %s)',
    async (stream) => {
      upstream().callTools(stream);
      const first = await firstTurn(fixture.client, stream, false);
      expect(upstream().last().offered).toEqual([APPLY_PATCH_TOOL, `${NAMESPACE}__${SPAWN}`]);
      expect(customCall(first.output)).toMatchObject({
        type: 'custom_tool_call',
        name: APPLY_PATCH_TOOL,
        input: APPLY_PATCH_TEXT,
      });
      expect(functionCall(first.output)).toMatchObject({
        name: SPAWN,
        namespace: NAMESPACE,
        arguments: '{"task":"review"}',
      });
      if (stream) expect(first.streamedInput).toBe(APPLY_PATCH_TEXT);

      upstream().say('Patched and reviewed.', false);
      const input: ResponseInputItem[] = [
        { role: 'user', content: 'Add patched.txt, then review it.' },
        ...(first.output as ResponseInputItem[]),
        ...toolOutputs(first.output),
      ];
      const second = await fixture.client.responses.create({ model: 'target', input, tools: TOOLS, store: false });
      expect(second.output_text).toBe('Patched and reviewed.');
      const seen = upstream().last();
      expect(seen.calls.map((call) => [call.name, call.arguments])).toEqual([
        [APPLY_PATCH_TOOL, { input: APPLY_PATCH_TEXT }],
        [`${NAMESPACE}__${SPAWN}`, { task: 'review' }],
      ]);
      expect(Object.values(seen.results)).toEqual([PATCH_RESULT, SPAWN_RESULT]);
      expect(Object.keys(seen.results)).toEqual(seen.calls.map((call) => call.id));
    },
  );

  it('previous_response_id continues after a custom_tool_call (the stored response keeps it)', async () => {
    upstream().callTools(false);
    const first = await firstTurn(fixture.client, false, true);
    upstream().say('Continued.', false);
    const second = await fixture.client.responses.create({
      model: 'target',
      previous_response_id: first.id,
      input: toolOutputs(first.output),
      tools: TOOLS,
    });
    expect(second.output_text).toBe('Continued.');
    const seen = upstream().last();
    expect(seen.calls.map((call) => call.arguments)).toEqual([{ input: APPLY_PATCH_TEXT }, { task: 'review' }]);
    expect(Object.values(seen.results)).toEqual([PATCH_RESULT, SPAWN_RESULT]);
  });

  it('tool_choice forcing the custom tool reaches the upstream as its function', async () => {
    upstream().callTools(false);
    const response = await fixture.client.responses.create({
      model: 'target',
      input: 'Patch.',
      tools: TOOLS,
      tool_choice: { type: 'custom', name: APPLY_PATCH_TOOL },
      store: false,
    });
    expect(customCall(response.output)?.input).toBe(APPLY_PATCH_TEXT);
    expect(JSON.stringify(upstream().last().forced)).toContain(APPLY_PATCH_TOOL);
  });
}

import type { ResolvedItem } from '../../../lambdas/api/responses-input-schemas.js';
import { responsesRequestSchema } from '../../../lambdas/api/responses-schemas.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { outputOf } from '../../../lambdas/formats/openai-responses/response-object.js';
import { toChatRequest } from '../../../lambdas/formats/openai-responses/responses-request.js';
import { toolsetOf } from '../../../lambdas/formats/openai-responses/responses-toolset.js';
import type { ChatResult } from '../../../lambdas/providers/types.js';

// Custom and namespace tools of /v1/responses both ways: offered upstream as canonical function tools, the model's
// calls back as custom_tool_call / namespaced function_call items, earlier turns' items upstream again.

const parse = (body: Record<string, unknown>) => responsesRequestSchema.parse({ model: 'target', ...body });
const translate = (body: Record<string, unknown>) => {
  const request = parse(body);
  const input = request.input ?? [];
  return toChatRequest(
    request,
    typeof input === 'string' ? [{ role: 'user', content: input }] : (input as ResolvedItem[]),
  );
};
const GRAMMAR = 'start: begin_patch hunk+ end_patch\nbegin_patch: "*** Begin Patch" LF\n';
const APPLY_PATCH = {
  type: 'custom',
  name: 'apply_patch',
  description: 'Edit files.',
  format: { type: 'grammar', syntax: 'lark', definition: GRAMMAR },
};
const fn = (name: string) => ({ type: 'function', name, description: `${name}.`, parameters: { type: 'object' } });
const AGENTS = { type: 'namespace', name: 'multi_agent_v1', description: 'Sub-agents.', tools: [fn('spawn_agent')] };
const ANTHROPIC_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

it('a custom tool → a function of one string, its grammar in the description', () => {
  const { chat, ignored } = translate({ input: 'x', tools: [APPLY_PATCH] });
  expect(ignored).toEqual([]);
  const tool = chat.tools?.[0]?.function;
  expect(tool?.name).toBe('apply_patch');
  expect(tool?.parameters).toEqual({
    type: 'object',
    properties: { input: { type: 'string', description: expect.any(String) } },
    required: ['input'],
    additionalProperties: false,
  });
  expect(tool?.description).toContain('Edit files.');
  expect(tool?.description).toContain(`lark grammar exactly:\n${GRAMMAR}`);
});

it("a namespace's tools → qualified names within 64 characters, never a top-level tool's name; reversible", () => {
  const long = 'n'.repeat(40);
  const toolset = toolsetOf(
    parse({
      input: 'x',
      tools: [
        fn('multi_agent_v1__wait'),
        AGENTS,
        { type: 'namespace', name: 'multi_agent_v1', description: '', tools: [fn('wait')] },
        { type: 'namespace', name: long, description: 'Long.', tools: [fn('t'.repeat(40)), APPLY_PATCH] },
      ],
    }).tools,
  );
  const names = toolset.tools.map((tool) => tool.function.name);
  expect(names.slice(0, 2)).toEqual(['multi_agent_v1__wait', 'multi_agent_v1__spawn_agent']);
  expect(new Set(names).size).toBe(names.length);
  for (const name of names) expect(name).toMatch(ANTHROPIC_NAME);
  // The top-level tool keeps its name; the namespace's `wait` that would collide is hashed.
  expect(names[2]).toMatch(/^multi_agent_v1__wait_[0-9a-f]{8}$/);
  expect(names[3]).toHaveLength(64);
  expect(toolset.tools[1]?.function.description).toBe(
    'Part of the "multi_agent_v1" tools: Sub-agents.\n\nspawn_agent.',
  );
  for (const [name, namespace, kind] of [
    ['spawn_agent', 'multi_agent_v1', 'function'],
    ['wait', 'multi_agent_v1', 'function'],
    ['t'.repeat(40), long, 'function'],
    ['apply_patch', long, 'custom'],
  ] as const) {
    expect(toolset.entryOf(toolset.canonicalName(name, namespace))).toEqual({ kind, name, namespace });
  }
  expect(toolset.entryOf('multi_agent_v1__wait')).toEqual({ kind: 'function', name: 'multi_agent_v1__wait' });
});

it('earlier turns: custom_tool_call and its output, a namespaced function_call → canonical tool calls and tool messages', () => {
  const { chat } = translate({
    tools: [APPLY_PATCH, AGENTS],
    input: [
      { role: 'user', content: 'Fix it.' },
      { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_p', name: 'apply_patch', input: '*** Begin Patch\n' },
      {
        type: 'function_call',
        call_id: 'call_s',
        name: 'spawn_agent',
        namespace: 'multi_agent_v1',
        arguments: '{"task":"t"}',
      },
      { type: 'custom_tool_call_output', call_id: 'call_p', output: 'Done!' },
      { type: 'function_call_output', call_id: 'call_s', output: 'spawned' },
    ],
  });
  expect(chat.messages.slice(1)).toEqual([
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'call_p',
          type: 'function',
          function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n"}' },
        },
        {
          id: 'call_s',
          type: 'function',
          function: { name: 'multi_agent_v1__spawn_agent', arguments: '{"task":"t"}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: 'call_p', content: 'Done!' },
    { role: 'tool', tool_call_id: 'call_s', content: 'spawned' },
  ]);
});

it('tool_choice forcing a custom tool or a namespaced function; an unknown one is a 400 naming it', () => {
  const tools = [APPLY_PATCH, AGENTS, fn('f')];
  const forced = (choice: unknown) => translate({ input: 'x', tools, tool_choice: choice }).chat.tool_choice;
  expect(forced({ type: 'custom', name: 'apply_patch' })).toEqual({
    type: 'function',
    function: { name: 'apply_patch' },
  });
  expect(forced({ type: 'function', name: 'spawn_agent' })).toEqual({
    type: 'function',
    function: { name: 'multi_agent_v1__spawn_agent' },
  });
  expect(forced({ type: 'function', name: 'multi_agent_v1__spawn_agent' })).toEqual({
    type: 'function',
    function: { name: 'multi_agent_v1__spawn_agent' },
  });
  for (const choice of [
    { type: 'custom', name: 'f' },
    { type: 'function', name: 'apply_patch' },
  ]) {
    let caught: unknown;
    try {
      forced(choice);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).param).toBe('tool_choice.name');
  }
});

it("the answer's calls → a custom_tool_call with the raw input, a function_call with its namespace", () => {
  const toolset = toolsetOf(parse({ input: 'x', tools: [APPLY_PATCH, AGENTS] }).tools);
  const result: ChatResult = {
    content: null,
    refusal: null,
    usage: undefined,
    finishReason: 'tool_calls',
    toolCalls: [
      { id: 'call_p', name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n*** End Patch\\n"}' },
      { id: 'call_s', name: 'multi_agent_v1__spawn_agent', arguments: '{}' },
      { id: 'call_x', name: 'unknown', arguments: '{}' },
    ],
  };
  expect(outputOf(result, 'req_1', toolset, true)).toEqual([
    {
      id: 'ctc_req_1_0',
      type: 'custom_tool_call',
      status: 'completed',
      call_id: 'call_p',
      name: 'apply_patch',
      input: '*** Begin Patch\n*** End Patch\n',
    },
    {
      id: 'fc_req_1_1',
      type: 'function_call',
      status: 'completed',
      call_id: 'call_s',
      name: 'spawn_agent',
      namespace: 'multi_agent_v1',
      arguments: '{}',
    },
    {
      id: 'fc_req_1_2',
      type: 'function_call',
      status: 'completed',
      call_id: 'call_x',
      name: 'unknown',
      arguments: '{}',
    },
  ]);
});

it('the schema: a bad grammar syntax or tool name, a namespace without tools, a name given twice, are refused', () => {
  for (const tool of [
    { ...APPLY_PATCH, format: { type: 'grammar', syntax: 'ebnf', definition: 'x' } },
    { ...APPLY_PATCH, name: 'apply patch' },
    { type: 'namespace', name: 'ns', description: '', tools: [] },
    { type: 'namespace', name: 'ns', description: '', tools: [fn('a'), { ...APPLY_PATCH, name: 'a' }] },
  ]) {
    expect(responsesRequestSchema.safeParse({ model: 'target', input: 'x', tools: [tool] }).success).toBe(false);
  }
});

it('the schema: a tool name given twice at the top level or in one namespace is refused, naming where', () => {
  const issues = (tools: unknown[]) =>
    responsesRequestSchema.safeParse({ model: 'target', input: 'x', tools }).error?.issues.map((issue) => issue.path);
  expect(issues([fn('f'), { ...APPLY_PATCH, name: 'f' }])).toEqual([['tools', 1, 'name']]);
  expect(issues([AGENTS, AGENTS])).toEqual([['tools', 1, 'tools', 0, 'name']]);
  expect(issues([fn('spawn_agent'), AGENTS])).toBeUndefined();
});

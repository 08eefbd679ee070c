import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../lib/paths.js';
import { blocks, README, type Block } from './readme-blocks.js';

// The README's TypeScript and JavaScript blocks type-check as they are written: each one a module of its own (top-level
// await, imports of its own) under the project's compiler settings, against the client libraries installed here
// (openai, @anthropic-ai/sdk, ai, …). URLs and keys are placeholders; nothing runs.

const code = blocks(README).filter((b) => ['ts', 'typescript', 'js', 'javascript'].includes(b.lang));

/** A block as a file beside this test (so its imports resolve to the project's node_modules), never written. */
const fileOf = (block: Block): string =>
  join(REPO_ROOT, 'test', 'docs', `readme-block-${block.line}.${block.lang.startsWith('j') ? 'mjs' : 'mts'}`);

function compilerOptions(): ts.CompilerOptions {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(REPO_ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error('tsconfig.json unreadable');
  // A README reader's program: Node's types, no test globals; JavaScript blocks checked like TypeScript.
  return { ...config.options, types: ['node'], noEmit: true, allowJs: true, checkJs: true };
}

/** The diagnostics of every block, by its line, from one program over all of them. */
function diagnostics(checked: readonly Block[]): Map<number, string[]> {
  const options = compilerOptions();
  const files = new Map(checked.map((block) => [fileOf(block), block]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name);
  host.readFile = (name) => files.get(name)?.text ?? ts.sys.readFile(name);
  host.getSourceFile = (name, language, onError, create) => {
    const block = files.get(name);
    // `export {}`: a module even when the block imports nothing (its top-level await needs one).
    return block === undefined
      ? getSourceFile(name, language, onError, create)
      : ts.createSourceFile(name, `${block.text}\nexport {};\n`, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const found = new Map<number, string[]>();
  for (const [name, block] of files) {
    const source = program.getSourceFile(name);
    const messages = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
      (d) => {
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        return `README line ${block.line + at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      },
    );
    found.set(block.line, messages);
  }
  return found;
}

test('the README has TypeScript examples: openai, @anthropic-ai/sdk, the deployed smoke test', () => {
  expect(code.length).toBeGreaterThanOrEqual(3);
});

describe('each TypeScript/JavaScript block type-checks', () => {
  let found: Map<number, string[]>;
  beforeAll(() => {
    found = diagnostics(code);
  });
  test.each(code.map((b) => [b.line, b] as const))('the block at line %i', (line) => {
    expect(found.get(line)).toEqual([]);
  });
});

test('a wrong example is caught (the check is not vacuous)', () => {
  const wrong: Block = {
    line: 0,
    lang: 'ts',
    marker: undefined,
    text: "import OpenAI from 'openai';\nconst c = new OpenAI({ baseURL: 1 });\nawait c.chat.completions.create({ model: 'demo' });",
  };
  expect(diagnostics([wrong]).get(0)?.length).toBeGreaterThan(0);
});

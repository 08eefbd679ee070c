import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One source file of the graph: its repo-relative path, line count and the repo files it imports. */
export interface SourceFile {
  readonly path: string;
  readonly lines: number;
  readonly imports: readonly string[];
}

const SOURCE = /\.(ts|mts|js|mjs)$/;

function filesUnder(root: string, folder: string): string[] {
  const dir = join(root, folder);
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(root, join(folder, name));
    return SOURCE.test(name) ? [join(folder, name)] : [];
  });
}

const posix = (path: string): string => path.split(sep).join('/');

/** A relative specifier as the file it names: ESM `.js` endings name the `.ts` source. */
function resolveSpecifier(
  root: string,
  from: string,
  specifier: string,
  known: ReadonlySet<string>,
): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = posix(relative(root, resolve(root, dirname(from), specifier)));
  const candidates = [
    target,
    target.replace(/\.js$/, '.ts'),
    target.replace(/\.mjs$/, '.mts'),
    `${target}.ts`,
    `${target}/index.ts`,
  ];
  return candidates.find((candidate) => known.has(candidate));
}

/**
 * Every source file under `folders` with what it imports among them: static imports and re-exports (type-only ones
 * too: a type cycle is still a cycle between the files) and dynamic `import()`.
 */
export function importGraph(root: string, folders: readonly string[]): SourceFile[] {
  const paths = folders.flatMap((folder) => filesUnder(root, folder)).map(posix);
  const known = new Set(paths);
  return paths.map((path) => {
    const text = readFileSync(join(root, path), 'utf8');
    const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
    const imports = specifiers.flatMap((specifier) => resolveSpecifier(root, path, specifier, known) ?? []);
    return { path, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), imports: [...new Set(imports)] };
  });
}

/** The import cycles of the graph: its strongly connected components of more than one file, or a file importing itself. */
export function importCycles(files: readonly SourceFile[]): string[][] {
  const edges = new Map(files.map((file) => [file.path, file.imports]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of edges.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (edges.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file.path)) visit(file.path);
  return cycles;
}

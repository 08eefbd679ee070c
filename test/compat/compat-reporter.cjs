/**
 * A Jest reporter (jest.config.js, every run): from the results of test/compat/*.test.ts it writes
 * docs/COMPATIBILITY.md, the client × scenario × backend matrix, and its embeddings table. The layout (clients,
 * scenarios, backends, n/a reasons, footnotes) comes from test/compat/scenarios.ts, loaded through tsx; a cell is the
 * result of the test `describe('<client id> × <backend>') › it('<scenario id>')`.
 *
 * Deterministic (no dates, no durations), and written only when every compat test file present ran in full (each of
 * its cells passed or failed, none skipped), so a partial run (one file, `-t`, a file that did not compile) never
 * clobbers the committed matrix. A client listed in scenarios.ts without its test file yet is printed as such.
 */
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative, sep } = require('node:path');
const tsx = require('tsx/cjs/api');

const OUTPUT = join('docs', 'COMPATIBILITY.md');
const COMPAT_DIR = join('test', 'compat');

/** Whether `backend` serves `client`: a backend with `clients` (scenarios.ts) serves only those. */
function serves(backend, client) {
  return backend.clients === undefined || backend.clients.includes(client.id);
}

function cellKey(client, backend, scenario) {
  return `${client}\u0000${backend}\u0000${scenario}`;
}

/** The compat cells of a run: key → 'passed' | 'failed' | other statuses (skipped, pending, todo). */
function cellsOf(rootDir, results) {
  const cells = new Map();
  for (const file of results.testResults) {
    const path = relative(rootDir, file.testFilePath);
    if (!path.startsWith(COMPAT_DIR + sep)) continue;
    for (const test of file.testResults) {
      const match = /^(.+) × (.+)$/.exec(test.ancestorTitles[0] ?? '');
      if (match === null) continue;
      cells.set(cellKey(match[1], match[2], test.title), test.status);
    }
  }
  return cells;
}

/** The document's tables: chat (the matrix proper) and embeddings, each clients × scenarios × backends. */
function tablesOf(matrix) {
  return [
    {
      scenarios: matrix.SCENARIOS,
      clients: matrix.CLIENTS,
      backends: matrix.BACKENDS,
      notApplicable: matrix.NOT_APPLICABLE,
      limitations: matrix.LIMITATIONS,
      footnotes: matrix.FOOTNOTES,
      prefix: '',
      heading: '##',
    },
    {
      scenarios: matrix.EMBEDDING_SCENARIOS,
      clients: matrix.EMBEDDING_CLIENTS,
      backends: matrix.EMBEDDING_BACKENDS,
      notApplicable: matrix.EMBEDDING_NOT_APPLICABLE,
      limitations: {},
      footnotes: [],
      prefix: 'E',
      heading: '###',
    },
  ];
}

/**
 * One table's lines: a table per backend, then its notes (n/a reasons, limitations, footnotes, numbered with the
 * table's prefix) and its scenarios.
 */
function renderTable(table, cells, covered, titles) {
  const { scenarios, clients, backends, notApplicable, limitations, footnotes, prefix, heading } = table;
  const reasons = [];
  const limits = [];
  const cell = (client, backend, scenario) => {
    const status = cells.get(cellKey(client, backend, scenario));
    const reason = notApplicable[client]?.[scenario];
    if (status === 'passed' && reason !== undefined) {
      let index = reasons.findIndex((r) => r.client === client && r.scenario === scenario);
      if (index === -1) index = reasons.push({ client, scenario, reason }) - 1;
      return `n/a [${prefix}${index + 1}]`;
    }
    const limit = limitations[client]?.[backend]?.[scenario];
    if (status === 'passed' && limit !== undefined) {
      let index = limits.findIndex((l) => l.client === client && l.backend === backend && l.scenario === scenario);
      if (index === -1) index = limits.push({ client, backend, scenario, note: limit }) - 1;
      return `✅⚠ [${prefix}L${index + 1}]`;
    }
    return status === 'passed' ? '✅' : '❌';
  };
  const lines = [];
  for (const backend of backends) {
    lines.push(`${heading} ${backend.label} (\`${backend.id}\`)`, '');
    lines.push(`| client | ${scenarios.map((s) => s.label).join(' | ')} |`);
    lines.push(`| --- | ${scenarios.map(() => ':---:').join(' | ')} |`);
    for (const client of clients.filter((c) => serves(backend, c))) {
      const row = covered.has(client.id)
        ? scenarios.map((s) => cell(client.id, backend.id, s.id))
        : scenarios.map(() => '—');
      lines.push(`| ${client.label} | ${row.join(' | ')} |`);
    }
    for (const footnote of footnotes) {
      lines.push(`| ${footnote.client} | ${scenarios.map(() => footnote.cell).join(' | ')} |`);
    }
    lines.push('');
  }
  const missing = clients.filter((c) => !covered.has(c.id));
  if (missing.length > 0) {
    lines.push('—: no test file yet (' + missing.map((c) => `\`${COMPAT_DIR}/${c.id}.test.ts\``).join(', ') + ').', '');
  }
  if (reasons.length > 0) {
    lines.push(`${heading} ${titles.notApplicable}`, '');
    reasons.forEach((r, i) => lines.push(`${prefix}${i + 1}. ${r.client} · ${r.scenario}: ${r.reason}`));
    lines.push('');
  }
  if (limits.length > 0) {
    lines.push(`${heading} ${titles.limitations}`, '');
    limits.forEach((l, i) => lines.push(`${prefix}L${i + 1}. ${l.client} · ${l.backend} · ${l.scenario}: ${l.note}.`));
    lines.push('');
  }
  if (footnotes.length > 0) {
    lines.push(`${heading} Rows that land with another issue`, '');
    for (const footnote of footnotes) lines.push(`- ${footnote.client}: ${footnote.note}.`);
    lines.push('');
  }
  lines.push(`${heading} ${titles.scenarios}`, '');
  for (const s of scenarios) lines.push(`- **${s.label}** (\`${s.id}\`): ${s.checks}.`);
  lines.push('');
  return lines;
}

function render(matrix, cells, covered) {
  const [chat, embeddings] = tablesOf(matrix);
  const lines = [
    '# Compatibility: real clients through the gateway',
    '',
    '<!-- Generated; do not edit. Written by the test run: `npm test -- test/compat` (test/compat/compat-reporter.cjs). -->',
    '',
    'Written by the test run: `npm test -- test/compat`. Each cell is one end-to-end test in `test/compat/<client>.test.ts`:',
    'the client library with its default settings (its own `apiKey` option as it sends it, its own retries) against a',
    'local gateway, whose alias `compat-model` goes to a fake upstream that answers like a model',
    '(`test/compat/smart-upstreams.ts`). ✅ passed, ✅⚠ passed with a limitation (below), ❌ failed, n/a: the client cannot express the scenario (reason below).',
    '',
    'The OpenAI-backed alias is in the table twice: its target reached through chat completions (`api: "chat"`; the',
    "Responses clients then reach it translated) and through OpenAI's Responses API, the native lane of `/v1/responses`",
    "and an OpenAI target's default, which only the Responses clients use. There the fake validates each request as",
    'OpenAI does (`test/compat/responses-rules.ts`: unknown parameters and item types, unmatched tool calls, item ids',
    "that `store: false` never kept, reasoning items' encrypted content, strict schemas).",
    '',
    ...renderTable(chat, cells, covered, {
      notApplicable: 'Not applicable',
      limitations: 'Limitations',
      scenarios: 'Scenarios',
    }),
    '## Embeddings (`POST /v1/embeddings`)',
    '',
    "The same, for the embedding clients: the gateway's embedding alias `compat-embed` goes to a fake OpenAI",
    "(deterministic vectors: `test/fakes/fake-openai-embeddings.ts`) through a provider of the column's type, its chat",
    'alias `compat-chat` to the same fake (`test/compat/embeddings-harness.ts`).',
    '',
    ...renderTable(embeddings, cells, covered, {
      notApplicable: 'Not applicable (embeddings)',
      limitations: 'Limitations (embeddings)',
      scenarios: 'Embedding scenarios',
    }),
  ];
  return lines.join('\n');
}

class CompatReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const cells = cellsOf(this.rootDir, results);
    if (cells.size === 0) return;
    const matrix = tsx.require(join(this.rootDir, COMPAT_DIR, 'scenarios.ts'), __filename);
    const tables = tablesOf(matrix);
    const covered = new Set(
      tables
        .flatMap((table) => table.clients.map((c) => c.id))
        .filter((id) => existsSync(join(this.rootDir, COMPAT_DIR, `${id}.test.ts`))),
    );
    const incomplete = [];
    for (const table of tables) {
      for (const client of table.clients.filter((c) => covered.has(c.id))) {
        for (const backend of table.backends.filter((b) => serves(b, client))) {
          for (const scenario of table.scenarios) {
            const status = cells.get(cellKey(client.id, backend.id, scenario.id));
            if (status !== 'passed' && status !== 'failed') {
              incomplete.push(`${client.id} × ${backend.id} › ${scenario.id}`);
            }
          }
        }
      }
    }
    if (incomplete.length > 0) {
      console.log(`compat matrix: ${OUTPUT} not written (a partial run: ${incomplete.length} cells did not run)`);
      return;
    }
    const file = join(this.rootDir, OUTPUT);
    const text = render(matrix, cells, covered);
    const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (before !== text) writeFileSync(file, text);
    console.log(`compat matrix: ${OUTPUT} ${before === text ? 'unchanged' : 'written'}`);
  }
}

module.exports = CompatReporter;

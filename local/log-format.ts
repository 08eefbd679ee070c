/**
 * `npm start`'s log form: JSON lines as the Lambda functions write them, or — on a terminal, or with
 * LOG_FORMAT=pretty — one short readable line per log line. LOG_FORMAT=json keeps JSON on a terminal.
 */
export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT=json|pretty decides; otherwise pretty on a terminal, JSON into a pipe or a file. */
export function logFormatOf(env: NodeJS.ProcessEnv, isTty: boolean): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return isTty ? 'pretty' : 'json';
}

type Line = Record<string, unknown>;

/** Fields shown by the pretty line itself, or noise on a terminal; the rest of an other line follows as JSON. */
const SHOWN = new Set(['level', 'message', 'timestamp', 'requestId', 'awsRequestId']);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/** `22:53:01.123` from the line's ISO timestamp (the clock time is what a person reads on a terminal). */
const timeOf = (line: Line): string => {
  const timestamp = text(line.timestamp) ?? '';
  return /T(\d\d:\d\d:\d\d(?:\.\d+)?)/.exec(timestamp)?.[1] ?? timestamp;
};

const tokensOf = (line: Line): string | undefined => {
  const tokens = line.tokens;
  if (typeof tokens !== 'object' || tokens === null) return undefined;
  const { input, output } = tokens as Line;
  return `${text(input) ?? '?'}→${text(output) ?? '?'} tok`;
};

const costOf = (line: Line): string | undefined =>
  typeof line.costMicros === 'number' ? `$${(line.costMicros / 1e6).toFixed(6)}` : undefined;

const msOf = (line: Line): string | undefined =>
  typeof line.latencyMs === 'number' ? `${line.latencyMs}ms` : undefined;

const join = (parts: readonly (string | undefined)[]): string =>
  parts.filter((part) => part !== undefined && part !== '').join(' ');

/** How many invocations' method and path are kept for their "request completed" lines (the oldest go first). */
export const INVOCATIONS_KEPT = 1_000;
const invocations = new Map<string, string>();

let noting = false;

/**
 * Turns noteInvocation on: only the pretty form reads what it notes, so with JSON lines (a pipe, the bench) a request
 * does not pay for it. bin/local.ts calls it when it picks the pretty form.
 */
export function noteInvocations(): void {
  noting = true;
}

/**
 * Notes an invocation's method and path under its Lambda request id (local/server.ts, as it calls a function): a chat
 * request's "request completed" line leaves them out (it stays under the log-bytes budget in AWS, where API Gateway
 * logs them), and its pretty form takes them from here by the line's `awsRequestId`.
 */
export function noteInvocation(awsRequestId: string, method: string, path: string): void {
  if (!noting) return;
  invocations.delete(awsRequestId);
  invocations.set(awsRequestId, `${method} ${path}`);
  const oldest = invocations.keys().next();
  if (invocations.size > INVOCATIONS_KEPT && oldest.done !== true) invocations.delete(oldest.value);
}

/** `METHOD path` of a line: its own fields (the access line), else its invocation's (a "request completed" line). */
function routeOf(line: Line): string | undefined {
  if (text(line.method) !== undefined || text(line.path) !== undefined)
    return join([text(line.method), text(line.path)]);
  const id = text(line.awsRequestId);
  return id === undefined ? undefined : invocations.get(id);
}

/** One request's line: the access line ("request") or a chat request's "request completed" line. */
function requestLine(line: Line): string {
  const target = text(line.provider) && text(line.model) ? `${text(line.provider)}/${text(line.model)}` : undefined;
  return join([
    timeOf(line),
    text(line.status),
    routeOf(line),
    text(line.alias),
    target === undefined ? undefined : `(${target})`,
    tokensOf(line),
    costOf(line),
    msOf(line),
    line.stream === true ? 'stream' : undefined,
    text(line.requestId),
  ]);
}

/** Any other line: time, level, message, request id, then its other fields as compact JSON. */
function otherLine(line: Line): string {
  const rest = Object.fromEntries(Object.entries(line).filter(([key]) => !SHOWN.has(key)));
  return join([
    timeOf(line),
    text(line.level),
    text(line.message),
    text(line.requestId),
    Object.keys(rest).length === 0 ? undefined : JSON.stringify(rest),
  ]);
}

/**
 * Lines left out of the pretty form: the authorizer's "allowed" line (its tenant and key are in the request's own
 * line's JSON form; a terminal shows one line per request). Denials and everything else stay.
 */
const QUIET = new Set(['authorizer allowed']);

/**
 * The pretty form of one JSON log line (undefined: left out); anything that is not a JSON object (the start banner)
 * is kept as it is.
 */
export function prettyLine(raw: string): string | undefined {
  if (!raw.startsWith('{')) return raw;
  let line: unknown;
  try {
    line = JSON.parse(raw);
  } catch {
    return raw;
  }
  if (typeof line !== 'object' || line === null || Array.isArray(line)) return raw;
  const fields = line as Line;
  if (fields.level === 'INFO' && QUIET.has(String(fields.message))) return undefined;
  const request = fields.message === 'request completed' || fields.message === 'request';
  return request ? requestLine(fields) : otherLine(fields);
}

/** Every line of a written chunk in the pretty form (a chunk holds whole lines: Powertools writes one per call). */
export const prettyText = (chunk: string): string =>
  chunk
    .split('\n')
    .map(prettyLine)
    .filter((line) => line !== undefined)
    .join('\n');

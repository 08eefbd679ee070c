import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * Work a request leaves for after its response: a streaming function may end its response stream and keep working
 * until its handler resolves (after that Lambda freezes the instance), so what the client does not need to wait for
 * — the booking — is registered here while the answer is made and run once the response stream has ended
 * (streaming-mode.ts: Middy's streaming function has resolved). The invocation resolves only when it is done.
 * Keyed on the invocation's event object, as client-signal.ts keys its watch. An invocation nobody opened a registry
 * for (buffered functions, direct handler calls in tests) runs the work at once, awaited by its caller, as before.
 */

/** `inline`: run at once, its caller waiting (no registry); false when run after the response. */
type Task = (inline: boolean) => Promise<void>;

interface Registry {
  readonly tasks: Task[];
  open: boolean;
  /** Resolves when the invocation's work after the response is done. */
  readonly done: Promise<void>;
  readonly finish: () => void;
}

const registries = new WeakMap<APIGatewayProxyEvent, Registry>();
// Registries holding work not yet done, process-wide: whenAfterResponsesDone waits for them.
const pending = new Set<Registry>();

/** Opens the registry of one invocation (streaming-mode.ts, before Middy's pipeline runs). */
export function openAfterResponse(event: APIGatewayProxyEvent): void {
  let finish = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  registries.set(event, { tasks: [], open: true, done, finish });
}

/**
 * Runs `task` after this invocation's response has ended when the invocation has an open registry (resolving at
 * once), else now (resolving when the task does, rejecting when it throws).
 */
export function afterResponse(event: APIGatewayProxyEvent, task: Task): Promise<void> {
  const registry = registries.get(event);
  if (registry === undefined || !registry.open) return task(true);
  registry.tasks.push(task);
  pending.add(registry);
  return Promise.resolve();
}

/**
 * Runs what the invocation registered, in order, one after the other; a task that throws is handed to `onError`
 * and the others still run. Waits a turn of the event loop first and after each round: a response body destroyed
 * before its first read settles its books on its 'close' event, just after the pipeline gave up on it.
 */
export async function runAfterResponse(event: APIGatewayProxyEvent, onError: (err: unknown) => void): Promise<void> {
  const registry = registries.get(event);
  if (registry === undefined) return;
  try {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const tasks = registry.tasks.splice(0);
      if (tasks.length === 0) break;
      for (const task of tasks) {
        try {
          await task(false);
        } catch (err) {
          onError(err);
        }
      }
    }
  } finally {
    registry.open = false;
    registries.delete(event);
    pending.delete(registry);
    registry.finish();
  }
}

/**
 * Resolves once the work registered so far in this process, for after the responses, is done (not waiting for work
 * registered later): the local server's readers, and tests, see what a client was answered. In AWS a booking lands a
 * moment after its client got the answer.
 */
export async function whenAfterResponsesDone(): Promise<void> {
  await Promise.all([...pending].map((registry) => registry.done));
}

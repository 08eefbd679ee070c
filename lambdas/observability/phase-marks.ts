import { writeSync } from 'node:fs';

/**
 * Opt-in timing of one request's phases (GATEWAY_PHASE_MARKS=1; docs/PERFORMANCE.md): each `phaseMark?.(name)` notes
 * the time and the process's CPU time; `phaseEnd?.()` folds the request's marks into per-phase samples (wall and CPU
 * from one mark to the next, and the whole request from `edge in`), and every `GATEWAY_PHASE_MARKS_EVERY` requests
 * (default 100) prints their medians to stderr. Meant for requests one at a time (the bench's `--aws` mode, which
 * waits for a request's work after its response): concurrent requests would interleave their marks. Off, both are
 * undefined, so a call site costs one check.
 */
export interface PhaseMarks {
  mark(name: string): void;
  end(): void;
}

interface Mark {
  readonly name: string;
  readonly wall: number;
  readonly cpu: number;
}

/** The name of the first mark of a request (local/server.ts): it starts a fresh list. */
export const FIRST_PHASE = 'edge in';

const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const ms = (value: number): string => value.toFixed(3).padStart(7);

/** Marks that print their medians through `write` every `every` requests; clocks injectable for tests. */
export function createPhaseMarks(
  every: number,
  write: (text: string) => void,
  clocks: { wall: () => number; cpu: () => number } = { wall: () => performance.now(), cpu: cpuNow },
): PhaseMarks {
  let marks: Mark[] = [];
  const samples = new Map<string, { wall: number[]; cpu: number[] }>();
  let requests = 0;
  const sample = (phase: string, from: Mark, to: Mark): void => {
    const entry = samples.get(phase) ?? { wall: [], cpu: [] };
    entry.wall.push(to.wall - from.wall);
    entry.cpu.push(to.cpu - from.cpu);
    samples.set(phase, entry);
  };
  const mark = (name: string): void => {
    if (name === FIRST_PHASE) marks = [];
    marks.push({ name, wall: clocks.wall(), cpu: clocks.cpu() });
  };
  return {
    mark,
    end() {
      mark('end');
      for (let i = 1; i < marks.length; i++) {
        const from = marks[i - 1] as Mark;
        const to = marks[i] as Mark;
        sample(`${from.name} → ${to.name}`, from, to);
      }
      const first = marks[0] as Mark;
      if (first.name === FIRST_PHASE) sample('(whole request)', first, marks[marks.length - 1] as Mark);
      marks = [];
      requests += 1;
      if (requests % every !== 0) return;
      const lines = [...samples].map(
        ([phase, { wall, cpu }]) =>
          `${phase.padEnd(48)} wall ${ms(median(wall))} ms  cpu ${ms(median(cpu))} ms  n=${wall.length}`,
      );
      write(`phase medians after ${requests} requests:\n${lines.join('\n')}\n`);
    },
  };
}

const marks =
  process.env.GATEWAY_PHASE_MARKS === '1'
    ? createPhaseMarks(Number(process.env.GATEWAY_PHASE_MARKS_EVERY ?? 100) || 100, (text) => writeSync(2, text))
    : undefined;

/** Notes a phase boundary of the current request (undefined unless GATEWAY_PHASE_MARKS=1). */
export const phaseMark: ((name: string) => void) | undefined = marks?.mark;
/** Ends the current request's marks (undefined unless GATEWAY_PHASE_MARKS=1). */
export const phaseEnd: (() => void) | undefined = marks?.end;

import { createPhaseMarks, FIRST_PHASE, phaseEnd, phaseMark } from '../../lambdas/observability/phase-marks.js';

describe('phase marks (GATEWAY_PHASE_MARKS)', () => {
  it('are off unless asked for: nothing to call on the request path', () => {
    expect(process.env.GATEWAY_PHASE_MARKS).toBeUndefined();
    expect(phaseMark).toBeUndefined();
    expect(phaseEnd).toBeUndefined();
  });

  it('print the median wall and CPU time of each phase, and of the whole request, every n requests', () => {
    let wall = 0;
    let cpu = 0;
    const printed: string[] = [];
    const marks = createPhaseMarks(3, (text) => printed.push(text), { wall: () => wall, cpu: () => cpu });
    for (const parse of [1, 2, 9]) {
      marks.mark(FIRST_PHASE);
      wall += parse;
      cpu += parse / 2;
      marks.mark('parsed');
      wall += 10;
      marks.end();
      expect(printed).toHaveLength(parse === 9 ? 1 : 0);
    }
    const lines = (printed[0] ?? '').split('\n');
    expect(lines[0]).toBe('phase medians after 3 requests:');
    expect(lines.find((line) => line.startsWith('edge in → parsed'))).toMatch(
      /wall +2\.000 ms {2}cpu +1\.000 ms {2}n=3$/,
    );
    expect(lines.find((line) => line.startsWith('parsed → end'))).toMatch(/wall +10\.000 ms {2}cpu +0\.000 ms {2}n=3$/);
    expect(lines.find((line) => line.startsWith('(whole request)'))).toMatch(
      /wall +12\.000 ms {2}cpu +1\.000 ms {2}n=3$/,
    );
  });

  it('start a fresh list at the first phase, dropping marks a request left without its end', () => {
    let wall = 0;
    const printed: string[] = [];
    const marks = createPhaseMarks(1, (text) => printed.push(text), { wall: () => (wall += 1), cpu: () => 0 });
    marks.mark(FIRST_PHASE);
    marks.mark('abandoned');
    marks.mark(FIRST_PHASE);
    marks.mark('parsed');
    marks.end();
    expect(printed[0]).not.toContain('abandoned');
    expect(printed[0]).toContain('edge in → parsed');
  });
});

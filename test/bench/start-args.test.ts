import { startNodeArgs } from '../../bench/start-args.js';

const withStart = (start: string | undefined): string =>
  JSON.stringify({ scripts: start === undefined ? {} : { start } });

describe("the bench runs the gateway with npm start's node flags", () => {
  it("takes the flags of the repository's start script (the young generation sized for a long-lived server)", () => {
    expect(startNodeArgs()).toContain('--max-semi-space-size=64');
  });

  it('reads a start script with no flags, one or several', () => {
    expect(startNodeArgs(withStart('node bin/start.mjs'))).toEqual([]);
    expect(startNodeArgs(withStart('node --max-semi-space-size=32 bin/start.mjs'))).toEqual([
      '--max-semi-space-size=32',
    ]);
    expect(startNodeArgs(withStart('node --a=1  --b bin/start.mjs'))).toEqual(['--a=1', '--b']);
  });

  it('refuses a start script of another shape rather than measure something else', () => {
    expect(() => startNodeArgs(withStart('tsx bin/local.ts'))).toThrow(/start script/);
    expect(() => startNodeArgs(withStart('node bin/start.mjs --port 1'))).toThrow(/start script/);
    expect(() => startNodeArgs(withStart(undefined))).toThrow(/start script/);
  });
});

/** `npm run cost`'s command line: every mistake names the flag and the fix; the report in both formats. */
import { parseCostArgs, parseMix, runCost, UsageError, USAGE, type Io } from '../../../cost/cli';
import { DEFAULT_MIX } from '../../../cost/model';
import { BUDGET } from '../../../guide';
import { program } from './fixtures';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const measured: unknown[] = [];
  const value: Io = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    loadProgram: async (stack) => program({}, stack),
    measure: async (opts) => {
      measured.push(opts);
      return { measuredAt: 'now' };
    },
  };
  return { io: value, out, err, measured };
}

const usageError = (argv: string[]) => {
  try {
    parseCostArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

describe('parseCostArgs', () => {
  it('reads the flags, with prod, md and the default mix unless told', () => {
    expect(parseCostArgs(['--per-day', '1000'])).toMatchObject({
      perDay: 1000,
      stack: 'prod',
      format: 'md',
      mix: DEFAULT_MIX,
      measure: false,
    });
    expect(parseCostArgs(['--per-day=250', '--stack', 'dev', '--format', 'json', '--mix', 'TASK=1', '--chart', 'out/c.png'])).toMatchObject(
      {
        perDay: 250,
        stack: 'dev',
        format: 'json',
        chart: 'out/c.png',
        mix: { SUBGOAL_GENERATION: 0, ACTION_GENERATION: 0, TASK_GENERATION: 1 },
      },
    );
  });

  it.each([
    [['--stack', 'prod'], '--per-day is required'],
    [['--per-day', 'lots'], '--per-day must be a number'],
    [['--per-day', '-5'], "Option '--per-day"],
    [['--per-day', '10', '--stack', 'qa'], '--stack must be one of dev, prod, not "qa"'],
    [['--per-day', '10', '--format', 'csv'], '--format must be md or json'],
    [['--per-day', '10', '--chart', 'cost.jpg'], '--chart must name a .png file'],
    [['--per-day', '10', '--colour'], "Unknown option '--colour'"],
    [['--per-day', '10', '--processes', '5'], '--processes only goes with --measure'],
    [['--measure', '--processes', '0'], '--processes must be at least 1'],
    [['--per-day', '10', 'extra'], "Unexpected argument 'extra'"],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });
});

describe('parseMix', () => {
  it('accepts short and full type names', () => {
    expect(parseMix('SUBGOAL=0.5,ACTION_GENERATION=0.25,task=0.25')).toEqual({
      SUBGOAL_GENERATION: 0.5,
      ACTION_GENERATION: 0.25,
      TASK_GENERATION: 0.25,
    });
  });

  it.each([
    ['SUBGOAL=0.5,ACTION=0.3', 'the shares add up to 0.8, not 1'],
    ['SUBGOAL=1.5', 'must be between 0 and 1'],
    ['PLAN=1', 'unknown type "PLAN"'],
    ['SUBGOAL:1', '"SUBGOAL:1" is not TYPE=share'],
  ])('refuses %s', (mix, message) => {
    expect(() => parseMix(mix)).toThrow(message);
  });
});

describe('runCost', () => {
  it('prints the error and the usage and exits 2 on a mistake', async () => {
    const t = io();
    expect(await runCost(['--per-day', 'x'], t.io)).toBe(2);
    expect(t.err.join('\n')).toContain('--per-day must be a number');
    expect(t.err.join('\n')).toContain(USAGE);
  });

  it('prints the usage for --help', async () => {
    const t = io();
    expect(await runCost(['--help'], t.io)).toBe(0);
    expect(t.out).toEqual([USAGE]);
  });

  it('prints the bill, the budget, the break-even and the capacity as markdown', async () => {
    const t = io();
    expect(await runCost(['--per-day', '1000'], t.io)).toBe(0);
    const text = t.out.join('\n');
    for (const heading of [
      '# Monthly cost: stack prod, 1,000 processes/day',
      `## Against the budget ($${BUDGET.monthlyUsd}/month)`,
      '## Capacity at the peak hour',
      '## Per process',
      '## Prices',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toMatch(/\| lambda \(40 %\) \| \$200 \|/);
  });

  it('prints JSON whose total is the sum of its lines', async () => {
    const t = io();
    expect(await runCost(['--per-day', '500', '--format', 'json', '--stack', 'dev'], t.io)).toBe(0);
    const r = JSON.parse(t.out.join(''));
    expect(r.stack).toBe('dev');
    expect(r.totalUsd).toBeCloseTo(
      r.lines.reduce((n: number, l: { usd: number }) => n + l.usd, 0),
      9,
    );
    expect(Object.keys(r.budget.shares)).toEqual(Object.keys(BUDGET.sharePercent));
  });

  it('hands --measure to the measurement with the process count', async () => {
    const t = io();
    expect(await runCost(['--measure', '--processes', '3'], t.io)).toBe(0);
    expect(t.measured).toEqual([{ perType: 3, command: 'npm run cost -- --measure --processes 3' }]);
  });
});

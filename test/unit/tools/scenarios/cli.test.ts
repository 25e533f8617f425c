/**
 * `npm run scenarios` refuses what it does not understand before it starts anything: a full run
 * takes about half an hour and overwrites the committed results, so a mistyped or unknown option
 * must not fall through to it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SCENARIOS } from '../../../../observability/scenarios/scenarios';

const ROOT = join(__dirname, '..', '..', '..', '..');

function scenarios(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools', 'scenarios', 'cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run scenarios, its command line', () => {
  it('prints its usage for --help and runs nothing', () => {
    const run = scenarios('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('usage: npm run scenarios');
    for (const s of SCENARIOS) expect(run.stdout).toContain(s.id);
    expect(run.stderr).not.toContain('running');
  });

  it.each([
    [['--hlep'], /Unknown option '--hlep'/],
    [['--only', 'model-error-strom'], /--only: no scenario model-error-strom; the ids are normal-day, /],
    [['--scale', 'fast'], /--scale fast must be a number of at least 1/],
    [['--parallel', '0'], /--parallel 0 must be a whole number of at least 1/],
    [['stuck-processes'], /Unexpected argument 'stuck-processes'/],
  ])('refuses %j with exit code 2, the reason and the usage', (args, reason) => {
    const run = scenarios(...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toContain('usage: npm run scenarios');
    expect(run.stderr).not.toContain('running');
  });
});

/**
 * `npm run check:guide`: proves that a number of the guide is written once. On a scratch copy of
 * the repository it changes guide numbers (the worker's timeout 300 → 240 s, the Lambda error
 * alarm 3-of-5 → 4-of-5), regenerates every document, checks that each document stating the
 * number changed and none still states the old one, then runs the tests unchanged: they must pass.
 *
 * `--no-tests` checks the documents only; `--unit` runs the unit tests only; `--keep` leaves the copy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatedArtifacts } from './artifacts';

const ROOT = join(__dirname, '..');

export interface GuideChange {
  readonly what: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  /** Documents that state the number, and how a stale statement of the old value reads there. */
  readonly stale: readonly { readonly file: string; readonly pattern: RegExp }[];
}

export const CHANGES: readonly GuideChange[] = [
  {
    what: 'AIGenerationWorker timeout 300 s → 240 s',
    file: 'guide/index.ts',
    from: "role: 'worker',\n    memoryMb: 1024,\n    timeoutSeconds: 300,",
    to: "role: 'worker',\n    memoryMb: 1024,\n    timeoutSeconds: 240,",
    stale: [
      { file: 'README.md', pattern: /\| `AIP_STEP_TIMEOUT_SECONDS` \| `300` \|/ },
      { file: 'README.md', pattern: /one 300 s worker/ },
      { file: 'docs/runbook.md', pattern: /Duration ai-generation-worker > 240000 ms/ },
      { file: 'docs/runbook.md', pattern: /step’s timeout \(150 seconds\)/ },
    ],
  },
  {
    what: 'Lambda error alarm 3 of 5 minutes → 4 of 5',
    file: 'guide/alarms.ts',
    from: 'errors: { periodSeconds: 60, periods: 5, datapoints: 3 },\n    throttles',
    to: 'errors: { periodSeconds: 60, periods: 5, datapoints: 4 },\n    throttles',
    stale: [
      { file: 'docs/runbook.md', pattern: /with an error in 3 of the last 5 minutes/ },
      { file: 'docs/runbook.md', pattern: /Errors [a-z-]+ > 0 in 3 of 5 1 min windows/ },
    ],
  },
];

function copyRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aip-check-guide-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

const read = (dir: string, file: string): string => readFileSync(join(dir, file), 'utf8');

/** Problems with the documents of `dir` after the changes; empty when every statement followed. */
export function documentProblems(dir: string, before: (file: string) => string): string[] {
  const problems: string[] = [];
  for (const change of CHANGES) {
    for (const { file, pattern } of change.stale) {
      if (!pattern.test(before(file)))
        problems.push(`${change.what}: ${file} did not state the old value as ${pattern} before the change; update tools/check-guide.ts`);
      else if (pattern.test(read(dir, file)))
        problems.push(
          `${change.what}: ${file} still states the old value (${pattern}) after regenerating: write that sentence from guide/`,
        );
    }
  }
  return problems;
}

function main(): number {
  let values: { 'no-tests'?: boolean; unit?: boolean; keep?: boolean };
  try {
    ({ values } = parseArgs({
      options: { 'no-tests': { type: 'boolean' }, unit: { type: 'boolean' }, keep: { type: 'boolean' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\nusage: npm run check:guide [-- --no-tests | --unit] [--keep]`);
    return 2;
  }
  const dir = copyRepository();
  try {
    for (const c of CHANGES) {
      const text = read(dir, c.file);
      if (!text.includes(c.from)) {
        console.error(`${c.file} no longer contains ${JSON.stringify(c.from)}: update the change "${c.what}" in tools/check-guide.ts`);
        return 1;
      }
      writeFileSync(join(dir, c.file), text.replace(c.from, c.to));
      console.log(`changed ${c.file}: ${c.what}`);
    }
    execFileSync(process.execPath, ['--import', 'tsx', 'tools/generate.ts'], { cwd: dir, stdio: 'inherit' });
    for (const file of Object.keys(generatedArtifacts())) {
      const [a, b] = [read(ROOT, file).split('\n'), read(dir, file).split('\n')];
      const lines = b.filter((line, i) => line !== a[i]).length;
      console.log(`  ${file}: ${lines ? `${lines} line(s) changed` : 'unchanged'}`);
    }
    const problems = documentProblems(dir, (file) => read(ROOT, file));
    for (const p of problems) console.error(p);
    if (problems.length === 0)
      console.log(
        `Every document that states the changed numbers changed (${[...new Set(CHANGES.flatMap((c) => c.stale.map((s) => s.file)))].join(', ')}).`,
      );
    if (values['no-tests']) return problems.length ? 1 : 0;
    // This checker's own test reads the committed documents as fixtures of the old values, which the copy has regenerated.
    const ownTest = ['--testPathIgnorePatterns', '/test/unit/tools/check-guide\\.test\\.ts$'];
    const jest = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...ownTest, ...(values.unit ? ['--selectProjects', 'unit'] : [])],
      { cwd: dir, stdio: 'inherit' },
    );
    if (jest.status !== 0)
      console.error('Tests failed on the changed guide: a test repeats a guide number instead of importing it from guide/.');
    else console.log('The tests pass unchanged on the changed guide.');
    return problems.length || jest.status !== 0 ? 1 : 0;
  } finally {
    if (values.keep) console.log(`copy kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main();

/** npm run check:guide's judgement of the regenerated documents (the full run is the script itself). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CHANGES, documentProblems } from '../../../tools/check-guide';

const ROOT = join(__dirname, '..', '..', '..');
const committed = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const files = [...new Set(CHANGES.flatMap((c) => c.stale.map((s) => s.file)))];

describe('documentProblems', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aip-check-guide-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };

  it('finds every old statement when nothing was regenerated', () => {
    for (const f of files) write(f, committed(f));
    const problems = documentProblems(dir, committed);
    expect(problems).toHaveLength(CHANGES.flatMap((c) => c.stale).length);
    expect(problems[0]).toMatch(/still states the old value .* after regenerating: write that sentence from guide\//);
  });

  it('is satisfied when no document states an old value any more', () => {
    for (const f of files) write(f, 'regenerated, with the new numbers');
    expect(documentProblems(dir, committed)).toEqual([]);
  });

  it('refuses to pass when the committed documents never stated the old value (the check itself went stale)', () => {
    for (const f of files) write(f, 'regenerated');
    expect(documentProblems(dir, () => 'no numbers here')[0]).toMatch(/did not state the old value .* update tools\/check-guide\.ts/);
  });
});

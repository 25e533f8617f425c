/**
 * The import-boundary check (`npm run boundaries`), proven the way it fails: wrong-way imports
 * and a cycle between folders planted in a copy of the repository, each reported with its files;
 * the real tree passes.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderCycles, SOURCE_FOLDERS } from '../../../tools/check-boundaries';

const ROOT = join(__dirname, '..', '..', '..');

function check(root: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools', 'check-boundaries.ts'), '--root', root], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** A copy of the repository's sources, sharing its node_modules. */
function copyOfRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aip-boundaries-'));
  for (const entry of [...SOURCE_FOLDERS, 'tsconfig.json', 'package.json', '.dependency-cruiser.cjs']) {
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('the import-boundary check', () => {
  it('passes on the real tree', () => {
    const { status, output } = check(ROOT);
    expect(output).toContain('Import boundaries hold');
    expect(status).toBe(0);
  });

  describe('on a copy with planted imports', () => {
    let dir: string;
    let result: { status: number | null; output: string };
    const plant = (file: string, line: string) => appendFileSync(join(dir, file), `\n${line}\n`);

    beforeAll(() => {
      dir = copyOfRepository();
      // A type-only import counts: it still ties the functions to infra.
      plant(
        'functions/src/http/route-table.ts',
        "import type { StackConfig } from '../../../infra/config';\nexport type Planted = StackConfig;",
      );
      plant('guide/alerts.ts', "import { readFileSync } from 'node:fs';\nexport const planted = readFileSync;");
      plant(
        'observability/runbook.ts',
        "import { parseAlertingSettings } from '../infra/config/alerting';\nexport const planted = parseAlertingSettings;",
      );
      plant('observability/metrics.ts', "import * as pulumi from '@pulumi/pulumi';\nexport const planted = pulumi.output;");
      plant('infra/index.ts', "import { READY_MESSAGE } from '../local/config';\nexport const planted = READY_MESSAGE;");
      // bench and test may import anything, but not each other both ways.
      plant('bench/lib/stats.ts', "import { captureOutput } from '../../test/helpers/output';\nexport const planted = captureOutput;");
      plant('test/helpers/output.ts', "import { median } from '../../bench/lib/stats';\nexport const plantedToo = median;");
      result = check(dir);
    }, 60_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('fails', () => {
      expect(result.status).toBe(1);
    });

    it.each([
      ['functions-imports-only-guide', 'functions/src/http/route-table.ts → infra/config/index.ts'],
      ['guide-imports-nothing', 'guide/alerts.ts → fs'],
      ['observability-imports-only-guide-functions', 'observability/runbook.ts → infra/config/alerting.ts'],
      // The copy shares node_modules through a symlink, which the resolver follows.
      ['no-pulumi-below-infra', /observability\/metrics\.ts → \S*node_modules\/@pulumi\/pulumi\/index\.js/],
      ['infra-imports-only-guide-functions-observability', 'infra/index.ts → local/config.ts'],
    ] as [string, string | RegExp][])('names the rule %s and the files of the import (%s)', (rule, files) => {
      const section = result.output.split(/\n(?=\S)/).find((s) => s.startsWith(`Wrong-way import (${rule})`));
      expect(section).toBeDefined();
      if (typeof files === 'string') expect(section).toContain(`  ${files}`);
      else expect(section).toMatch(files);
    });

    it('names a cycle between folders and the imports that close it', () => {
      // Other folders may join the planted cycle (chaos reads bench's CPU meter and test runs chaos).
      expect(result.output).toMatch(/Cycle between folders (\w+, )*bench, (\w+, )*test\b/);
      expect(result.output).toContain('bench → test: bench/lib/stats.ts → test/helpers/output.ts');
      expect(result.output).toContain('test → bench: test/helpers/output.ts → bench/lib/stats.ts');
    });
  });

  describe('folderCycles', () => {
    it('finds a cycle through three folders that no single pair closes', () => {
      const edges = new Map([
        ['bench', new Map([['test', 'b → t']])],
        ['test', new Map([['tools', 't → x']])],
        [
          'tools',
          new Map([
            ['bench', 'x → b'],
            ['guide', 'x → g'],
          ]),
        ],
      ]);
      expect(folderCycles(edges)).toEqual([['bench', 'test', 'tools']]);
    });

    it('finds none in a layered graph', () => {
      const edges = new Map([
        [
          'infra',
          new Map([
            ['guide', 'i → g'],
            ['functions', 'i → f'],
          ]),
        ],
        ['functions', new Map([['guide', 'f → g']])],
      ]);
      expect(folderCycles(edges)).toEqual([]);
    });
  });
});

/**
 * The committed dashboard pictures (dashboards/generated/<stack>.png) show the current dashboard:
 * each carries the digest of the body and alarms it was drawn from, which must be the program's
 * now. A change to a widget or an alarm without `npm run dashboards` fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawStackConfig } from '../../../infra/config/stack-file';
import { picturePath, pictureSourceDigest, SOURCE_DIGEST_KEY, staleness } from '../../../tools/dashboard-pictures';
import { readText, withText } from '../../../tools/png-text';
import { ROOT, STACKS } from '../../../tools/review-stacks';

const picture = (stack: string) => readFileSync(join(ROOT, picturePath(stack)));

describe('Dashboard pictures', () => {
  it.each(STACKS)('%s.png is a picture of the current dashboard and alarms', (stack) => {
    const png = picture(stack);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const problem = staleness(stack, png);
    if (problem) throw new Error(problem);
  });

  it('goes stale when an alarm changes (the database capacity sets the connections alarm)', () => {
    const raw = rawStackConfig('prod');
    const db = raw['async-ai-pipeline:database'] as Record<string, unknown>;
    const changed = pictureSourceDigest('prod', {
      ...raw,
      'async-ai-pipeline:database': { ...db, maxCapacity: Number(db.maxCapacity) * 2 },
    });
    expect(changed).not.toBe(pictureSourceDigest('prod'));
    expect(staleness('prod', picture('prod'), changed)).toMatch(
      /prod\.png shows an older dashboard or alarms than the program's: run `npm run dashboards`/,
    );
  });

  it('goes stale when a widget changes, and differs between the stacks', () => {
    const raw = rawStackConfig('dev');
    expect(pictureSourceDigest('dev', { ...raw, 'async-ai-pipeline:alerting': { runbookUrl: 'https://example.com/runbook.md' } })).not.toBe(
      pictureSourceDigest('dev'),
    );
    expect(pictureSourceDigest('dev')).not.toBe(pictureSourceDigest('prod'));
  });

  it('reports a picture that does not say what it shows', () => {
    const bare = withText(picture('dev'), {});
    const stripped = Buffer.from(bare.toString('latin1').replace(SOURCE_DIGEST_KEY, 'something-else-entirely-xx'), 'latin1');
    expect(staleness('dev', stripped)).toMatch(/does not say what it shows/);
  });

  it('keeps the PNG valid: text chunks round-trip and replace their keyword', () => {
    const once = withText(picture('dev'), { a: '1' });
    const twice = withText(once, { a: '2', b: 'x' });
    expect(readText(twice)).toMatchObject({ a: '2', b: 'x', [SOURCE_DIGEST_KEY]: readText(picture('dev'))[SOURCE_DIGEST_KEY] });
    expect(twice.length).toBe(once.length + 'b\0x'.length + 12);
  });
});

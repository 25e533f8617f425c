/** The README's generated regions: filled from the code, and a region nobody generates is an error. */
import { AUTH, FUNCTIONS } from '../../../guide';
import { README_REGIONS, renderReadme } from '../../../tools/readme';

const region = (name: string) => `<!-- generated:${name} -->\nstale text\n<!-- /generated -->`;
const all = Object.keys(README_REGIONS).map(region).join('\n\n');

describe('renderReadme', () => {
  it('fills every region from the code and leaves the hand-written text alone', () => {
    const out = renderReadme(`# Title\n\nBy hand.\n\n${all}\n\nAlso by hand.\n`);
    expect(out).not.toContain('stale text');
    expect(out.startsWith('# Title\n\nBy hand.\n\n<!-- generated:settings -->\n| variable | default | meaning |')).toBe(true);
    expect(out.endsWith('<!-- /generated -->\n\nAlso by hand.\n')).toBe(true);
  });

  it('states the defaults the code uses, e.g. the worker timeout as the step timeout', () => {
    const settings = README_REGIONS.settings!();
    expect(settings).toContain(`| \`AIP_STEP_TIMEOUT_SECONDS\` | \`${FUNCTIONS.aiGenerationWorker.timeoutSeconds}\` |`);
    expect(settings).toContain(`| \`AIP_RATE_LIMIT_REQUESTS\` | \`${AUTH.rateLimit.requests}\` |`);
  });

  it('refuses a region it does not generate, and a README without one it does', () => {
    expect(() => renderReadme(`${all}\n${region('made-up')}`)).toThrow(
      'README.md has a region "made-up" that tools/readme.ts does not generate',
    );
    expect(() => renderReadme(region('settings'))).toThrow('README.md lacks the generated regions');
  });
});

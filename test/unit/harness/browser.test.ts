/** Without a browser the dashboard test fails saying how to get one; it is never skipped. */
import { chromiumPath } from '../../../harness/browser';

describe('chromiumPath', () => {
  it('names the browser it found, CHROMIUM_PATH first', () => {
    expect(chromiumPath({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
  });

  it('fails with what to install and how to point at another build when there is none', () => {
    expect(() => chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      /^No Chromium found at \/nonexistent\/chromium: install Debian's \(apt-get install -y chromium fonts-ipafont-gothic; \.ci\/run does this in CI\), or set CHROMIUM_PATH/,
    );
  });
});

/**
 * A real browser for tests and generators: Debian's Chromium driven by playwright-core (no
 * browser download). Where none is installed the launch fails saying how to get one; it is never
 * skipped. CHROMIUM_PATH points at another build.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium first (what .ci/run installs), then Google Chrome (GitHub's runners, many desktops). */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Flags that work headless as root, with nothing reaching the network. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : CHROMIUM_CANDIDATES;
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `No Chromium found at ${candidates.join(' or ')}: install Debian's (apt-get install -y chromium fonts-ipafont-gothic; .ci/run does this in CI), or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return found;
}

export interface LaunchedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Each launch gets a fresh profile of its own (playwright's temporary user-data-dir), removed on close. */
export async function launchBrowser(): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: FLAGS });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

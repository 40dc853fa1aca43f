/** The real headless Chromium the browser tests drive (playwright-core, the system's `chromium`). */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, timeout: 30_000 });
}

/** Why the browser tests are skipped, or false when Chromium is there. */
export const absent =
  !existsSync(CHROMIUM) && `Chromium not installed at ${CHROMIUM} (apt-get install -y chromium)`;

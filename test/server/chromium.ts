/** The real headless Chromium the browser tests drive (Debian's `chromium` package), and what they hook into pages. */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

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

/** A reason to skip browser tests, or false when Chromium is there. */
export const chromiumMissing =
  !existsSync(CHROMIUM) && `Chromium not installed at ${CHROMIUM} (apt-get install -y chromium)`;

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, timeout: 30_000 });
}

/** Runs before any page script: traps dialogs' functions and records CSP violations. */
export const HOOKS = `
  window.__ran = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => { window.__ran.push(name + ':' + String(args[0])); };
  }
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
  });
`;

/** A page in a new context where only `base` answers (every other request is aborted: hermetic), with
 * `hooks` run before any page script, and the console's lines collected. */
export async function hermeticPage(
  browser: Browser,
  base: string,
  hooks: string,
): Promise<{ page: Page; console: string[] }> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.route('**/*', (route) =>
    route.request().url().startsWith(base) ? route.continue() : route.abort(),
  );
  await context.addInitScript(hooks);
  const page = await context.newPage();
  const console: string[] = [];
  page.on('console', (message) => console.push(`${message.type()}: ${message.text()}`));
  return { page, console };
}

// serve.mjs URL ARTICLE PAGE — the live-reload part of `haichao serve`, in
// headless Chromium: with the server at URL (the site's root URL, as the
// server printed it) building the content that holds the Markdown file
// ARTICLE, the page PAGE (relative to URL) is opened, then
//   1. ARTICLE is saved with a new paragraph (a temporary file renamed over
//      it, as editors do): the open page reloads by itself and shows it;
//   2. ARTICLE is saved with an error whose message holds markup: an
//      overlay lists `path:line:col: error: message` as text (the markup
//      shown, not parsed), on the open page and on a page opened after;
//   3. ARTICLE is fixed: the overlay goes and the page shows the fix;
// with no console errors.  Run by tests/check/serve.py, which starts the
// server.  Browser: /usr/bin/chromium (or $CHROMIUM) through
// playwright-core, as in browser.mjs; nothing is downloaded.  A
// screenshot of the overlay goes to tests/artifacts/screenshots/.
// Exit status: 0 passed, 1 a check failed, 2 usage or setup error.

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const shotDir = join(resolve(here, '..'), 'artifacts', 'screenshots');
const WAIT = 120_000;   // generous: a busy machine, the ASan build

if (process.argv.length !== 5) {
  console.error('usage: node tests/check/serve.mjs URL ARTICLE PAGE');
  process.exit(2);
}
const [, , siteUrl, article, pagePath] = process.argv;
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  console.error(`serve.mjs: cannot load playwright-core from tests/node_modules (${e.message})`);
  process.exit(2);
}

let failed = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} browser: ${what}`);
  if (!ok) failed++;
}

// As an editor saves: a temporary file beside it, renamed over it.
function save(text) {
  const tmp = join(dirname(article), `.${basename(article)}.tmp-save`);
  writeFileSync(tmp, text);
  renameSync(tmp, article);
}

const original = readFileSync(article, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const consoleErrors = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const url = new URL(pagePath, siteUrl).href;
  const resp = await page.goto(url, { waitUntil: 'load', timeout: WAIT });
  check(resp && resp.status() === 200, `${url} loads`);
  // (Whether the reload stream is open yet does not matter: it names the
  // build the page came from, and a newer one reloads it at once.)

  // 1. an edit reloads the open page
  let reloaded = page.waitForEvent('load', { timeout: WAIT });
  save(original + '\n浏览器重载标记。\n');
  await reloaded;
  check((await page.textContent('main')).includes('浏览器重载标记'),
    'the open page reloaded with the edit');

  // 2. an error: the overlay, as text
  save(original.replace('companies: [', 'companies: ["<b>x</b>", '));
  const overlay = await page.waitForSelector('#haichao-errors', { timeout: WAIT });
  const text = await overlay.textContent();
  check(/\.zh\.md:\d+:\d+: error: unknown company '<b>x<\/b>'/.test(text),
    `the overlay lists path:line:col: error: message (${text.split('\n')[2]})`);
  check(await page.$('#haichao-errors b') === null, 'the markup in the message is text, not markup');
  check((await page.textContent('main')).includes('浏览器重载标记'),
    'under the overlay, the last good build');
  mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: join(shotDir, 'serve-error-overlay.png') });
  const later = await context.newPage();
  await later.goto(new URL('../../index.html', url).href, { waitUntil: 'load', timeout: WAIT });
  check(await later.waitForSelector('#haichao-errors', { timeout: WAIT }) !== null,
    'a page opened while the errors stand shows them too');

  // 3. the fix clears the overlay
  reloaded = page.waitForEvent('load', { timeout: WAIT });
  save(original + '\n修正后的标记。\n');
  await reloaded;
  check(await page.$('#haichao-errors') === null &&
    (await page.textContent('main')).includes('修正后的标记'),
    'the next good save: no overlay, the fix shown');
  await later.waitForSelector('#haichao-errors', { state: 'detached', timeout: WAIT });
  check(true, 'the other page lost its overlay too');
  check(consoleErrors.length === 0, `no console errors ${consoleErrors.join(' | ')}`);
} catch (e) {
  check(false, `${e.message}`);
} finally {
  writeFileSync(article, original);
  await browser.close();
}
process.exit(failed ? 1 : 0);

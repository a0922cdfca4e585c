// browser.mjs DIR — loads pages of a built haichao site (DIR) in headless
// Chromium and checks what only a browser can: the pages load with no console
// errors and no failed requests, Chinese text is drawn with a CJK font,
// axe-core finds no accessibility violations (light and dark), and the
// glossary notes open in place with JavaScript and without it. Run it through
// tests/check/browser.sh, which installs the npm packages first.
//
// The site is served over HTTP on 127.0.0.1 (an ephemeral port) under the
// sub-path of the site's base_url (taken from the canonical link of DIR's
// index.html; /haichao/ for the bundled archive), as a static host such as
// GitHub Pages would: a directory URL serves its index.html, a directory URL
// without its trailing slash redirects, and a missing file answers 404 with
// DIR/404.html. One page is also loaded from a file:// URL.
//
// Browser: the system Chromium (/usr/bin/chromium, Debian package chromium,
// or $CHROMIUM) driven by playwright-core; no browser is ever downloaded.
// Playwright's launch() gives it a fresh temporary --user-data-dir, removed
// when the browser closes.
//
// Output: one line per page and width, `PASS name width: ...` or
// `FAIL name width: ...` followed by indented details, then a summary line.
// Screenshots go to tests/artifacts/screenshots/<page>-<width>.png.
// Exit status: 0 all passed, 1 a check failed, 2 usage or setup error.

import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, createReadStream } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const testsDir = resolve(here, '..');
const shotDir = join(testsDir, 'artifacts', 'screenshots');

if (process.argv.length !== 3 || !existsSync(process.argv[2]) ||
    !statSync(process.argv[2]).isDirectory()) {
  console.error('usage: node tests/check/browser.mjs DIR   (DIR: a built site)');
  process.exit(2);
}
const siteDir = resolve(process.argv[2]);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let chromium, axePath;
try {
  ({ chromium } = require('playwright-core'));
  axePath = require.resolve('axe-core/axe.min.js');
} catch (e) {
  console.error(`browser: cannot load playwright-core or axe-core from tests/node_modules (${e.message});` +
    ' run tests/check/browser.sh, which installs them');
  process.exit(2);
}

// Time limits are what an idle machine needs times BROWSER_SLACK (set by
// browser.sh, default 4): a busy machine must not fail the check.
const SLACK = Math.max(1, Number(process.env.BROWSER_SLACK) || 4);
const ms = (n) => n * SLACK;

// Watchdog: the whole run should take well under a minute.
const watchdog = setTimeout(() => {
  console.log(`FAIL browser: the run took longer than ${ms(150)} s; giving up`);
  process.exit(1);
}, ms(150_000));
watchdog.unref();

// ---- the pages ----------------------------------------------------------------
// zh: the page must show Chinese text, drawn with a CJK font.
// zhH1: so must its h1 (a term page's h1 may be a Latin app name).
// status: the HTTP status the page's own URL must answer with.
const PAGES = [
  { name: 'root', path: '' },
  { name: 'zh-article', path: 'zh/articles/rednote-tops-us-app-store/index.html', zh: true, zhH1: true },
  { name: 'en-article-untranslated', path: 'en/articles/moderation-translation-influx/' },
  { name: 'en-article-translated', path: 'en/articles/reverse-going-abroad/' },
  { name: 'zh-term', path: 'zh/apps/uniik/', zh: true },
  { name: 'zh-timeline', path: 'zh/timeline/', zh: true, zhH1: true },
  { name: 'zh-glossary', path: 'zh/glossary/', zh: true, zhH1: true },
  { name: 'en-glossary', path: 'en/glossary/' },
  { name: 'zh-search', path: 'zh/search/', zh: true, zhH1: true },
  // A URL that does not exist: the host answers 404 with 404.html, whose
  // links must work from any depth (they are absolute, under the sub-path).
  { name: '404', path: 'no-such-page/deeper/', status: 404 },
];
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
];
// Pages also checked with prefers-color-scheme: dark (contrast of the dark
// palette), at both widths: both languages, every kind of list.
const DARK_PAGES = ['zh-article', 'en-article-translated', 'zh-term', 'zh-timeline', 'zh-glossary', 'en-glossary'];
const FILE_PAGE = 'zh/articles/rednote-tops-us-app-store/index.html';

const HAN = /\p{Script=Han}/u;
const CJK_FONT = /CJK|Source Han|Noto Sans SC|Noto Serif SC|PingFang|Hiragino|YaHei|WenQuanYi|Droid Sans Fallback/i;

// ---- a static file server -------------------------------------------------------
function subPath() {
  try {
    const html = readFileSync(join(siteDir, 'index.html'), 'utf8');
    const m = html.match(/<link\s+rel="canonical"\s+href="([^"]+)"/);
    if (m) {
      let p = new URL(m[1]).pathname;
      if (!p.endsWith('/')) p = p.replace(/[^/]*$/, '');
      return p;
    }
  } catch { /* fall through */ }
  return '/haichao/';
}
const PREFIX = subPath();

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.xml': 'application/xml; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp',
  '.ico': 'image/x-icon', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.woff2': 'font/woff2', '.woff': 'font/woff',
};

function send404(res) {
  const page = join(siteDir, '404.html');
  res.writeHead(404, { 'content-type': TYPES['.html'] });
  if (existsSync(page)) createReadStream(page).pipe(res);
  else res.end('not found');
}

const server = createServer((req, res) => {
  let url;
  try { url = new URL(req.url, 'http://x'); } catch { res.writeHead(400); res.end(); return; }
  let path;
  try { path = decodeURIComponent(url.pathname); } catch { res.writeHead(400); res.end(); return; }
  if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405); res.end(); return; }
  if (path + '/' === PREFIX) { res.writeHead(301, { location: PREFIX }); res.end(); return; }
  if (!path.startsWith(PREFIX) || path.includes('\0')) { send404(res); return; }
  let file = resolve(siteDir, '.' + sep + path.slice(PREFIX.length));
  if (file !== siteDir && !file.startsWith(siteDir + sep)) { send404(res); return; }
  let st;
  try { st = statSync(file); } catch { send404(res); return; }
  if (st.isDirectory()) {
    if (!path.endsWith('/')) { res.writeHead(301, { location: url.pathname + '/' + url.search }); res.end(); return; }
    file = join(file, 'index.html');
    try { st = statSync(file); } catch { send404(res); return; }
  }
  if (!st.isFile()) { send404(res); return; }
  res.writeHead(200, {
    'content-type': TYPES[extname(file).toLowerCase()] || 'application/octet-stream',
    'content-length': st.size,
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
});

// ---- checks ----------------------------------------------------------------------
// watch(page, origin): records console errors/warnings, page errors, failed
// requests, same-origin responses >= 400 and requests that leave the machine.
function watch(page, origin) {
  const w = { errors: [], warnings: [], failed: [], offsite: [], requests: 0, expect404: null };
  page.on('console', (msg) => {
    const loc = msg.location();
    const where = loc && loc.url ? ` (${loc.url}${loc.lineNumber ? ':' + loc.lineNumber : ''})` : '';
    if (msg.type() === 'error') {
      // The main document of the 404 test answers 404 on purpose.
      if (w.expect404 && loc && loc.url === w.expect404 && /status of 404/.test(msg.text())) return;
      w.errors.push(`console error: ${msg.text()}${where}`);
    } else if (msg.type() === 'warning') {
      w.warnings.push(`console warning: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => w.errors.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    w.requests++;
    const u = req.url();
    if (!(u.startsWith(origin) || u.startsWith('file:') || u.startsWith('data:') || u.startsWith('about:')))
      w.offsite.push(`request to another host: ${req.method()} ${u}`);
  });
  page.on('requestfailed', (req) => {
    const f = req.failure();
    w.failed.push(`request failed: ${req.method()} ${req.url()}: ${f ? f.errorText : 'unknown error'}`);
  });
  page.on('response', (resp) => {
    const u = resp.url();
    if (resp.status() >= 400 && (u.startsWith(origin) || u.startsWith('file:'))) {
      if (w.expect404 && u === w.expect404 && resp.status() === 404) return;
      w.failed.push(`HTTP ${resp.status()} for ${u}`);
    }
  });
  return w;
}

// The platform fonts Chromium used to draw the text of the element `selector`.
async function platformFonts(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) return null;
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
const fontList = (fonts) => fonts.map((f) => `${f.familyName} (${f.glyphCount})`).join(', ');

// checkCJK: on every page, the first visible element whose own text has Han
// characters must be drawn with a CJK font; on zh pages the h1 must hold Han
// characters, have a nonzero width and be drawn with a CJK font; a zh page
// must have such an element at all.
async function checkCJK(page, def, problems, notes) {
  const info = await page.evaluate(() => {
    const han = /\p{Script=Han}/u;
    const h1 = document.querySelector('h1');
    let r = null;
    if (h1) {
      const b = h1.getBoundingClientRect();
      r = { text: h1.textContent.trim(), width: b.width, height: b.height };
    }
    let probe = null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!han.test(n.data)) continue;
      const el = n.parentElement;
      const b = el.getBoundingClientRect();
      if (b.width === 0 || b.height === 0 || el.closest('.visually-hidden, [hidden], rt, rp')) continue;
      el.setAttribute('data-browser-check-probe', '');
      probe = { text: n.data.trim().slice(0, 20), tag: el.tagName.toLowerCase(), width: b.width,
        family: getComputedStyle(el).fontFamily };
      break;
    }
    let fontsCheck = null;
    try { fontsCheck = document.fonts.check('16px "Noto Sans CJK SC"', '中'); } catch { /* ignore */ }
    return { h1: r, probe, fontsCheck };
  });
  if (def.zhH1) {
    if (!info.h1) problems.push('CJK: the page has no h1');
    else {
      if (!HAN.test(info.h1.text)) problems.push(`CJK: the h1 has no Han characters: "${info.h1.text}"`);
      if (!(info.h1.width > 0 && info.h1.height > 0))
        problems.push(`CJK: the h1 "${info.h1.text}" has no size (${info.h1.width}×${info.h1.height})`);
      const fonts = await platformFonts(page, 'h1');
      if (!fonts || !fonts.some((f) => CJK_FONT.test(f.familyName)))
        problems.push(`CJK: the h1 "${info.h1.text}" is not drawn with a CJK font: ${fonts ? fontList(fonts) : 'no fonts'}`);
      else notes.push(`h1 ${Math.round(info.h1.width)}px in ${fontList(fonts)}`);
    }
  }
  if (info.probe) {
    const fonts = await platformFonts(page, '[data-browser-check-probe]');
    if (!fonts || !fonts.some((f) => CJK_FONT.test(f.familyName)))
      problems.push(`CJK: <${info.probe.tag}> "${info.probe.text}" is not drawn with a CJK font` +
        ` (font-family: ${info.probe.family}; used: ${fonts ? fontList(fonts) : 'none'})`);
    else if (!def.zhH1) notes.push(`Han text in ${fonts.filter((f) => CJK_FONT.test(f.familyName)).map((f) => f.familyName).join(', ')}`);
  } else if (def.zh) {
    problems.push('CJK: no visible Han text found on a Chinese page');
  } else {
    notes.push('no Han text');
  }
  if (info.fontsCheck === false) problems.push('CJK: document.fonts.check(\'16px "Noto Sans CJK SC"\') is false');
}

// The stylesheet was applied (works for file:// too, unlike reading cssRules).
async function checkCSS(page, problems) {
  const ok = await page.evaluate(() =>
    getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() !== '');
  if (!ok) problems.push('CSS: assets/style.css was not applied (the --bg custom property is unset)');
}

// runAxe: every violation is printed and fails, whatever its impact. On
// file:// axe's preloading of the stylesheets (by XMLHttpRequest, which
// Chromium refuses for file:// URLs) is switched off: it would log errors
// that are axe's, not the site's.
async function runAxe(page, problems, details) {
  await page.addScriptTag({ path: axePath });
  const preload = !page.url().startsWith('file:');
  const result = await page.evaluate(async (preload) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'], preload });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  }, preload);
  for (const v of result) {
    const lines = [`axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`];
    for (const n of v.nodes.slice(0, 5)) {
      lines.push(`    ${n.target}  ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`);
      if (n.summary) lines.push(`      ${n.summary.replace(/\s*\n\s*/g, ' | ').slice(0, 300)}`);
    }
    if (v.nodes.length > 5) lines.push(`    ... and ${v.nodes.length - 5} more`);
    problems.push(lines.join('\n'));
  }
  return { total: result.length };
}

// ---- running ---------------------------------------------------------------------
let failures = 0;
let passes = 0;
function report(label, problems, notes, details) {
  const ok = problems.length === 0;
  if (ok) passes++; else failures++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${label}: ${notes.join('; ')}`);
  for (const p of [...problems, ...details]) console.log(p.replace(/^/gm, '    '));
}

// checkPage: loads url in a new page of context and runs the standard checks.
async function checkPage(context, origin, def, url, label, shotName) {
  const problems = [], notes = [], details = [];
  const page = await context.newPage();
  const w = watch(page, origin);
  if (def.status === 404) w.expect404 = url;
  try {
    const resp = await page.goto(url, { waitUntil: 'load', timeout: ms(20_000) });
    const want = def.status || 200;
    if (resp && !url.startsWith('file:') && resp.status() !== want)
      problems.push(`HTTP ${resp.status()} for the page itself (expected ${want})`);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await checkCSS(page, problems);
    const vp = page.viewportSize();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    if (overflow > vp.width) problems.push(`the page is ${overflow}px wide in a ${vp.width}px viewport (horizontal scrolling)`);
    // A code block wider than the text scrolls, in itself or in a box:
    // cut off (by its own width or the text's clip), it could not be read.
    const cut = await page.evaluate(() => [...document.querySelectorAll('pre')].filter((p) => {
      for (let e = p; e && e !== document.body; e = e.parentElement)
        if (/auto|scroll/.test(getComputedStyle(e).overflowX)) return false;
      const text = p.closest('.prose') || document.body;
      return p.scrollWidth > p.clientWidth + 1 ||
        p.getBoundingClientRect().right > text.getBoundingClientRect().right + 1;
    }).length);
    if (cut) problems.push(`${cut} code block(s) wider than their box and cut off (no scrolling)`);
    const axe = await runAxe(page, problems, details);
    notes.push(`axe ${axe.total} violation${axe.total === 1 ? '' : 's'}`);
    await checkCJK(page, def, problems, notes);
    await page.evaluate(() => document.querySelector('[data-browser-check-probe]')?.removeAttribute('data-browser-check-probe'));
    const shot = join(shotDir, `${shotName}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    notes.push(`screenshot ${shot.slice(resolve(testsDir, '..').length + 1)}`);
    if (def.after) await def.after(page, problems, notes);
  } catch (e) {
    problems.push(`error: ${e.message.split('\n')[0]}`);
  }
  await page.waitForTimeout(50); // let late console messages arrive
  problems.push(...w.errors, ...w.failed, ...w.offsite);
  details.push(...w.warnings);
  notes.unshift(`${w.requests} requests, ${w.errors.length} console errors, ${w.failed.length} failed`);
  report(label, problems, notes, details);
  await page.close();
}

// The glossary marks work without JavaScript: clicking the first annotated
// term goes to its note #n_1, which exists, is visible and is scrolled into view;
// its back link returns to the term.
async function checkGlossaryNoJS(browser, origin) {
  const vp = WIDTHS[0];
  const context = await browser.newContext({ viewport: vp, javaScriptEnabled: false });
  const page = await context.newPage();
  const w = watch(page, origin);
  const problems = [], notes = [];
  const inView = async (sel) => {
    const box = await page.locator(sel).boundingBox();
    return box !== null && box.y < vp.height && box.y + box.height > 0;
  };
  try {
    await page.goto(`${origin}${PREFIX}zh/articles/rednote-tops-us-app-store/index.html`, { timeout: ms(20_000) });
    const mark = page.locator('a.gl').first();
    const href = await mark.getAttribute('href');
    if (href !== '#n_1') problems.push(`the first a.gl links to ${href}, not #n_1`);
    await mark.click();
    await page.waitForURL(/#n_1$/, { timeout: ms(5_000) });
    notes.push('click a.gl → #n_1 (visible, in view, :target)');
    const target = page.locator('#n_1');
    if (await target.count() !== 1) problems.push('#n_1 does not exist (or is not unique)');
    else {
      if (!await target.isVisible()) problems.push('#n_1 is not visible');
      if (!await inView('#n_1')) problems.push('#n_1 is not scrolled into the viewport');
      if (await page.locator('#n_1:target').count() !== 1) problems.push('#n_1 is not the :target');
      // In place: the note is a sheet fixed over the text, which stays where it was.
      if (await target.evaluate((e) => getComputedStyle(e).position) !== 'fixed')
        problems.push('#n_1:target is not shown in place (position: fixed)');
      if (!await inView('#r_1')) problems.push('opening note 1 scrolled its word #r_1 out of view');
      await page.screenshot({ path: join(shotDir, 'glossary-note-390.png') });
      const back = page.locator('#n_1 a[href="#r_1"]');
      if (await back.count() === 1) {
        await back.click();
        await page.waitForURL(/#r_1$/, { timeout: ms(5_000) });
        if (!await inView('#r_1')) problems.push('the back link did not bring #r_1 into view');
        else notes.push('back link → #r_1');
        await page.screenshot({ path: join(shotDir, 'glossary-back-390.png') });
      } else {
        problems.push('no back link to #r_1');
      }
    }
  } catch (e) {
    problems.push(`error: ${e.message.split('\n')[0]}`);
  }
  problems.push(...w.errors, ...w.failed, ...w.offsite);
  notes.push('JavaScript off');
  notes.push('screenshots tests/artifacts/screenshots/glossary-{note,back}-390.png');
  report('glossary-marks 390', problems, notes, w.warnings);
  await context.close();
}

// Notes in place with JavaScript (assets/site.js): clicking the first
// annotated word opens .note-pop with the note's English, in view, without
// leaving the text (no navigation), axe finds nothing with it open, Escape
// closes it and gives focus back to the word. The pinyin button hides the
// pinyin, and the choice survives a reload.
async function checkNotesInPlace(browser, origin, vp) {
  const context = await browser.newContext({ viewport: vp });
  const page = await context.newPage();
  const w = watch(page, origin);
  const problems = [], notes = [], details = [];
  const url = `${origin}${PREFIX}zh/articles/rednote-tops-us-app-store/index.html`;
  try {
    await page.goto(url, { timeout: ms(20_000) });
    const en = (await page.locator('#n_1 span[lang="en"]').textContent()).trim();
    await page.locator('a.gl').first().click();
    const pop = page.locator('.note-pop');
    await pop.waitFor({ state: 'visible', timeout: ms(5_000) });
    if (page.url() !== url) problems.push(`clicking a.gl navigated to ${page.url()}`);
    if (!(await pop.textContent()).includes(en)) problems.push(`.note-pop does not show note 1 ("${en}")`);
    const box = await pop.boundingBox();
    if (!box || box.y < 0 || box.y + box.height > vp.height || box.x < 0 || box.x + box.width > vp.width)
      problems.push(`.note-pop is not inside the viewport (${JSON.stringify(box)})`);
    const r = await page.locator('#r_1').boundingBox();
    if (!r || r.y < 0 || r.y > vp.height) problems.push('the word of note 1 is out of view with its note open');
    notes.push(`click a.gl → .note-pop "${en.slice(0, 24)}" at ${Math.round(box.x)},${Math.round(box.y)}`);
    const axe = await runAxe(page, problems, details);
    notes.push(`axe with the note open: ${axe.total} violations`);
    await page.screenshot({ path: join(shotDir, `note-in-place-${vp.width}.png`) });
    await page.keyboard.press('Escape');
    if (await pop.isVisible()) problems.push('Escape did not close .note-pop');
    if (!await page.evaluate(() => document.activeElement?.id === 'r_1')) problems.push('focus did not return to #r_1');
    const rt = page.locator('#r_1 rt');
    const toggle = page.locator('.pinyin-toggle');
    if (!await toggle.isVisible()) problems.push('.pinyin-toggle is not shown with JavaScript on');
    else {
      await toggle.click();
      if (await rt.isVisible()) problems.push('.pinyin-toggle did not hide the pinyin');
      await page.reload();
      if (await rt.isVisible()) problems.push('the hidden pinyin came back after a reload');
      if (await page.locator('.pinyin-toggle').getAttribute('aria-pressed') !== 'false')
        problems.push('.pinyin-toggle is not aria-pressed="false" after a reload');
      await page.locator('.pinyin-toggle').click();
      if (!await rt.isVisible()) problems.push('.pinyin-toggle did not show the pinyin again');
      notes.push('pinyin hidden, kept over a reload, shown again');
    }
  } catch (e) {
    problems.push(`error: ${e.message.split('\n')[0]}`);
  }
  problems.push(...w.errors, ...w.failed, ...w.offsite);
  report(`notes-in-place ${vp.width}`, problems, notes, [...details, ...w.warnings]);
  await context.close();
}

// The glossary index: the jump bar leads to a letter, and the filter box
// (shown by site.js) keeps the terms that match, pinyin without tones too.
async function checkGlossaryFilter(browser, origin) {
  const context = await browser.newContext({ viewport: WIDTHS[0] });
  const page = await context.newPage();
  const w = watch(page, origin);
  const problems = [], notes = [];
  try {
    await page.goto(`${origin}${PREFIX}zh/glossary/index.html`, { timeout: 20_000 });
    const all = await page.locator('[data-item]').count();
    const jump = page.locator('.jump a').nth(1);
    const href = await jump.getAttribute('href');
    await jump.click();
    await page.waitForURL(new RegExp(`${href}$`), { timeout: 5_000 });
    const h = await page.locator(href).boundingBox();
    if (!h || h.y < 0 || h.y > 200) problems.push(`the jump to ${href} left its heading at ${h && Math.round(h.y)}px`);
    const box = page.locator('.filter input');
    if (!await box.isVisible()) problems.push('the filter box is not shown with JavaScript on');
    else {
      await box.fill('chuhai');
      const shown = await page.locator('[data-item]:visible').count();
      const texts = await page.locator('[data-item]:visible dt').allTextContents();
      if (shown < 1 || shown >= all || !texts.every((t) => /出海|chū/.test(t)))
        problems.push(`filtering "chuhai" shows ${shown} of ${all}: ${texts.join(' / ')}`);
      notes.push(`jump ${href}; filter "chuhai": ${shown} of ${all} terms`);
    }
    // The timeline's company choice keeps that company's apps only.
    await page.goto(`${origin}${PREFIX}zh/timeline/index.html`, { timeout: 20_000 });
    const choice = page.locator('select[data-timeline]');
    if (!await choice.isVisible()) problems.push('the timeline\'s company choice is not shown with JavaScript on');
    else {
      const total = await page.locator('.timeline .app').count();
      await choice.selectOption('Meta');
      const shown = await page.locator('.timeline .app:visible').count();
      const others = await page.locator('.timeline .app:visible:not([data-company="Meta"])').count();
      if (shown < 1 || shown >= total || others > 0)
        problems.push(`choosing Meta shows ${shown} of ${total} apps, ${others} of other companies`);
      notes.push(`timeline "Meta": ${shown} of ${total} apps`);
    }
  } catch (e) {
    problems.push(`error: ${e.message.split('\n')[0]}`);
  }
  problems.push(...w.errors, ...w.failed, ...w.offsite);
  report('glossary-filter 390', problems, notes, w.warnings);
  await context.close();
}

// Chinese line breaking (kinsoku): no line of a Chinese headline starts
// with a mark that must not start one (，。：…), at phone widths where a
// headline's phrase is longer than its line.  The articles chosen have a
// ：in a headline long enough to wrap there.
const KINSOKU_PAGES = ['zh/articles/rednote-tops-us-app-store/', 'zh/articles/lemon8-vs-spark-playbooks/', 'zh/'];
const NO_LINE_START = '，。、：；！？）」』”’》〉】';

async function checkHeadlineBreaks(browser, origin) {
  const problems = [], notes = [];
  let headlines = 0;
  for (const width of [320, 360, 375]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    try {
      for (const path of KINSOKU_PAGES) {
        await page.goto(`${origin}${PREFIX}${path}`, { timeout: ms(20_000) });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        const found = await page.evaluate((marks) => {
          const bad = [];
          let n = 0;
          for (const h of document.querySelectorAll('h1, h2, h3')) {
            if (!h.closest(':lang(zh-Hans)')) continue;
            n++;
            const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
            // Characters of a superscript (a note's number) or of pinyin are not
            // followed: they sit higher within their line.
            let top = null, node;
            while ((node = walker.nextNode())) {
              if (node.parentElement.closest('sup, sub, rt, rp')) continue;
              for (let i = 0; i < node.data.length; i++) {
                const r = document.createRange();
                r.setStart(node, i);
                r.setEnd(node, i + 1);
                const rect = r.getClientRects()[0];
                if (!rect) continue;
                if (top !== null && rect.top > top + 2 && marks.includes(node.data[i]))
                  bad.push(`"${h.textContent.trim()}" has a line that starts with ${node.data[i]}`);
                top = rect.top;
              }
            }
          }
          return { bad, n };
        }, NO_LINE_START);
        headlines += found.n;
        for (const b of found.bad) problems.push(`${width}px ${path}: ${b}`);
      }
    } catch (e) {
      problems.push(`error: ${e.message.split('\n')[0]}`);
    }
    await context.close();
  }
  notes.push(`${headlines} Chinese headlines at 320, 360 and 375 px`);
  report('headline-breaks', problems, notes, []);
}

// file://: the article loads with its stylesheet, and its relative link to
// the other language opens the right file.
function fileAfter(page, problems, notes) {
  return (async () => {
    const link = page.locator('a.lang-switch').first();
    if (await link.count() === 0) { problems.push('file://: no a.lang-switch to follow'); return; }
    await link.click();
    await page.waitForLoadState('load');
    const u = page.url();
    const want = pathToFileURL(join(siteDir, 'en/articles/rednote-tops-us-app-store/index.html')).href;
    if (u !== want) problems.push(`file://: the language switch opened ${u}, expected ${want}`);
    else {
      const before = problems.length;
      await checkCSS(page, problems);
      if (problems.length === before) notes.push('lang-switch → en/…/index.html with CSS');
    }
  })();
}

async function main() {
  mkdirSync(shotDir, { recursive: true });
  if (!existsSync(CHROMIUM)) {
    console.log(`FAIL browser: ${CHROMIUM} does not exist (Debian package chromium; 'generator/deps.sh test' installs it)`);
    process.exit(1);
  }
  // fonts-noto-cjk must be installed, or CJK text falls back to whatever is there.
  let cjkFamilies = '';
  try { cjkFamilies = execFileSync('fc-list', [':lang=zh-cn', 'family'], { encoding: 'utf8' }); } catch { /* no fontconfig tools */ }
  if (!/Noto Sans CJK SC/.test(cjkFamilies) &&
      !existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')) {
    console.log('FAIL fonts: fonts-noto-cjk is not installed (no "Noto Sans CJK SC"); Chinese text cannot be checked' +
      " (Debian package fonts-noto-cjk; 'generator/deps.sh test' installs it)");
    process.exit(1);
  }
  for (const p of PAGES) {
    if (!p.status && !existsSync(join(siteDir, p.path.endsWith('/') || p.path === '' ? join(p.path, 'index.html') : p.path))) {
      console.log(`FAIL browser: ${join(siteDir, p.path)} is missing from the site`);
      process.exit(1);
    }
  }

  await new Promise((ok, ko) => { server.once('error', ko); server.listen(0, '127.0.0.1', ok); });
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`browser: serving ${siteDir} at ${origin}${PREFIX}`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright adds a fresh temporary --user-data-dir itself (and refuses one in args).
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: ms(30_000),
  });
  console.log(`browser: Chromium ${browser.version()}, playwright-core ${require('playwright-core/package.json').version},` +
    ` axe-core ${require('axe-core/package.json').version}`);
  try {
    // Widths run side by side, each in its own context; pages in order.
    await Promise.all(WIDTHS.map(async (vp) => {
      const context = await browser.newContext({ viewport: vp });
      for (const def of PAGES)
        await checkPage(context, origin, def, `${origin}${PREFIX}${def.path}`, `${def.name} ${vp.width}`, `${def.name}-${vp.width}`);
      await context.close();
    }));

    await Promise.all(WIDTHS.map(async (vp) => {
      const dark = await browser.newContext({ viewport: vp, colorScheme: 'dark' });
      for (const name of DARK_PAGES) {
        const def = PAGES.find((p) => p.name === name);
        await checkPage(dark, origin, def, `${origin}${PREFIX}${def.path}`, `${def.name} ${vp.width} dark`, `${def.name}-dark-${vp.width}`);
      }
      await dark.close();
    }));

    const fileCtx = await browser.newContext({ viewport: WIDTHS[1] });
    await checkPage(fileCtx, 'file://', { name: 'file-zh-article', zh: true, zhH1: true, after: fileAfter },
      pathToFileURL(join(siteDir, FILE_PAGE)).href, 'file:// zh-article 1280', 'file-zh-article-1280');
    await fileCtx.close();

    await checkGlossaryNoJS(browser, origin);
    for (const vp of WIDTHS) await checkNotesInPlace(browser, origin, vp);
    await checkGlossaryFilter(browser, origin);
    await checkHeadlineBreaks(browser, origin);
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`browser: ${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL browser: ${e.stack || e}`);
  process.exit(1);
});

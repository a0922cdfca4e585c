// serve.mjs BIN CONTENT TEMPLATES ARTICLE [EDITS] [MEM_EDITS] — `haichao
// serve`'s speed and memory, for tests/bench/run.sh:
//
//   reload  the time from an editor's save of ARTICLE (a temporary file
//           renamed over it) to the load event of the open page in
//           headless Chromium, reloaded by the server with the new text
//           (checked), over EDITS timed edits after one untimed warm-up;
//   memory  the server's resident memory (VmRSS) before and after
//           MEM_EDITS more edits, each waited for on the reload stream
//           (a build per edit), with samples along the way.
//
// BIN serve runs with -p 0 and TMPDIR=/dev/shm when it exists (its
// temporary output on tmpfs), on CONTENT itself: ARTICLE (a path inside
// CONTENT/articles) is put back byte for byte at the end (and its original
// is kept in ARTICLE's folder/../../edit-backup/ by run.sh's convention:
// the caller restores it if this is killed).  Prints one line of
// `key=value` results on stdout; progress on stderr.  Exit status 0, or 1
// when something failed.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { basename, dirname, join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('../node_modules/playwright-core');
const [, , bin, content, templates, article, editsArg, memArg] = process.argv;
if (!article) {
  console.error('usage: node tests/bench/serve.mjs BIN CONTENT TEMPLATES ARTICLE [EDITS] [MEM_EDITS]');
  process.exit(2);
}
const EDITS = Number(editsArg || 11);
const MEM_EDITS = Number(memArg || 1000);
const WAIT = 600_000;
const say = (s) => console.error(`bench: serve: ${s}`);
const original = readFileSync(article);
const slug = basename(article).replace(/\.zh\.md$/, '');

function save(text) {
  const tmp = join(dirname(article), `.${basename(article)}.tmp-save`);
  writeFileSync(tmp, text);
  renameSync(tmp, article);
}
const edited = (n) => Buffer.concat([original, Buffer.from(`\n第 ${n} 次预览修改：标记${n}号。\n`)]);

function rss(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return m ? Number(m[1]) : NaN;
}

// The server, and its URL once the first build is done.
const env = { ...process.env };
if (existsSync('/dev/shm')) env.TMPDIR = '/dev/shm';
const server = spawn(bin, ['serve', '-C', content, '-t', templates, '-p', '0'],
  { env, stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
server.stderr.on('data', (d) => { serverLog = (serverLog + d).slice(-20000); });
const siteUrl = await new Promise((resolve, reject) => {
  let out = '';
  const t = setTimeout(() => reject(new Error('no URL from the server')), WAIT);
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/serving (http:\/\/\S+) /);
    if (m) { clearTimeout(t); resolve(m[1]); }
  });
  server.on('exit', (c) => reject(new Error(`the server exited (${c}): ${serverLog}`)));
});
say(`server at ${siteUrl}`);

// The reload stream: resolves `next()` at each reload event.
function events() {
  let waiting = [], count = 0;
  const u = new URL('/.haichao/events', siteUrl);
  request(u, (res) => {
    let buf = '';
    res.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (/^event: reload$/m.test(block)) { count++; waiting.splice(0).forEach((f) => f()); }
        if (/^event: errors$/m.test(block)) waiting.splice(0).forEach((f) => f(new Error(block)));
      }
    });
  }).end();
  return { next: () => new Promise((ok, no) => waiting.push((e) => (e ? no(e) : ok()))), count: () => count };
}

let failed = false;
const result = {};
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const pageUrl = new URL(`zh/articles/${slug}/`, siteUrl).href;
  await page.goto(pageUrl, { waitUntil: 'load', timeout: WAIT });
  const times = [];
  for (let i = 0; i <= EDITS; i++) {
    const loaded = page.waitForEvent('load', { timeout: WAIT });
    const t0 = performance.now();
    save(edited(i));
    await loaded;
    const ms = performance.now() - t0;
    if (!(await page.textContent('main')).includes(`标记${i}号`)) {
      failed = true;
      say(`edit ${i}: the reloaded page lacks the new text`);
    }
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  result.reload_ms_median = times[(times.length - 1) >> 1].toFixed(0);
  result.reload_ms_min = times[0].toFixed(0);
  result.reload_ms_max = times[times.length - 1].toFixed(0);
  await page.close();
  say(`save -> reloaded page: median ${result.reload_ms_median} ms (${times.map((t) => t.toFixed(0)).join(' ')})`);

  // memory over MEM_EDITS builds
  const ev = events();
  await new Promise((r) => setTimeout(r, 200));
  const before = rss(server.pid);
  const samples = [before];
  const step = Math.max(1, Math.floor(MEM_EDITS / 10));
  const t0 = performance.now();
  for (let i = 1; i <= MEM_EDITS; i++) {
    const next = ev.next();
    save(edited(EDITS + 1 + i));
    await next;
    if (i % step === 0) samples.push(rss(server.pid));
  }
  result.mem_edits = MEM_EDITS;
  result.rss_before_kb = before;
  result.rss_after_kb = rss(server.pid);
  result.rss_samples_kb = samples.join(',');
  result.edit_to_event_ms_mean = ((performance.now() - t0) / MEM_EDITS).toFixed(0);
  say(`RSS ${before} kB before ${MEM_EDITS} edits, ${result.rss_after_kb} kB after (samples: ${result.rss_samples_kb})`);
} catch (e) {
  failed = true;
  say(`failed: ${e.message}`);
} finally {
  writeFileSync(article, original);
  await browser.close();
  server.kill('SIGINT');
  const code = await new Promise((r) => server.on('exit', (c) => r(c)));
  if (code !== 0) {
    failed = true;
    say(`the server exited with ${code}: ${serverLog.slice(-2000)}`);
  }
}
console.log(Object.entries(result).map(([k, v]) => `${k}=${v}`).join(' '));
process.exit(failed ? 1 : 0);

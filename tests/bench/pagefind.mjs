// pagefind.mjs BUNDLE QUERIES — Pagefind's answers to the queries of
// tests/bench/search.sh, in headless Chromium (playwright-core from
// tests/node_modules, /usr/bin/chromium or $CHROMIUM).
//
// BUNDLE: the folder Pagefind wrote (its pagefind.js inside), served over
// HTTP on 127.0.0.1 with a page whose lang is zh-Hans (Pagefind picks its
// index by the page's language).  QUERIES: the JSON lines of
// `search.mjs --bench` (query, haichao's bytes, the brute-force hits).
//
// For each query, in a fresh browser context (an empty cache): the bytes
// Pagefind loads (its script, WebAssembly, index and filter chunks, and the
// fragments of its first ten results) and the time until those ten are
// known; then whether its results are exactly the brute-force hits (the
// count first; the sets too, loading every result's fragment, when there
// are at most 500), with recall and precision.  Prints one summary line of
// JSON.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('../node_modules/playwright-core');
const [bundle, queriesFile] = process.argv.slice(2).map((p) => resolve(p));
const queries = readFileSync(queriesFile, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));

const server = createServer((req, res) => {
	const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
	if (path === '/' || path === '/index.html') {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end('<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>pf</title></head><body></body></html>');
		return;
	}
	const file = resolve(bundle, '.' + sep + path.replace(/^\/pagefind\//, ''));
	try {
		if (!file.startsWith(bundle + sep) || !statSync(file).isFile())
			throw new Error();
	} catch {
		res.writeHead(404);
		res.end();
		return;
	}
	const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };
	res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
	createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });

const slugOf = (url) => (url.match(/articles\/([^/]+)\//) || [])[1];
const out = [];
for (const { q, hits } of queries) {
	const context = await browser.newContext();
	const page = await context.newPage();
	let bytes = 0;
	page.on('response', async (r) => {
		try { bytes += (await r.body()).length; } catch { /* redirects have none */ }
	});
	await page.goto(`${origin}/`);
	const first = await page.evaluate(async (q) => {
		const t0 = performance.now();
		const pf = await import('/pagefind/pagefind.js');
		await pf.init();
		const r = await pf.search(q);
		const data = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
		window.__r = r;
		return { ms: performance.now() - t0, n: r.results.length, urls: data.map((d) => d.url) };
	}, q);
	await page.waitForTimeout(50);
	const firstBytes = bytes;
	let exact = first.n === hits.length, recall = null, precision = null;
	if (first.n <= 500 && hits.length <= 500) {
		const urls = await page.evaluate(async () =>
			(await Promise.all(window.__r.results.map((x) => x.data()))).map((d) => d.url));
		const got = new Set(urls.map(slugOf)), want = new Set(hits);
		const both = [...got].filter((s) => want.has(s)).length;
		recall = want.size ? both / want.size : 1;
		precision = got.size ? both / got.size : 1;
		exact = both === want.size && both === got.size;
	}
	out.push({ q, bytes: firstBytes, ms: first.ms, n: first.n, want: hits.length, exact, recall, precision });
	await context.close();
}
await browser.close();
server.close();

const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const checked = out.filter((o) => o.recall !== null);
const mean = (k) => checked.length ? checked.reduce((s, o) => s + o[k], 0) / checked.length : null;
console.log(JSON.stringify({
	queries: out.length,
	exact: out.filter((o) => o.exact).length,
	median_bytes: med(out.map((o) => o.bytes)),
	median_ms: med(out.map((o) => o.ms)),
	recall: mean('recall'), precision: mean('precision'), sets_compared: checked.length,
	per_query: out,
}));

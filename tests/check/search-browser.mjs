// search-browser.mjs PUBLIC [--bench QUERIES_FILE] — the search page in
// headless Chromium (the system's /usr/bin/chromium, or $CHROMIUM, driven by
// playwright-core from tests/node_modules):
//
//  - over HTTP (PUBLIC served on 127.0.0.1, an ephemeral port): typing a
//    query (in traditional characters) into the search page lists the
//    articles a brute-force search over their text finds, each with the
//    match in <mark>, and puts the query in the address (?q=);
//  - a ?q= link opens with the query filled in and its hits listed, in
//    both languages (one query in simplified characters of a passage
//    written in traditional ones); a query that matches nothing says so;
//  - the header's search box of an article page leads to the search page
//    with ?q=, with JavaScript on and off; on a phone, focused, it is wide
//    and the header keeps its height; without JavaScript the search
//    page says that search needs it and links to the article list and
//    index.tsv;
//  - Back and Forward between a linked query and a typed one: the box
//    and the hits follow the address; Enter adds one history entry; the
//    title and the other language's link carry the query;
//  - from file://, a ?q= link lists the same hits;
//  - no console errors and no failed requests anywhere.
//
// --more: instead, on a site with more than twenty hits for 的 (a generated
// corpus): the first page lists ten, "More results" (from the keyboard)
// ten more, with the focus on the first of them, and both are the
// brute-force search's first twenty.
//
// --bench FILE: instead, for each query in FILE (one a line) opens the
// search page with ?q= from file:// and measures the time from navigation
// to the first page of hits shown, and from typing the query into the box
// of an open page to its hits shown; prints the medians.  Used by
// tests/bench/run.sh; never in make test.
//
// Exit status 0 when every check passed, 1 otherwise, 2 on a setup error.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as lib from './search-lib.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const pub = args[0] && resolve(args[0]);
if (!pub || !existsSync(join(pub, 'zh/search/index.html'))) {
	console.error('usage: search-browser.mjs PUBLIC [--bench QUERIES_FILE]');
	process.exit(2);
}
const benchFile = args.indexOf('--bench') >= 0 ? args[args.indexOf('--bench') + 1] : null;
const moreOnly = args.includes('--more');
let chromium;
try {
	({ chromium } = require('playwright-core'));
} catch (e) {
	console.error(`search-browser: cannot load playwright-core from tests/node_modules (${e.message})`);
	process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
setTimeout(() => {
	console.log('FAIL search-browser: took longer than 240 s');
	process.exit(1);
}, 240_000).unref();

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.tsv': 'text/plain; charset=utf-8' };
const server = createServer((req, res) => {
	const url = new URL(req.url, 'http://x');
	let file = resolve(pub, '.' + sep + decodeURIComponent(url.pathname));
	if (file !== pub && !file.startsWith(pub + sep)) {
		res.writeHead(404);
		res.end();
		return;
	}
	try {
		if (statSync(file).isDirectory())
			file = join(file, 'index.html');
		statSync(file);
	} catch {
		res.writeHead(404);
		res.end();
		return;
	}
	res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
	createReadStream(file).pipe(res);
});

let failures = 0;
function check(name, problems, notes = []) {
	if (problems.length) {
		failures++;
		console.log(`FAIL ${name}`);
		for (const p of problems)
			console.log(`    ${p}`);
	} else {
		console.log(`PASS ${name}${notes.length ? ': ' + notes.join('; ') : ''}`);
	}
}

function watch(page) {
	const errors = [];
	page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
	page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
	// A request cut short by leaving the page (submitting the header's
	// form while the icon still loads) is not a failure.
	page.on('requestfailed', (r) => {
		if (!/ERR_ABORTED/.test((r.failure() || {}).errorText || ''))
			errors.push(`failed request: ${r.url()} (${(r.failure() || {}).errorText})`);
	});
	return errors;
}

// What a brute-force search finds: the slugs, newest first.
function expected(lang, query) {
	const { HS, ctx } = lib.engine(pub, lang);
	lib.loadFolds(pub, ctx);
	const words = Array.from(query).map((c) => String.fromCodePoint(HS.foldChar(c.codePointAt(0))))
		.join('').split(' ').filter((w) => w);
	return lib.articles(pub, lang).filter((a) => {
		const f = HS.foldText(a.text).text;
		return words.every((w) => f.includes(w));
	}).map((a) => a.slug);
}

// The hits listed: slug, and the marked text of each.
// bare: Chinese text in it not marked as Chinese (lang) on an English page.
async function listed(page) {
	return page.$$eval('#search-results > li', (lis) => lis.map((li) => {
		const walk = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
		const bare = [];
		for (let n = walk.nextNode(); n; n = walk.nextNode())
			if (/[\u4e00-\u9fff]/.test(n.data) && !/^zh/.test(n.parentElement.closest('[lang]').lang))
				bare.push(n.data);
		return {
			href: li.querySelector('a').getAttribute('href'),
			marks: Array.from(li.querySelectorAll('p mark')).map((m) => m.textContent),
			time: li.querySelector('time') && li.querySelector('time').getAttribute('datetime'),
			bare,
		};
	}));
}

async function waitDone(page) {
	await page.waitForFunction(() => {
		const s = document.getElementById('search-status');
		return s && s.textContent && !/…$/.test(s.textContent) &&
			document.getElementById('search-results').getAttribute('aria-busy') !== 'true';
	}, null, { timeout: 15_000 });
}

function compare(lang, query, hits, problems) {
	const want = expected(lang, query).slice(0, 10);
	const got = hits.map((h) => h.href.replace(/^\.\.\/articles\/|\/index\.html$/g, ''));
	if (JSON.stringify(got) !== JSON.stringify(want))
		problems.push(`${JSON.stringify(query)}: listed [${got}], brute force [${want}]`);
	const { HS } = lib.engine(pub, lang);
	for (const h of hits) {
		if (h.marks.length === 0)
			problems.push(`${JSON.stringify(query)}: ${h.href} has no <mark> in its snippet`);
		if (!/^\d{4}-\d{2}-\d{2}$/.test(h.time || ''))
			problems.push(`${JSON.stringify(query)}: ${h.href} has no date`);
		if (h.bare.length)
			problems.push(`${JSON.stringify(query)}: ${h.href}: Chinese not marked as such: ${h.bare[0]}`);
	}
	return HS;
}

async function typed(browser, origin) {
	const problems = [], notes = [];
	const page = await browser.newPage();
	const errors = watch(page);
	await page.goto(`${origin}/zh/search/index.html`);
	const q = '小紅書';   /* traditional: the text says 小红书 */
	await page.locator('#search_q').pressSequentially(q, { delay: 30 });
	await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q, q,
		{ timeout: 10_000 });
	await waitDone(page);
	const hits = await listed(page);
	compare('zh', q, hits, problems);
	for (const h of hits)
		if (!h.marks.every((m) => m === '小红书'))
			problems.push(`${h.href}: marked ${JSON.stringify(h.marks)}, not 小红书`);
	if (hits.length === 0)
		problems.push('typing 小紅書 listed nothing');
	const status = await page.locator('#search-status').textContent();
	notes.push(`typed ${q}: ${hits.length} hits, "${status}"`);
	await page.screenshot({ path: join(shots(), 'search-typed-zh.png'), fullPage: false });
	problems.push(...errors);
	check('search typed (http)', problems, notes);
	await page.close();
}

function shots() {
	return resolve(pub, '..', 'search-screenshots');
}

async function linked(browser, base, label, cases) {
	const problems = [], notes = [];
	const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
	const errors = watch(page);
	for (const [lang, q] of cases) {
		await page.goto(`${base}/${lang}/search/index.html?q=${encodeURIComponent(q)}`);
		await waitDone(page);
		if (await page.locator('#search_q').inputValue() !== q)
			problems.push(`${lang} ?q=${q}: the box does not hold the query`);
		const hits = await listed(page);
		compare(lang, q, hits, problems);
		notes.push(`${lang} ${JSON.stringify(q)}: ${hits.length}`);
		if (hits.length === 0 && expected(lang, q).length === 0 &&
		    !(await page.locator('#search-status').textContent()))
			problems.push(`${lang} ?q=${q}: no message for no hits`);
	}
	await page.screenshot({ path: join(shots(), `search-linked-${label}.png`) });
	problems.push(...errors);
	check(`search ?q= links (${label})`, problems, notes);
	await page.close();
}

async function headerBox(browser, origin, js) {
	const problems = [], notes = [];
	const context = await browser.newContext({ javaScriptEnabled: js });
	const page = await context.newPage();
	const errors = watch(page);
	await page.goto(`${origin}/zh/articles/reverse-going-abroad/index.html`);
	await page.locator('#site_q').fill('出海');
	await page.locator('#site_q').press('Enter');
	await page.waitForURL(/\/zh\/search\/index\.html\?q=/, { timeout: 10_000 });
	const q = new URL(page.url()).searchParams.get('q');
	if (q !== '出海')
		problems.push(`the header box led to ?q=${q}`);
	if (js) {
		await waitDone(page);
		const hits = await listed(page);
		compare('zh', '出海', hits, problems);
		notes.push(`${hits.length} hits`);
	} else {
		const text = await page.locator('noscript, .notice').first().textContent();
		const visible = await page.locator('main .notice').isVisible();
		if (!visible || !/JavaScript/.test(text))
			problems.push('without JavaScript the page does not say that search needs it');
		for (const href of ['../index.html', '../../index.tsv'])
			if (await page.locator(`main .notice a[href="${href}"]`).count() !== 1)
				problems.push(`without JavaScript no link to ${href}`);
		notes.push('noscript notice with links to the article list and index.tsv');
		await page.screenshot({ path: join(shots(), 'search-nojs.png') });
	}
	problems.push(...errors);
	check(`search header box (JavaScript ${js ? 'on' : 'off'})`, problems, notes);
	await context.close();
}

// The header's box on a phone: with the focus it is wide enough to read
// what is typed, and the header keeps its height.
async function headerBoxPhone(browser, origin) {
	const problems = [], notes = [];
	const page = await browser.newPage({ viewport: { width: 360, height: 800 } });
	const errors = watch(page);
	for (const lang of ['en', 'zh']) {
		await page.goto(`${origin}/${lang}/articles/rednote-tops-us-app-store/index.html`);
		const before = (await page.locator('.site-header').boundingBox()).height;
		await page.locator('#site_q').focus();
		await page.keyboard.type('TikTok');
		await page.waitForTimeout(300);
		const box = await page.locator('#site_q').boundingBox();
		const after = (await page.locator('.site-header').boundingBox()).height;
		if (box.width < 250)
			problems.push(`${lang}: the focused box is ${Math.round(box.width)} px wide at 360 px`);
		if (Math.abs(after - before) > 1)
			problems.push(`${lang}: the header went from ${before} to ${after} px with the box focused`);
		notes.push(`${lang} ${Math.round(box.width)} px`);
		await page.screenshot({ path: join(shots(), `search-header-phone-${lang}.png`),
			clip: { x: 0, y: 0, width: 360, height: 200 } });
	}
	problems.push(...errors);
	check('search header box on a phone', problems, notes);
	await page.close();
}

// Back and Forward between two queries (one from a link, one typed and
// sent with Enter): the box and the hits follow the address, Enter adds
// one history entry, and the title and the other language's link carry
// the query.
async function history(browser, origin) {
	const problems = [], notes = [];
	const page = await browser.newPage();
	const errors = watch(page);
	const boxIs = (q, when) => page.waitForFunction((q) =>
		document.getElementById('search_q').value === q &&
		new URL(location.href).searchParams.get('q') === q, q, { timeout: 10_000 })
		.catch(() => problems.push(`${when}: the box and the address do not both hold ${q}`));
	await page.goto(`${origin}/en/search/index.html?q=tiktok`);
	await waitDone(page);
	const entries = await page.evaluate(() => window.history.length);
	await page.locator('#search_q').fill('Xiaohongshu');
	await page.locator('#search_q').press('Enter');
	await boxIs('Xiaohongshu', 'after Enter');
	await waitDone(page);
	compare('en', 'Xiaohongshu', await listed(page), problems);
	const added = await page.evaluate(() => window.history.length) - entries;
	if (added !== 1)
		problems.push(`typing a query and Enter added ${added} history entries, not 1`);
	if (!(await page.title()).startsWith('Xiaohongshu'))
		problems.push(`the title "${await page.title()}" does not start with the query`);
	const alt = await page.locator('a.lang-switch').getAttribute('href');
	if (!alt || new URL(alt, page.url()).searchParams.get('q') !== 'Xiaohongshu')
		problems.push(`the other language's link ${alt} does not carry the query`);
	await page.goBack();
	await boxIs('tiktok', 'after Back');
	await waitDone(page);
	compare('en', 'tiktok', await listed(page), problems);
	await page.goForward();
	await boxIs('Xiaohongshu', 'after Forward');
	await waitDone(page);
	compare('en', 'Xiaohongshu', await listed(page), problems);
	notes.push('Back and Forward follow the address');
	problems.push(...errors);
	check('search history (http)', problems, notes);
	await page.close();
}

async function more(browser) {
	const problems = [], notes = [];
	const page = await browser.newPage();
	const errors = watch(page);
	const q = '的';
	await page.goto(`${pathToFileURL(pub).href}/zh/search/index.html?q=${encodeURIComponent(q)}`);
	await waitDone(page);
	const want = expected('zh', q);
	const first = await listed(page);
	if (first.length !== Math.min(10, want.length))
		problems.push(`the first page lists ${first.length}, not ${Math.min(10, want.length)}`);
	if (want.length > 10) {
		if (!await page.locator('#search-more').isVisible())
			problems.push('no visible "More results" button');
		// From the keyboard: the focus goes on to the first new hit.
		await page.locator('#search-more').focus();
		await page.keyboard.press('Enter');
		await page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length >= n,
			Math.min(20, want.length), { timeout: 15_000 });
		await waitDone(page);
		if (!await page.evaluate(() => document.activeElement ===
		    document.querySelector('#search-results > li:nth-child(11) a')))
			problems.push('after "More results" the focus is not on the first new hit');
		const got = (await listed(page)).map((h) => h.href.replace(/^\.\.\/articles\/|\/index\.html$/g, ''));
		if (JSON.stringify(got) !== JSON.stringify(want.slice(0, 20)))
			problems.push(`after "More results": [${got}], brute force [${want.slice(0, 20)}]`);
		notes.push(`${want.length} hits: 10, then ${got.length} after "More results"`);
	}
	const status = await page.locator('#search-status').textContent();
	if (!status.includes(String(want.length)))
		problems.push(`the status "${status}" does not say ${want.length}`);
	problems.push(...errors);
	check('search "More results" (file://)', problems, notes);
	await page.close();
}

async function bench(browser, file) {
	const queries = readFileSync(file, 'utf8').split('\n').filter((q) => q.trim());
	const load = [], type = [];
	const page = await browser.newPage();
	const base = pathToFileURL(pub).href;
	for (const q of queries) {
		const t0 = Date.now();
		await page.goto(`${base}/zh/search/index.html?q=${encodeURIComponent(q)}`);
		await waitDone(page);
		load.push(Date.now() - t0);
		/* Typing into the open page: its scripts and the shards it has are cached. */
		await page.locator('#search_q').fill('');
		const t1 = await page.evaluate(() => performance.now());
		await page.locator('#search_q').fill(q);
		await page.locator('#search_q').press('Enter');
		await waitDone(page);
		type.push(await page.evaluate(() => performance.now()) - t1);
	}
	const med = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
	console.log(`search-browser: ${queries.length} queries: page with ?q= to hits shown, median ` +
		`${med(load)} ms; query submitted in an open page to hits shown, median ${med(type).toFixed(0)} ms`);
}

async function main() {
	const { mkdirSync } = await import('node:fs');
	mkdirSync(shots(), { recursive: true });
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		timeout: 30_000 });
	try {
		if (benchFile) {
			await bench(browser, benchFile);
			return;
		}
		if (moreOnly) {
			await more(browser);
			return;
		}
		await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
		const origin = `http://127.0.0.1:${server.address().port}`;
		await typed(browser, origin);
		await history(browser, origin);
		// 小红书登顶: simplified, where an article writes 小紅書登頂.
		const cases = [['zh', '反向出海'], ['zh', 'TIKTOK 美国'], ['en', 'tiktok'],
			['zh', '小红书登顶'], ['en', 'Xiaohongshu ban'], ['en', '出海'],
			['zh', '没有这样的文字qzx']];
		await linked(browser, origin, 'http', cases);
		await linked(browser, pathToFileURL(pub).href, 'file', cases.slice(0, 4));
		await headerBox(browser, origin, true);
		await headerBoxPhone(browser, origin);
		await headerBox(browser, origin, false);
	} finally {
		await browser.close();
		server.close();
	}
	console.log(`search-browser: ${failures} failed`);
	process.exitCode = failures ? 1 : 0;
}

main().catch((e) => {
	console.log(`FAIL search-browser: ${e.stack || e}`);
	process.exit(1);
});

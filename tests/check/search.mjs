// search.mjs PUBLIC [--queries N] [--seed S] [--stats]
//
// Runs the search page's own engine (templates/assets/search.js, as
// published in PUBLIC/assets/) in Node against the index the build wrote,
// and compares its hits, for every query, with a brute-force search over
// every article's text (PUBLIC/<lang>/search/t/*.js), folded by the same
// script: random substrings of 1 to 8 characters, Latin words (as written,
// upper-case and full-width), substrings written in traditional
// characters, passages the texts write in traditional characters searched
// for in simplified ones, queries of two and three words, and queries that
// match nothing.  The engine starts as a reader's page does, with no fold
// table loaded, and keeps what it loaded from query to query.  Exit
// status 1 when any query's hits differ.
//
// --stats: also prints, for random 2-4 character queries, the bytes of
// the index a reader's browser would load for the first page of ten hits
// (the median, 90th percentile and maximum), and the script's size, which
// the first visit adds once.
//
// --bench FILE (for tests/bench/search.sh): instead of checking, takes the
// Chinese queries in FILE (one a line; when FILE does not exist, 45
// random substrings of 2 to 4 characters of the articles are written to
// it), and for each prints a line of JSON: the query, the bytes loaded for
// its first page of hits with an empty cache, and the slugs a brute-force
// search finds.
import fs from 'node:fs';
import path from 'node:path';
import * as lib from './search-lib.mjs';

const args = process.argv.slice(2);
const pub = args[0];
const opt = (name, def) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : def;
};
const nQueries = Number(opt('--queries', 300));
let seed = Number(opt('--seed', 1));
const stats = args.includes('--stats');
if (!pub) {
	console.error('usage: search.mjs PUBLIC [--queries N] [--seed S] [--stats]');
	process.exit(2);
}

// A small deterministic generator (mulberry32), so failures reproduce.
function rand() {
	seed = (seed + 0x6D2B79F5) | 0;
	let t = seed;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];

const { HS, ctx } = lib.engine(pub, 'zh');
const toTrad = lib.loadFolds(pub, ctx);

function brute(folded, words) {
	const hits = [];
	if (words.length === 0)   // a query of nothing but spaces finds nothing
		return hits;
	folded.forEach((f, i) => {
		if (words.every((w) => f.includes(w)))
			hits.push(i);
	});
	return hits;
}

function substring(text, min, max) {
	const cps = Array.from(text);
	if (cps.length === 0)
		return 'x';
	const len = min + Math.floor(rand() * (max - min + 1));
	const at = Math.floor(rand() * Math.max(1, cps.length - len));
	return cps.slice(at, at + len).join('').trim() || cps[at];
}

function fullWidth(s) {
	return Array.from(s).map((c) => {
		const x = c.codePointAt(0);
		return x > 0x20 && x < 0x7F ? String.fromCodePoint(x + 0xFEE0) : c;
	}).join('');
}

// Where the texts have a character the traditional-to-simplified table
// folds: [text, code point index] for each.
function tableSpots(all) {
	const spots = [];
	for (const t of all) {
		const cps = Array.from(t);
		cps.forEach((c, i) => {
			const x = c.codePointAt(0);
			if (x >= 0x3400 && x < 0xFF01 && HS.foldChar(x) !== x)
				spots.push([cps, i]);
		});
	}
	return spots;
}

function makeQueries(all, n) {
	const latin = [];
	for (const t of all)
		for (const w of t.match(/[A-Za-z][A-Za-z0-9]{2,}/g) || [])
			latin.push(w);
	const spots = tableSpots(all);
	// Around a curly quote of the text, typed with straight ones.
	const quotes = all.filter((t) => /[‘’“”]/.test(t));
	const quoted = () => {
		if (quotes.length === 0)
			return substring(pick(all), 2, 4);
		const t = pick(quotes), cps = Array.from(t);
		const at = cps.findIndex((c, i) => i >= Math.floor(rand() * cps.length) && /[‘’“”]/.test(c));
		const i = at >= 0 ? at : cps.findIndex((c) => /[‘’“”]/.test(c));
		const from = Math.max(0, i - Math.floor(rand() * 4));
		return cps.slice(from, from + 2 + Math.floor(rand() * 5)).join('')
			.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').trim() || '"';
	};
	// A passage written in traditional characters, searched for in
	// simplified ones: the page must fold the text with table blocks the
	// query itself does not load.
	const simplified = () => {
		if (spots.length === 0)
			return substring(pick(all), 2, 4);
		const [cps, i] = pick(spots);
		const at = Math.max(0, i - Math.floor(rand() * 3));
		const q = cps.slice(at, at + 2 + Math.floor(rand() * 4)).join('').trim();
		return HS.foldText(q || cps[i]).text;
	};
	const kinds = [
		['substring', () => substring(pick(all), 1, 8)],
		['substring 2-4', () => substring(pick(all), 2, 4)],
		['traditional', () => Array.from(substring(pick(all), 2, 6))
			.map((c) => toTrad.get(c) || c).join('')],
		['simplified, of traditional text', simplified],
		['quotes as typed', quoted],
		['latin word', () => latin.length ? pick(latin) : 'none'],
		['latin upper/full-width', () => {
			const w = latin.length ? pick(latin) : 'none';
			return rand() < 0.5 ? w.toUpperCase() : fullWidth(w);
		}],
		['two words', () => substring(pick(all), 1, 4) + ' ' + substring(pick(all), 1, 4)],
		['three words', () => [1, 2, 3].map(() => substring(pick(all), 1, 3)).join('  ')],
		['no match', () => pick(['qzxjv', '鱻龘', 'zzqq 市场', substring(pick(all), 2, 3) + 'qzxj', '\u4e00\u9fa5\u4e00'])],
	];
	const out = [];
	for (let i = 0; i < n; i++) {
		const [kind, make] = kinds[i % kinds.length];
		out.push([kind, make()]);
	}
	return out;
}

async function checkLang(lang) {
	// As a reader's page: it loads the fold table's blocks as it needs them
	// (the brute force folds with all of them, loaded in ctx).
	const { engine } = lib.engine(pub, lang);
	const all = lib.articles(pub, lang).map((a) => a.text);
	const folded = all.map((t) => HS.foldText(t).text);
	let failed = 0, nonEmpty = 0;
	const queries = makeQueries(all, nQueries);
	for (const [kind, q] of queries) {
		const s = await engine.search(q);
		const got = await s.all();
		const words = (await engine.words(q)).map((w) => String.fromCodePoint(...w));
		const want = brute(folded, words);
		nonEmpty += want.length > 0;
		if (JSON.stringify(got) !== JSON.stringify(want)) {
			failed++;
			if (failed <= 10)
				console.error(`${lang}: ${kind} ${JSON.stringify(q)}: engine ${got.length} hits ` +
					`[${got.slice(0, 8)}], brute force ${want.length} [${want.slice(0, 8)}]`);
		} else if (s.total !== want.length) {
			failed++;
			console.error(`${lang}: ${JSON.stringify(q)}: total ${s.total}, want ${want.length}`);
		}
	}
	console.log(`${lang}: ${queries.length} queries (${nonEmpty} with hits), ` +
		`${all.length} articles: ${failed} differ from brute force`);
	if (stats)
		await byteStats(lang, all);
	return failed;
}

async function benchQueries(file) {
	const arts = lib.articles(pub, 'zh');
	const all = arts.map((a) => a.text);
	if (!fs.existsSync(file)) {
		const qs = [];
		while (qs.length < 45) {
			const q = substring(pick(all), 2, 4);
			if (!/\s/.test(q) && !qs.includes(q))
				qs.push(q);
		}
		fs.writeFileSync(file, qs.join('\n') + '\n');
	}
	const folded = all.map((t) => HS.foldText(t).text);
	for (const q of fs.readFileSync(file, 'utf8').split('\n').filter((x) => x)) {
		let n = 0;
		const { engine } = lib.engine(pub, 'zh', (url, size) => { n += size; });
		const s = await engine.search(q);
		const hits = await s.next(10);
		const words = (await engine.words(q)).map((w) => String.fromCodePoint(...w));
		const want = brute(folded, words).map((i) => arts[i].slug);
		const got = hits.map((h) => h.slug);
		if (JSON.stringify(got) !== JSON.stringify(want.slice(0, 10)))
			throw new Error(`${q}: first page ${got}, brute force ${want.slice(0, 10)}`);
		console.log(JSON.stringify({ q, bytes: n, hits: want }));
	}
}

// Bytes for a first page of ten hits, each query with an empty cache.
async function byteStats(lang, all) {
	const script = fs.statSync(path.join(pub, 'assets/search.js')).size;
	const sizes = [], worst = [];
	for (let i = 0; i < 60; i++) {
		const q = substring(pick(all), 2, 4);
		let n = 0;
		const { engine } = lib.engine(pub, lang, (url, size) => { n += size; });
		const s = await engine.search(q);
		await s.next(10);
		sizes.push(n);
		worst.push([n, q, s.docs.length, s.found, s.checked]);
	}
	worst.sort((a, b) => b[0] - a[0]);
	for (const w of worst.slice(0, 3))
		console.log(`  ${(w[0] / 1024).toFixed(1)} KB for ${JSON.stringify(w[1])}: ` +
			`${w[2]} candidates, ${w[3]} hits in the ${w[4]} checked`);
	sizes.sort((a, b) => a - b);
	const kb = (x) => (x / 1024).toFixed(1);
	console.log(`${lang}: bytes per 2-4 character query, first page: median ${kb(sizes[30])} KB, ` +
		`p90 ${kb(sizes[54])} KB, max ${kb(sizes[59])} KB; script ${kb(script)} KB`);
}

if (args.includes('--bench')) {
	await benchQueries(opt('--bench'));
	process.exit(0);
}
let failed = 0;
for (const lang of ['zh', 'en'])
	failed += await checkLang(lang);
process.exit(failed ? 1 : 0);

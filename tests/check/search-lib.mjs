// search-lib.mjs — what the search tests share: the search page's own
// script (PUBLIC/assets/search.js) run in Node with a loader that reads the
// index files from disk, and the articles' texts as the build wrote them.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

// A file the build wrote, as the browser decodes it: UTF-8, or UTF-16
// when it starts with that byte order mark.
export function readScript(file) {
	const b = fs.readFileSync(file);
	if (b[0] === 0xFF && b[1] === 0xFE)
		return b.toString('utf16le', 2);
	return b.toString('utf8');
}

// The data one of the build's script files passes to its __hs function.
function call(file, fn) {
	let got;
	const local = vm.createContext({ __hs: { [fn]: (...a) => { got = a; } } });
	vm.runInContext(readScript(file), local);
	return got;
}

// A fresh copy of the script (an empty cache, as a first visit) and an
// engine for `lang`; onLoad(url, bytes) is told of every file it loads.
export function engine(pub, lang, onLoad = () => {}) {
	const ctx = vm.createContext({ console });
	vm.runInContext(readScript(path.join(pub, 'assets/search.js')), ctx);
	const HS = ctx.HaichaoSearch;
	const e = new HS.Engine({
		lang,
		base: path.join(pub, lang, 'search') + '/',
		foldBase: path.join(pub, 'search', 'fold') + '/',
		loader: (key, url) => {
			const data = readScript(url);
			onLoad(url, fs.statSync(url).size);
			vm.runInContext(data, ctx);
		},
	});
	return { HS, engine: e, ctx };
}

// Every fold block run in ctx (so the script folds everything without
// loading), and the table reversed: simplified to one traditional form.
export function loadFolds(pub, ctx) {
	const dir = path.join(pub, 'search', 'fold');
	const toTrad = new Map();
	for (const f of fs.readdirSync(dir).sort()) {
		vm.runInContext(readScript(path.join(dir, f)), ctx);
		const cps = Array.from(call(path.join(dir, f), 'f')[1]);
		for (let i = 0; i + 1 < cps.length; i += 2)
			if (!toTrad.has(cps[i + 1]))
				toTrad.set(cps[i + 1], cps[i]);
	}
	return toTrad;
}

// The articles of a language in the index's order (newest first): slug,
// title, date and text, from the metadata blocks and the text files.
export function articles(pub, lang) {
	const dir = path.join(pub, lang, 'search');
	const out = [];
	const n = fs.readdirSync(path.join(dir, 'd')).length;
	for (let k = 0; k < n; k++)
		for (const d of call(path.join(dir, 'd', k + '.js'), 'd')[2]) {
			const t = call(path.join(dir, 't', d[0] + '.js'), 't');
			out.push({ slug: d[0], title: d[1], date: d[2], text: t[2] });
		}
	return out;
}

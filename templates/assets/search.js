/* search.js — haichao's search page: exact substring search over the
 * archive's text, with the index the build writes (generator/search.c).
 *
 * Every file it loads is a script that calls one of the __hs functions
 * below, so the page works from file:// (where fetch() of local files is
 * refused) as well as over HTTP, with no server.  A query is folded as
 * the text was (fold.h: case, width, white space, curly quotes,
 * traditional to simplified), split into words at spaces, and each word looked up by its
 * n-grams: one, two or three characters are exact from the lists alone;
 * longer words are looked up by their runs of three and checked in the
 * candidates' text, which the snippets need anyway, so only true hits are
 * shown.
 * The engine (HaichaoSearch) has no DOM in it: tests run it in Node. */
(function (global) {
	'use strict';

	/* ---- files ---------------------------------------------------------- */

	var hs = global.__hs || (global.__hs = {});
	var got = {};       /* key -> {data, waiters} */

	function deliver(key, data) {
		var e = got[key] || (got[key] = { waiters: [] });
		e.data = data;
		e.done = true;
		var w = e.waiters;
		e.waiters = [];
		for (var i = 0; i < w.length; i++)
			w[i][0](data);
	}
	hs.m = function (lang, meta) { deliver('m/' + lang, meta); };
	hs.s = function (lang, n, grams) { deliver('s/' + lang + '/' + n, grams); };
	hs.d = function (lang, k, docs) { deliver('d/' + lang + '/' + k, docs); };
	/* folds: the fold table's blocks the text has characters of. */
	hs.t = function (lang, slug, text, folds) {
		deliver('t/' + lang + '/' + slug, { text: text, folds: folds || [] });
	};
	hs.f = function (block, pairs) {
		addFold(pairs);
		deliver('f/' + block, pairs);
	};

	/* A script element, the same over http: and file:. */
	function domLoader(key, url) {
		var s = document.createElement('script');
		s.src = url;
		s.async = true;
		s.onload = function () {
			s.remove();
			if (!got[key].done)
				fail(key, new Error('no data in ' + url));
		};
		s.onerror = function () {
			s.remove();
			fail(key, new Error('cannot load ' + url));
		};
		document.head.appendChild(s);
	}

	function fail(key, err) {
		var e = got[key];
		delete got[key];
		for (var i = 0; i < e.waiters.length; i++)
			e.waiters[i][1](err);
	}

	/* Loads a file once; its data, through a promise. */
	function load(loader, key, url) {
		var e = got[key];
		if (e && e.done)
			return Promise.resolve(e.data);
		return new Promise(function (resolve, reject) {
			var first = !e;
			e = e || (got[key] = { waiters: [] });
			e.waiters.push([resolve, reject]);
			if (first)
				loader(key, url);
		});
	}

	/* ---- folding (the same rules as generator/fold.c) -------------------- */

	var table = {};     /* traditional -> simplified, by code point */
	var width = { 0xFF61: 0x3002, 0xFF62: 0x300C, 0xFF63: 0x300D,
		0xFF64: 0x3001, 0xFFE0: 0xA2, 0xFFE1: 0xA3, 0xFFE2: 0xAC,
		0xFFE3: 0xAF, 0xFFE4: 0xA6, 0xFFE5: 0xA5, 0xFFE6: 0x20A9 };

	function foldChar(c) {
		if (c < 0x80) {
			if (c >= 65 && c <= 90)
				return c + 32;
			return c >= 9 && c <= 13 ? 32 : c;
		}
		if (c === 0xA0 || c === 0x3000)
			return 32;
		if (c >= 0xC0 && c <= 0xDE && c !== 0xD7)
			return c + 32;
		if (c === 0x2018 || c === 0x2019)
			return 39;
		if (c === 0x201C || c === 0x201D)
			return 34;
		if (c >= 0xFF01 && c <= 0xFF5E)
			return foldChar(c - 0xFEE0);
		if (c >= 0xFF61)
			return width[c] || c;
		if (c < 0x3400)
			return c;
		return table[c] || c;
	}

	function addFold(pairs) {
		var cps = Array.from(pairs);
		for (var i = 0; i + 1 < cps.length; i += 2)
			table[cps[i].codePointAt(0)] = cps[i + 1].codePointAt(0);
	}

	/* The folded text and, for each of its UTF-16 units, where it was in
	 * the original (a code point may change its length in UTF-16). */
	function foldText(s) {
		var out = '', pos = new Array(s.length + 1), start = 0, i = 0;
		while (i < s.length) {
			var u = s.charCodeAt(i);
			/* Most text folds to itself: copied a run at a time. */
			if (u >= 0x3400 ? !table[u] && (u < 0xD800 || u >= 0xE000) &&
			    u < 0xFF01 : u < 0x80 ? !(u >= 65 && u <= 90) && u > 13 :
			    !(u === 0xA0 || (u >= 0xC0 && u <= 0xDE && u !== 0xD7) ||
			    u === 0x2018 || u === 0x2019 || u === 0x201C || u === 0x201D)) {
				pos[out.length + i - start] = i;
				i++;
				continue;
			}
			out += s.slice(start, i);
			var c = s.codePointAt(i), f = String.fromCodePoint(foldChar(c));
			for (var k = 0; k < f.length; k++)
				pos[out.length + k] = i;
			out += f;
			i += c > 0xFFFF ? 2 : 1;
			start = i;
		}
		out += s.slice(start);
		pos.length = out.length + 1;
		pos[out.length] = s.length;
		return { text: out, pos: pos };
	}

	/* ---- lists ------------------------------------------------------------ */

	var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
	var VALUE = {};
	for (var di = 0; di < 64; di++)
		VALUE[DIGITS[di]] = di;

	/* A list's text (search.c's encode_docs) as ascending article numbers. */
	function decodeDocs(s) {
		var out = [], i, v;
		if (s[0] === '~') {
			for (i = 1; i < s.length; i++) {
				v = VALUE[s[i]];
				for (var b = 0; b < 6; b++)
					if (v & (1 << b))
						out.push((i - 1) * 6 + b);
			}
			return out;
		}
		var prev = -1, n = 0, shift = 0;
		for (i = 0; i < s.length; i++) {
			v = VALUE[s[i]];
			n += (v & 31) * Math.pow(2, shift);
			if (v & 32) {
				shift += 5;
				continue;
			}
			prev += n + 1;
			out.push(prev);
			n = 0;
			shift = 0;
		}
		return out;
	}

	function intersect(a, b) {
		var out = [], i = 0, j = 0;
		while (i < a.length && j < b.length) {
			if (a[i] < b[j])
				i++;
			else if (a[i] > b[j])
				j++;
			else {
				out.push(a[i]);
				i++;
				j++;
			}
		}
		return out;
	}

	/* The n-grams a word is looked up by (at most 6, spread over it), and
	 * whether their lists answer it exactly: a word of one to three
	 * characters is an n-gram; a longer one is looked up by its runs of
	 * three, and the candidates' text is checked. */
	function wordGrams(w) {
		if (w.length <= 3)
			return { grams: [w], exact: true };
		var grams = [];
		for (var i = 0; i + 3 <= w.length; i++)
			grams.push(w.slice(i, i + 3));
		if (grams.length > 6) {
			var pick = [];
			for (var k = 0; k < 6; k++)
				pick.push(grams[Math.round(k * (grams.length - 1) / 5)]);
			grams = pick;
		}
		return { grams: grams, exact: false };
	}

	function gramHash(cps) {
		var h = 2166136261;
		for (var i = 0; i < cps.length; i++)
			h = Math.imul(h ^ cps[i], 16777619) >>> 0;
		return h;
	}

	function cpString(cps) {
		return String.fromCodePoint.apply(null, cps);
	}

	/* ---- the engine --------------------------------------------------------- */

	/* opts: lang; base, the URL of <lang>/search/; foldBase, of
	 * search/fold/; loader(key, url), domLoader by default. */
	function Engine(opts) {
		this.lang = opts.lang;
		this.base = opts.base;
		this.foldBase = opts.foldBase;
		this.loader = opts.loader || domLoader;
	}

	Engine.prototype.get = function (key, url) {
		return load(this.loader, key, url);
	};

	Engine.prototype.meta = function () {
		return this.get('m/' + this.lang, this.base + 'meta.js');
	};

	/* Block b of the fold table (code points b * 1024 on), loaded. */
	Engine.prototype.fold = function (b) {
		return this.get('f/' + b, this.foldBase + b.toString(16) + '.js');
	};

	/* The query's words, folded, as arrays of code points (empty ones
	 * dropped, repeats once). */
	Engine.prototype.words = function (query) {
		var self = this;
		return this.meta().then(function (meta) {
			var blocks = {}, need = [];
			for (var i = 0; i < meta.f.length; i++)
				blocks[meta.f[i]] = true;
			Array.from(query).forEach(function (ch) {
				var b = ch.codePointAt(0) >> 10;
				if (blocks[b] && need.indexOf(b) < 0)
					need.push(b);
			});
			return Promise.all(need.map(function (b) {
				return self.fold(b);
			})).then(function () {
				var seen = {}, words = [];
				var folded = Array.from(query).map(function (ch) {
					return foldChar(ch.codePointAt(0));
				});
				var cur = [];
				folded.concat([32]).forEach(function (c) {
					if (c !== 32) {
						cur.push(c);
						return;
					}
					var key = cpString(cur);
					if (cur.length && !seen[key]) {
						seen[key] = true;
						words.push(cur);
					}
					cur = [];
				});
				return words;
			});
		});
	};

	/* The articles that may hold every word, and whether all of them do. */
	Engine.prototype.candidates = function (words) {
		var self = this;
		return this.meta().then(function (meta) {
			var plans = words.map(wordGrams);
			var lists = [];
			plans.forEach(function (p) {
				p.grams.forEach(function (g) {
					var n = gramHash(g) % meta.s;
					lists.push(self.get('s/' + self.lang + '/' + n,
						self.base + 's/' + n + '.js').then(function (shard) {
						var s = shard[cpString(g)];
						return s === undefined ? [] : decodeDocs(s);
					}));
				});
			});
			return Promise.all(lists).then(function (ls) {
				ls.sort(function (a, b) { return a.length - b.length; });
				var docs = ls[0];
				for (var i = 1; i < ls.length && docs.length; i++)
					docs = intersect(docs, ls[i]);
				return {
					docs: docs,
					exact: plans.every(function (p) { return p.exact; })
				};
			});
		});
	};

	/* An article's text folded (foldText), kept: a reader typing a
	 * query checks the same articles again and again.  Whole, since
	 * article() loaded the fold blocks its text needs. */
	Engine.prototype.folded = function (a) {
		var memo = this.memo || (this.memo = {});
		return memo[a.doc] || (memo[a.doc] = foldText(a.text));
	};

	/* An article's slug, title, date and text, with the fold table's
	 * blocks its text needs loaded: a query in simplified characters
	 * loads no block of the traditional ones in the text it must match. */
	Engine.prototype.article = function (doc) {
		var self = this;
		return this.meta().then(function (meta) {
			var k = Math.floor(doc / meta.b);
			return self.get('d/' + self.lang + '/' + k, self.base + 'd/' + k + '.js')
				.then(function (block) { return block[doc % meta.b]; });
		}).then(function (d) {
			return self.get('t/' + self.lang + '/' + d[0], self.base + 't/' +
				d[0] + '.js').then(function (t) {
				return Promise.all(t.folds.map(function (b) {
					return self.fold(b);
				})).then(function () {
					return { doc: doc, slug: d[0], title: d[1], date: d[2], text: t.text };
				});
			});
		});
	};

	/* A query's search: .words, .total (hits, or at most that many while
	 * .exact is false), and next(n), which resolves with up to n more
	 * hits, each an article with .first (where in its text the first word
	 * first occurs).  Hits come newest first. */
	Engine.prototype.search = function (query) {
		var self = this;
		return this.words(query).then(function (words) {
			if (words.length === 0)
				return new Search(self, [], { docs: [], exact: true });
			return self.candidates(words).then(function (c) {
				return new Search(self, words, c);
			});
		});
	};

	function Search(engine, words, c) {
		this.engine = engine;
		this.words = words.map(cpString);
		this.docs = c.docs;
		this.exact = c.exact;
		this.total = c.docs.length;
		this.checked = 0;    /* candidates looked at */
		this.found = 0;
	}

	var BATCH = 10;

	/* Where a hit's snippet starts: its first match after the title (the
	 * text starts with it, and the title is shown anyway), else the
	 * start of what follows the title. */
	function snippetAt(a, f, words) {
		var title = a.title.replace(/[\t\n\v\f\r \u00a0\u3000]+/g, ' ').trim();
		var body = a.text.lastIndexOf(title, 0) === 0 ? title.length + 1 : 0;
		while (body < f.pos.length - 1 && f.pos[body] < body)
			body++;
		var first = -1;
		words.forEach(function (w) {
			var at = f.text.indexOf(w, body);
			if (at >= 0 && (first < 0 || at < first))
				first = at;
		});
		a.body = f.pos[Math.min(body, f.text.length)];
		a.first = f.pos[first >= 0 ? first : Math.min(body, f.text.length)];
	}

	Search.prototype.next = function (n) {
		var self = this, hits = [];
		function more() {
			if (hits.length >= n || self.checked >= self.docs.length) {
				if (self.checked >= self.docs.length) {
					self.exact = true;
					self.total = self.found;
				}
				return Promise.resolve(hits);
			}
			var batch = self.docs.slice(self.checked, self.checked +
				Math.max(n - hits.length, self.exact ? 1 : BATCH));
			return Promise.all(batch.map(function (d) {
				return self.engine.article(d);
			})).then(function (arts) {
				for (var i = 0; i < arts.length; i++) {
					if (hits.length >= n)
						break;
					self.checked++;
					var a = arts[i], f = self.engine.folded(a);
					var ok = self.words.every(function (w) {
						return f.text.indexOf(w) >= 0;
					});
					if (ok) {
						snippetAt(a, f, self.words);
						hits.push(a);
						self.found++;
					} else {
						self.total--;
					}
				}
				return more();
			});
		}
		return more();
	};

	/* Every hit (for tests): article numbers, ascending. */
	Search.prototype.all = function () {
		var self = this;
		return this.next(Infinity).then(function (hits) {
			return hits.map(function (h) { return h.doc; });
		});
	};

	/* Pieces of `text`, each {text, mark}: the words' occurrences marked. */
	function highlight(text, words) {
		var f = foldText(text), marks = [];
		words.forEach(function (w) {
			for (var at = f.text.indexOf(w); at >= 0; at = f.text.indexOf(w, at + 1))
				marks.push([f.pos[at], f.pos[at + w.length]]);
		});
		marks.sort(function (a, b) { return a[0] - b[0]; });
		var out = [], end = 0;
		marks.forEach(function (m) {
			if (m[0] < end) {
				if (m[1] > end) {
					out[out.length - 1].text += text.slice(end, m[1]);
					end = m[1];
				}
				return;
			}
			if (m[0] > end)
				out.push({ text: text.slice(end, m[0]), mark: false });
			out.push({ text: text.slice(m[0], m[1]), mark: true });
			end = m[1];
		});
		if (end < text.length)
			out.push({ text: text.slice(end), mark: false });
		return out;
	}

	/* A letter or digit of a Latin word. */
	var LATIN = /[0-9A-Za-z\u00C0-\u024F]/;

	/* The part of a hit's text around its first match.  Where an end
	 * would cut a Latin word it moves to a space, if one is near. */
	function snippet(hit, before, after) {
		var t = hit.text, start = Math.max(hit.body || 0, hit.first - before);
		var end = Math.min(t.length, hit.first + after), NEAR = 16;
		if (start > (hit.body || 0) && LATIN.test(t[start - 1]) && LATIN.test(t[start])) {
			var next = t.indexOf(' ', start);
			if (next >= 0 && next < Math.min(start + NEAR, hit.first))
				start = next + 1;
		}
		if (end < t.length && LATIN.test(t[end - 1]) && LATIN.test(t[end])) {
			var back = t.lastIndexOf(' ', end);
			if (back > hit.first && back >= end - NEAR)
				end = back;
		}
		if (start > 0 && t.charCodeAt(start) >= 0xDC00 && t.charCodeAt(start) <= 0xDFFF)
			start--;
		if (end < t.length && t.charCodeAt(end) >= 0xDC00 && t.charCodeAt(end) <= 0xDFFF)
			end++;
		return (start > (hit.body || 0) ? '…' : '') + t.slice(start, end) + (end < t.length ? '…' : '');
	}

	global.HaichaoSearch = {
		Engine: Engine, foldChar: foldChar, foldText: foldText,
		highlight: highlight, snippet: snippet, decodeDocs: decodeDocs
	};

	/* ---- the page ------------------------------------------------------------- */

	if (typeof document === 'undefined')
		return;
	var me = document.currentScript;
	var PAGE = 10;
	/* Chinese characters and their punctuation, in runs. */
	var HAN = /[\u2E80-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF01-\uFF60]+/g;

	function start() {
		var form = document.getElementById('search-form');
		var input = document.getElementById('search_q');
		var list = document.getElementById('search-results');
		var status = document.getElementById('search-status');
		var moreButton = document.getElementById('search-more');
		if (!form || !input || !list || !status || !moreButton)
			return;
		var say = list.dataset;
		var engine = new Engine({ lang: me.dataset.lang, base: me.dataset.base,
			foldBase: me.dataset.fold });
		var run = 0, current = null, timer = 0, loading = 0;   /* run of the page loading */
		var other = document.querySelector('a.lang-switch');
		var title = document.title;
		/* The query the current history entry was arrived at with (a link,
		 * Enter, Back): typing a new one adds an entry once, then keeps
		 * replacing it, so Back returns to the query before it. */
		var committed = urlQuery();

		function urlQuery() {
			return new URLSearchParams(location.search).get('q') || '';
		}

		function show(hits, words) {
			hits.forEach(function (h) {
				var li = document.createElement('li');
				var a = document.createElement('a');
				a.href = me.dataset.articles + h.slug + '/index.html';
				append(a, highlight(h.title, words));
				var time = document.createElement('time');
				time.dateTime = h.date;
				time.textContent = h.date;
				var p = document.createElement('p');
				append(p, highlight(snippet(h, 40, 100), words));
				li.appendChild(a);
				li.appendChild(document.createTextNode(' '));
				li.appendChild(time);
				li.appendChild(p);
				list.appendChild(li);
			});
		}

		function append(el, pieces) {
			pieces.forEach(function (p) {
				if (p.mark) {
					var m = document.createElement('mark');
					text(m, p.text);
					el.appendChild(m);
				} else {
					text(el, p.text);
				}
			});
		}

		/* Text into el.  On an English page its runs of Chinese are
		 * marked as Chinese, as on the article pages, for the Chinese
		 * font and glyph forms. */
		function text(el, t) {
			if (me.dataset.lang !== 'en') {
				el.appendChild(document.createTextNode(t));
				return;
			}
			var at = 0;
			t.replace(HAN, function (run, i) {
				el.appendChild(document.createTextNode(t.slice(at, i)));
				var span = document.createElement('span');
				span.lang = 'zh-Hans';
				span.textContent = run;
				el.appendChild(span);
				at = i + run.length;
			});
			if (at < t.length)
				el.appendChild(document.createTextNode(t.slice(at)));
		}

		function report(s) {
			var n = String(s.total);
			status.textContent = s.total === 0 ? say.none :
				(!s.exact ? say.atMost : s.total === 1 ? say.foundOne : say.found)
					.replace('{n}', n);
			moreButton.hidden = s.checked >= s.docs.length && s.found <= list.children.length;
		}

		/* The next page of hits.  The button stays enabled (disabling it
		 * would drop the keyboard's focus); asked for again while a page
		 * loads, it does nothing.  `focus`: then the first new hit's link
		 * takes the focus, where a reader who asked for more goes on. */
		function busy(id, on) {
			if (on || loading === id) {
				loading = on ? id : 0;
				if (on)
					list.setAttribute('aria-busy', 'true');
				else
					list.removeAttribute('aria-busy');
			}
		}

		function page(id, focus) {
			busy(id, true);
			return current.next(PAGE).then(function (hits) {
				busy(id, false);
				if (id !== run)
					return;
				var first = list.children.length;
				show(hits, current.words);
				report(current);
				moreButton.hidden = current.checked >= current.docs.length;
				if (focus && list.children[first])
					list.children[first].querySelector('a').focus();
			}, function (e) {
				busy(id, false);
				throw e;
			});
		}

		/* The query into the address (how: 'push', 'replace' or 'keep'),
		 * the title and the other language's link. */
		function remember(q, how) {
			var url = new URL(location.href);
			if (q)
				url.searchParams.set('q', q);
			else
				url.searchParams.delete('q');
			try {
				if (how !== 'keep' && url.href !== location.href)
					history[how + 'State'](null, '', url.href);
			} catch (e) {
				/* file: URLs refuse a changed query in some browsers */
			}
			document.title = q ? q + ' · ' + title : title;
			if (other) {
				var to = new URL(other.getAttribute('href'), location.href);
				if (q)
					to.searchParams.set('q', q);
				else
					to.searchParams.delete('q');
				other.href = to.href;
			}
		}

		function search(how) {
			var q = input.value.trim();
			var id = ++run;
			remember(q, how);
			list.textContent = '';
			moreButton.hidden = true;
			if (!q) {
				status.textContent = '';
				current = null;
				return;
			}
			status.textContent = say.searching;
			engine.search(q).then(function (s) {
				if (id !== run)
					return;
				current = s;
				return page(id);
			}).catch(function () {
				if (id === run)
					status.textContent = say.error;
			});
		}

		form.addEventListener('submit', function (e) {
			e.preventDefault();
			clearTimeout(timer);
			search(urlQuery() === input.value.trim() ? 'keep' : 'push');
			committed = input.value.trim();
		});
		function typed() {
			clearTimeout(timer);
			timer = setTimeout(function () {
				search(urlQuery() === committed ? 'push' : 'replace');
			}, 120);
		}
		/* Not while an input method composes: its Latin letters are not
		 * the query yet. */
		input.addEventListener('input', function (e) {
			if (!e.isComposing)
				typed();
		});
		input.addEventListener('compositionend', typed);
		window.addEventListener('popstate', function () {
			clearTimeout(timer);
			input.value = committed = urlQuery();
			search('keep');
		});
		moreButton.addEventListener('click', function () {
			if (current && loading !== run)
				page(run, true);
		});
		if (committed) {
			input.value = committed;
			search('keep');
		}
		form.classList.add('ready');
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
})(typeof window !== 'undefined' ? window : globalThis);

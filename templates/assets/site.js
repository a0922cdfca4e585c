/* haichao · site.js — progressive enhancement; every page works without it.
 *
 * 1. Notes in place: an annotated word (a.gl) opens its note beside the word
 *    (in the margin on a wide screen, under the word's line otherwise). The
 *    note is read from the numbered list at the end of the article, so the
 *    text carries no copy of it. Without JavaScript the word links to the
 *    note, which CSS shows as a sheet at the bottom of the screen (:target).
 * 2. Pinyin: the button .pinyin-toggle hides or shows the pinyin above words;
 *    the choice is remembered (localStorage). Without JavaScript: shown.
 * 3. Filter: an input[data-filter] hides the [data-item] elements of the
 *    list it names whose term (dt, .en: Chinese, pinyin without tones,
 *    English) does not contain what is typed, and [data-group] elements
 *    left empty. Without JavaScript the box stays hidden.
 * 4. The timeline: select[data-timeline] lists the companies (data-company)
 *    of the .app items of the list it names and shows only the chosen
 *    one's (and the years that still have apps). Without it: every app.
 *
 * Loaded (blocking, small, cached) in <head>, so the pinyin choice applies
 * before the first paint. */
(function () {
  'use strict';
  var doc = document, root = doc.documentElement, KEY = 'haichao.pinyin';

  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function save(key, v) { try { localStorage.setItem(key, v); } catch (e) { /* private mode */ } }
  if (load(KEY) === 'off') root.classList.add('no-pinyin');

  /* ---- 2. pinyin ---- */
  function initPinyin() {
    var b = doc.querySelector('.pinyin-toggle');
    if (!b || !doc.querySelector('.prose rt')) return;
    var show = function () {
      b.setAttribute('aria-pressed', root.classList.contains('no-pinyin') ? 'false' : 'true');
    };
    show();
    b.closest('[hidden]') && b.closest('[hidden]').removeAttribute('hidden');
    b.addEventListener('click', function () {
      var off = root.classList.toggle('no-pinyin');
      save(KEY, off ? 'off' : 'on');
      show();
    });
  }

  /* ---- 1. notes in place ---- */
  var pop = null, body = null, current = null;

  function makePop() {
    pop = doc.createElement('div');
    pop.className = 'note-pop';
    pop.setAttribute('role', 'dialog');
    pop.tabIndex = -1;
    pop.hidden = true;
    var close = doc.createElement('button');
    close.type = 'button';
    close.className = 'note-close';
    close.textContent = '×';
    var back = doc.querySelector('.notes a[href^="#r_"]');
    close.setAttribute('aria-label', back ? back.getAttribute('aria-label') : 'close');
    close.addEventListener('click', function () { hide(true); });
    body = doc.createElement('div');
    pop.appendChild(close);
    pop.appendChild(body);
    doc.body.appendChild(pop);
  }

  /* Where the note goes: beside the text when the margin is wide enough,
   * else the width of the text, under the word's line. */
  function place(a) {
    var r = a.getBoundingClientRect(), prose = a.closest('.prose') || doc.body;
    var p = prose.getBoundingClientRect(), sx = window.scrollX, sy = window.scrollY;
    var margin = root.clientWidth - p.right;
    pop.classList.toggle('in-margin', margin >= 272);
    if (margin >= 272) {
      pop.style.left = (p.right + sx + 24) + 'px';
      pop.style.top = (r.top + sy) + 'px';
      pop.style.width = Math.min(320, margin - 48) + 'px';
    } else {
      var w = Math.min(root.clientWidth - 24, Math.max(p.width, 280));
      pop.style.left = Math.max(12, Math.min(p.left, root.clientWidth - 12 - w)) + sx + 'px';
      pop.style.top = (r.bottom + sy + 6) + 'px';
      pop.style.width = w + 'px';
    }
  }

  function show(a, focus) {
    var li = doc.getElementById(a.hash.slice(1));
    if (!li) return false;
    if (!pop) makePop();
    body.textContent = '';
    for (var c = li.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1 && c.matches('a[href^="#r_"]')) continue;
      body.appendChild(c.cloneNode(true));
    }
    var term = li.querySelector('[lang]');
    pop.setAttribute('aria-label', (a.querySelector('sup') || a).textContent + ' ' + (term ? term.textContent : ''));
    if (current) current.removeAttribute('aria-expanded');
    current = a;
    a.setAttribute('aria-expanded', 'true');
    pop.hidden = false;
    place(a);
    if (focus) {
      pop.focus({ preventScroll: true });
      var b = pop.getBoundingClientRect();
      if (b.bottom > window.innerHeight) pop.scrollIntoView({ block: 'nearest' });
    }
    return true;
  }

  function hide(refocus) {
    if (!pop || pop.hidden) return;
    pop.hidden = true;
    if (current) {
      current.removeAttribute('aria-expanded');
      if (refocus) current.focus({ preventScroll: true });
    }
    current = null;
  }

  function initNotes() {
    if (!doc.querySelector('a.gl')) return;
    doc.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a.gl');
      if (a) {
        var open = pop && !pop.hidden && a === current;
        if (open) hide(false);
        if (open || show(a, true)) e.preventDefault();
        return;
      }
      if (pop && !pop.hidden && !pop.contains(e.target)) hide(false);
    });
    doc.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && pop && !pop.hidden) hide(true);
    });
    window.addEventListener('resize', function () { if (current && !pop.hidden) place(current); });
  }

  /* ---- 3. filter ---- */
  function initFilter() {
    var input = doc.querySelector('input[data-filter]');
    if (!input) return;
    var list = doc.getElementById(input.getAttribute('data-filter'));
    var count = doc.getElementById(input.getAttribute('aria-describedby'));
    if (!list) return;
    var items = list.querySelectorAll('[data-item]');
    /* Pinyin is matched without its tones: "chuhai" finds chūhǎi. */
    var fold = function (t) { return t.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); };
    var texts = [];
    for (var k = 0; k < items.length; k++) {
      var t = '', keys = items[k].querySelectorAll('dt, .en');
      for (var j = 0; j < keys.length; j++) t += keys[j].textContent + ' ';
      texts.push(fold(t || items[k].textContent));
    }
    var groups = list.querySelectorAll('[data-group]');
    input.closest('[hidden]') && input.closest('[hidden]').removeAttribute('hidden');
    input.addEventListener('input', function () {
      var q = fold(input.value.trim()), n = 0;
      for (var i = 0; i < items.length; i++) {
        var hit = !q || texts[i].indexOf(q) >= 0;
        items[i].hidden = !hit;
        if (hit) n++;
      }
      for (var g = 0; g < groups.length; g++)
        groups[g].hidden = !groups[g].querySelector('[data-item]:not([hidden])');
      if (count) count.textContent = q ? n + ' / ' + items.length : '';
    });
  }

  /* ---- 4. the timeline's company choice ---- */
  function initTimeline() {
    var select = doc.querySelector('select[data-timeline]');
    var list = select && doc.getElementById(select.getAttribute('data-timeline'));
    if (!list) return;
    var apps = list.querySelectorAll('.app'), seen = {};
    for (var i = 0; i < apps.length; i++) {
      var c = apps[i].getAttribute('data-company');
      if (c === null || seen[c]) continue;
      seen[c] = true;
      var o = doc.createElement('option');
      o.value = o.textContent = c;
      select.appendChild(o);
    }
    select.closest('[hidden]') && select.closest('[hidden]').removeAttribute('hidden');
    select.addEventListener('change', function () {
      var want = select.value, years = list.children;
      for (var i = 0; i < apps.length; i++)
        apps[i].hidden = want !== '' && apps[i].getAttribute('data-company') !== want;
      for (var y = 0; y < years.length; y++)
        years[y].hidden = want !== '' && !years[y].querySelector('.app:not([hidden])');
    });
  }

  doc.addEventListener('DOMContentLoaded', function () {
    initPinyin();
    initNotes();
    initFilter();
    initTimeline();
  });
})();

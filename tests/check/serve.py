#!/usr/bin/env python3
"""serve.py BIN — checks `BIN serve` from the outside, on a temporary copy of
content/ and templates/, on a free port (-p 0):

  HTTP   status codes and Content-Type of every published type, HEAD, ETag
         and 304, the site's 404.html with 404, folder redirects, 405, and
         requests that try to leave the site (.., %2e%2e, encoded slashes,
         NUL, control characters, over-long paths, symbolic links planted
         in the output); 50 clients at once, each connected before any is
         answered.
  reload an article edited in place, saved through a temporary file and a
         rename, renamed, deleted, written into a new sub-folder; a new
         asset folder and a file in it; a folder moved away and back; a
         template's style sheet edited: each
         reaches the event stream as a reload and the pages show it; a
         change with errors sends its `path:line:col: error:` lines, and
         the last good build is still served.
  browser tests/check/serve.mjs in headless Chromium: the open page
         reloads with the edit, the error overlay appears (escaped) and
         clears.
  files  with -o the folder stays; without it nothing is written beside
         content/ and, after SIGINT or SIGTERM, nothing is left in $TMPDIR.

No timing is asserted: the waits are generous timeouts (the ASan build is
slow).  Exit status 0 when every check passed, 1 otherwise, 2 on usage.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT = 120            # seconds: generous, for a busy machine and ASan
ARTICLE = "guide-culture-barrier"
ASSET_SLUG = "xiaohongshu-overseas-apps-postmortem"

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
    return ok


# ---- a server ------------------------------------------------------------------

class Server:
    def __init__(self, binary, content, templates, tmpdir, out=None):
        args = [binary, "serve", "-C", content, "-t", templates, "-p", "0"]
        if out:
            args += ["-o", out]
        env = dict(os.environ, TMPDIR=tmpdir)
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE,
                                     stderr=self.stderr, env=env, text=True)
        line = read_line(self.proc.stdout, WAIT)
        m = re.match(r"haichao: serving (http://127\.0\.0\.1:(\d+)(/\S*)) ", line or "")
        if not m:
            self.stop(signal.SIGKILL)
            raise SystemExit("FAIL the server printed no URL: %r\n%s" % (line, self.log()))
        self.url, self.port, self.prefix = m.group(1), int(m.group(2)), m.group(3)

    def builds(self):
        """How many builds have finished."""
        return len(re.findall(r"^haichao: (built in|the build failed)", self.log(), re.M))

    def wait_builds(self, n):
        deadline = time.time() + WAIT
        while self.builds() < n and time.time() < deadline:
            time.sleep(0.02)

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGINT):
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def read_line(stream, timeout):
    result = []
    t = threading.Thread(target=lambda: result.append(stream.readline()), daemon=True)
    t.start()
    t.join(timeout)
    return result[0] if result else None


def read_all(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk


def request(port, target, method="GET", headers=(), raw=None):
    """One request on its own connection: (status, {header: value}, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as s:
        if raw is None:
            lines = ["%s %s HTTP/1.1" % (method, target), "Host: 127.0.0.1",
                     "Connection: close"] + list(headers)
            raw = ("\r\n".join(lines) + "\r\n\r\n").encode()
        s.sendall(raw)
        data = read_all(s)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, body


class Events:
    """The reload stream, read on a thread; wait_for(event) blocks."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.sock.sendall(b"GET /.haichao/events HTTP/1.1\r\nHost: x\r\n\r\n")
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        try:
            while True:
                chunk = self.sock.recv(4096)
                if not chunk:
                    return
                buf += chunk
                while b"\n\n" in buf:
                    block, buf = buf.split(b"\n\n", 1)
                    text = block.decode("utf-8", "replace")
                    ev = re.search(r"^event: (\w+)", text, re.M)
                    data = "\n".join(re.findall(r"^data: (.*)$", text, re.M))
                    if ev:
                        with self.cond:
                            self.events.append((ev.group(1), data))
                            self.cond.notify_all()
        except OSError:
            return

    def wait_for(self, name):
        deadline = time.time() + WAIT
        with self.cond:
            while True:
                for i, (ev, data) in enumerate(self.events):
                    if ev == name:
                        del self.events[:i + 1]
                        return data
                left = deadline - time.time()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def close(self):
        self.sock.close()


def save_by_rename(path, text):
    """As editors do: a temporary file beside it, renamed over it."""
    tmp = os.path.join(os.path.dirname(path), ".%s.tmp-save" % os.path.basename(path))
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


# ---- checks ----------------------------------------------------------------------

def check_types(srv, out):
    p = srv.prefix
    # One file of every published type; the images and the PDF are put into
    # the article's asset folder (published beside its pages).
    cases = [
        ("", 200, "text/html; charset=utf-8"),
        ("zh/articles/%s/" % ARTICLE, 200, "text/html; charset=utf-8"),
        ("zh/feed.xml", 200, "application/xml; charset=utf-8"),
        ("sitemap.xml", 200, "application/xml; charset=utf-8"),
        ("index.tsv", 200, "text/tab-separated-values; charset=utf-8"),
        ("robots.txt", 200, "text/plain; charset=utf-8"),
        ("assets/style.css", 200, "text/css; charset=utf-8"),
        ("assets/favicon.svg", 200, "image/svg+xml; charset=utf-8"),
    ]
    for ext, ctype in [("png", "image/png"), ("jpg", "image/jpeg"), ("gif", "image/gif"),
                       ("webp", "image/webp"), ("ico", "image/x-icon"),
                       ("pdf", "application/pdf"), ("js", "text/javascript; charset=utf-8")]:
        name = "f." + ext
        if os.path.exists(os.path.join(out, "zh/articles", ASSET_SLUG, name)):
            cases.append(("zh/articles/%s/%s" % (ASSET_SLUG, name), 200, ctype))
    for rel, status, ctype in cases:
        st, h, body = request(srv.port, p + rel)
        check(st == status and h.get("content-type") == ctype,
              "GET %s%s: %d %s (want %d %s)" % (p, rel, st, h.get("content-type"), status, ctype))
    n = sum(1 for c in cases if c[0].startswith("zh/articles/%s/f." % ASSET_SLUG))
    check(n == 7, "the seven asset types were published (%d)" % n)

    st, h, body = request(srv.port, p + "index.tsv")
    with open(os.path.join(out, "index.tsv"), "rb") as f:
        check(body == f.read(), "index.tsv is served byte for byte")
    st, h, body = request(srv.port, p + "zh/articles/%s/index.html" % ARTICLE)
    check(b"/.haichao/events" in body and body.rstrip().endswith(b"</html>"),
          "HTML gets the reload script before </body>")
    with open(os.path.join(out, "zh/articles/%s/index.html" % ARTICLE), "rb") as f:
        check(b"/.haichao/events" not in f.read(), "the built page has no reload script")
    check(h.get("content-length") == str(len(body)), "Content-Length is the served length")

    st, h, body = request(srv.port, p + "assets/style.css", "HEAD")
    check(st == 200 and body == b"" and int(h.get("content-length", 0)) > 0,
          "HEAD: 200, a length, no body")
    etag = h.get("etag")
    check(etag is not None, "an ETag")
    st, h, body = request(srv.port, p + "assets/style.css", headers=["If-None-Match: %s" % etag])
    check(st == 304 and body == b"", "If-None-Match with the ETag: 304 (%d)" % st)
    st, h, _ = request(srv.port, p + "assets/style.css", headers=['If-None-Match: "other"'])
    check(st == 200, "If-None-Match with another ETag: 200")
    st, h, _ = request(srv.port, p + "index.html")
    st2, _, _ = request(srv.port, p + "index.html", headers=["If-None-Match: %s" % h.get("etag")])
    check(st2 == 304, "HTML revalidates too (304)")

    st, h, body = request(srv.port, p + "no/such/page/")
    check(st == 404 and b"<h1>404</h1>" in body and h.get("content-type", "").startswith("text/html"),
          "a missing page: 404 with the site's 404.html")
    st, h, _ = request(srv.port, p + "zh")
    check(st == 301 and h.get("location") == p + "zh/", "a folder without its slash redirects (%d %s)"
          % (st, h.get("location")))
    st, h, _ = request(srv.port, p + "zh?q=x")
    check(st == 301 and h.get("location") == p + "zh/?q=x", "the redirect keeps the query")
    if p != "/":
        st, h, _ = request(srv.port, p.rstrip("/"))
        check(st == 301 and h.get("location") == p, "the site path without its slash redirects")
        st, h, _ = request(srv.port, "/")
        check(st in (301, 302) and h.get("location") == p, "/ leads to the site path")
    st, h, _ = request(srv.port, p, "POST")
    check(st == 405 and "GET" in h.get("allow", ""), "POST: 405 with Allow")


def check_traversal(srv, out):
    p = srv.prefix
    os.symlink("/etc", os.path.join(out, "etc-link"))
    os.symlink("/etc/passwd", os.path.join(out, "passwd.txt"))
    os.symlink("../../../etc/hostname", os.path.join(out, "zh", "hostname.txt"))
    cases = [
        (p + "../../../../etc/passwd", (400, 404)),
        (p + "zh/../../../etc/passwd", (400, 404)),
        (p + "%2e%2e/%2e%2e/%2e%2e/etc/passwd", (400, 404)),
        (p + "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", (400, 404)),
        (p + "..%2f..%2f..%2fetc%2fpasswd", (400, 404)),
        (p + "..%5c..%5cetc%5cpasswd", (400, 404)),
        (p + "index.html%00.png", (400, 404)),
        (p + "zh%00/index.html", (400, 404)),
        (p + "zh/%0d%0aX-Injected:%201", (400, 404)),
        (p + "etc-link/passwd", (404,)),
        (p + "passwd.txt", (404,)),
        (p + "zh/hostname.txt", (404,)),
        (p + ".", (404,)),
        (p + "./index.html", (404,)),
        ("/..", (400, 404)),
        ("//etc/passwd", (400, 404)),
        (p + "zh//index.html", (404,)),
        (p + "a" * 5000, (414,)),
        (p + "%61" * 2000, (414,)),
    ]
    for target, want in cases:
        st, h, body = request(srv.port, target)
        check(st in want and b"root:" not in body and "x-injected" not in h,
              "%s: %d (want %s)" % (target[:60], st, "/".join(map(str, want))))
    # A NUL byte and a bare ".." sent raw, as no client library would (the
    # library ends the path at a raw NUL: the request names the site's root).
    for raw in [b"GET " + p.encode() + b"\x00/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                b"GET ../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]:
        st, h, body = request(srv.port, None, raw=raw)
        check(st in (200, 400, 404) and b"root:" not in body, "raw %r: %d" % (raw[:40], st))


def check_concurrent(srv):
    """50 clients connect, then all send, then all read."""
    p = srv.prefix
    paths = [p, p + "zh/", p + "en/", p + "assets/style.css", p + "sitemap.xml"]
    socks = [socket.create_connection(("127.0.0.1", srv.port), timeout=WAIT) for _ in range(50)]
    results = [None] * 50

    def run(i):
        s = socks[i]
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                   % paths[i % len(paths)]).encode())
        results[i] = read_all(s)
        s.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    ok = sum(1 for r in results if r and r.startswith(b"HTTP/1.1 200 "))
    check(ok == 50, "50 concurrent clients: %d answered 200" % ok)
    # the same bodies as one client alone gets
    _, _, alone = request(srv.port, paths[3])
    same = sum(1 for i, r in enumerate(results) if i % len(paths) == 3 and r and r.endswith(alone))
    check(same == 10, "and the same bytes as a lone client (%d of 10)" % same)


def check_reload(srv, content, out):
    p = srv.prefix
    art = os.path.join(content, "articles", ARTICLE + ".zh.md")
    page = p + "zh/articles/%s/" % ARTICLE
    ev = Events(srv.port)
    with open(art, encoding="utf-8") as f:
        original = f.read()

    with open(art, "a", encoding="utf-8") as f:
        f.write("\n编辑标记甲。\n")
    check(ev.wait_for("reload") is not None, "edit in place: reload event")
    check("编辑标记甲".encode() in request(srv.port, page)[2], "edit in place: the page shows it")

    save_by_rename(art, original + "\n编辑标记乙。\n")
    check(ev.wait_for("reload") is not None, "save through a rename: reload event")
    check("编辑标记乙".encode() in request(srv.port, page)[2], "save through a rename: the page shows it")

    bad = original.replace("companies: [", 'companies: ["<b>x</b>", ', 1)
    save_by_rename(art, bad)
    data = ev.wait_for("errors")
    check(data is not None and re.search(re.escape(ARTICLE) + r"\.zh\.md:\d+:\d+: error: .*<b>x</b>", data or ""),
          "a change with errors: errors event with path:line:col: error: (%r)" % (data or "")[:120])
    st, _, body = request(srv.port, page)
    check(st == 200 and "编辑标记乙".encode() in body, "with errors, the last good build is still served")
    check(re.search(r"\.zh\.md:\d+:\d+: error: unknown company", srv.log()) is not None,
          "the terminal shows the error")
    ev2 = Events(srv.port)
    check(ev2.wait_for("errors") is not None, "a page opened while there are errors gets them")
    ev2.close()
    save_by_rename(art, original)
    check(ev.wait_for("reload") is not None, "the next good save reloads")

    # a new folder (an article's asset folder), then a file written into it
    # once the build that followed the folder has run: only a watch on the
    # new folder sees that file
    moved = "moderation-translation-influx"
    folder = os.path.join(content, "articles", moved)
    builds = srv.builds()
    os.mkdir(folder)
    srv.wait_builds(builds + 1)
    with open(os.path.join(folder, "late.svg"), "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg"/>')
    check(ev.wait_for("reload") is not None and
          request(srv.port, p + "zh/articles/%s/late.svg" % moved)[0] == 200,
          "a file written into a new folder is published")

    # an article renamed, deleted, and put back
    src = os.path.join(content, "articles", moved + ".zh.md")
    dst = os.path.join(content, "articles", "renamed-article.zh.md")
    os.rename(folder, os.path.join(content, "articles", "renamed-article"))
    os.rename(src, dst)
    check(ev.wait_for("reload") is not None and
          request(srv.port, p + "zh/articles/renamed-article/")[0] == 200 and
          request(srv.port, p + "zh/articles/%s/" % moved)[0] == 404,
          "a renamed article: its new page, no old one")
    os.unlink(dst)
    check(ev.wait_for("reload") is not None and
          request(srv.port, p + "zh/articles/renamed-article/")[0] == 404,
          "a deleted article: its page is gone")
    with open(src, "w", encoding="utf-8") as f:
        f.write(open(os.path.join(ROOT, "content", "articles", moved + ".zh.md"),
                     encoding="utf-8").read())
    os.rename(os.path.join(content, "articles", "renamed-article"), folder)
    check(ev.wait_for("reload") is not None and
          request(srv.port, p + "zh/articles/%s/late.svg" % moved)[0] == 200,
          "the article and its folder back")
    # an article written into a new sub-folder of articles/
    sub = os.path.join(content, "articles", "2025")
    builds = srv.builds()
    os.mkdir(sub)
    srv.wait_builds(builds + 1)
    shutil.copy(os.path.join(ROOT, "content", "articles", moved + ".zh.md"),
                os.path.join(sub, "in-a-sub-folder.zh.md"))
    check(ev.wait_for("reload") is not None and
          request(srv.port, p + "zh/articles/in-a-sub-folder/")[0] == 200,
          "an article written into a new sub-folder of articles/ is published")
    shutil.rmtree(sub)
    check(ev.wait_for("reload") is not None and
          request(srv.port, p + "zh/articles/in-a-sub-folder/")[0] == 404,
          "and its page goes with the folder")

    # a template's asset: templates/ is watched too
    css = os.path.join(os.path.dirname(content), "templates", "assets", "style.css")
    with open(css, "a", encoding="utf-8") as f:
        f.write("\n/* serve-test-mark */\n")
    check(ev.wait_for("reload") is not None and
          b"serve-test-mark" in request(srv.port, p + "assets/style.css")[2],
          "an edit in templates/ is published and reloads the pages")

    # the folder was moved twice: its files are still watched
    with open(os.path.join(folder, "late.svg"), "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg"><title>v2</title></svg>')
    check(ev.wait_for("reload") is not None and
          b"v2" in request(srv.port, p + "zh/articles/%s/late.svg" % moved)[2],
          "a file in a folder that moved away and back is still watched")

    # content/ itself moved away and back, templates/ replaced by a copy:
    # both are watched again when they reappear
    aside = content + ".aside"
    builds = srv.builds()
    os.rename(content, aside)
    srv.wait_builds(builds + 1)
    os.rename(aside, content)
    srv.wait_builds(builds + 2)
    with open(os.path.join(content, "articles", ARTICLE + ".zh.md"), "a", encoding="utf-8") as f:
        f.write("\n\n编辑标记丙。\n")
    check(ev.wait_for("reload") is not None and
          "编辑标记丙".encode() in request(srv.port, page)[2],
          "content/ moved away and back: it is watched again")
    templates = os.path.join(os.path.dirname(content), "templates")
    builds = srv.builds()
    os.rename(templates, templates + ".old")
    srv.wait_builds(builds + 1)
    shutil.copytree(templates + ".old", templates)
    shutil.rmtree(templates + ".old")
    with open(os.path.join(templates, "assets", "style.css"), "a", encoding="utf-8") as f:
        f.write("\n/* serve-test-mark-2 */\n")
    check(ev.wait_for("reload") is not None and
          b"serve-test-mark-2" in request(srv.port, p + "assets/style.css")[2],
          "templates/ replaced by a copy: it is watched again")
    ev.close()


def put_assets(content):
    folder = os.path.join(content, "articles", ASSET_SLUG)
    tiny = {
        "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff\xe0", "gif": b"GIF89a",
        "webp": b"RIFF\0\0\0\0WEBP", "ico": b"\0\0\1\0", "pdf": b"%PDF-1.4\n",
        "js": b"console.log(1);\n",
    }
    for ext, data in tiny.items():
        with open(os.path.join(folder, "f." + ext), "wb") as f:
            f.write(data)
    # referenced from the article, so the build publishes them
    art = os.path.join(content, "articles", ASSET_SLUG + ".zh.md")
    with open(art, "a", encoding="utf-8") as f:
        f.write("\n" + "".join("[f.%s](%s/f.%s) " % (e, ASSET_SLUG, e) for e in tiny) + "\n")


def main():
    if len(sys.argv) != 2 or not os.access(sys.argv[1], os.X_OK):
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="haichao-serve-test.")
    try:
        content = os.path.join(work, "site", "content")
        templates = os.path.join(work, "site", "templates")
        tmpdir = os.path.join(work, "tmp")
        os.mkdir(tmpdir)
        shutil.copytree(os.path.join(ROOT, "content"), content)
        shutil.copytree(os.path.join(ROOT, "templates"), templates)
        put_assets(content)

        # 1. with -o: HTTP, safety, concurrency, reloads
        out = os.path.join(work, "out")
        srv = Server(binary, content, templates, tmpdir, out)
        try:
            check_types(srv, out)
            check_traversal(srv, out)
            check_concurrent(srv)
            check_reload(srv, content, out)
        finally:
            status = srv.stop(signal.SIGINT)
        check(status == 0, "SIGINT stops it with status 0 (%s)" % status)
        check(os.path.isfile(os.path.join(out, "index.html")), "with -o the folder stays")
        check("Sanitizer" not in srv.log() and "runtime error" not in srv.log(),
              "no sanitizer reports")

        # 2. without -o, and with -C naming a symbolic link to the content
        # (followed, unlike links inside it): the browser; nothing left behind
        link = os.path.join(work, "content-link")
        os.symlink(content, link)
        srv = Server(binary, link, templates, tmpdir)
        try:
            env = dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1")
            r = subprocess.run(["node", os.path.join(ROOT, "tests/check/serve.mjs"), srv.url,
                                os.path.join(link, "articles", ARTICLE + ".zh.md"),
                                "zh/articles/%s/" % ARTICLE], env=env, timeout=300)
            check(r.returncode == 0, "Chromium: reload, error overlay and its clearing")
        finally:
            status = srv.stop(signal.SIGTERM)
        check(status == 0, "SIGTERM stops it with status 0 (%s)" % status)
        check(os.listdir(tmpdir) == [], "nothing is left in $TMPDIR (%s)" % os.listdir(tmpdir))
        check(sorted(os.listdir(os.path.join(work, "site"))) == ["content", "templates"],
              "nothing is written beside content/ (%s)" % os.listdir(os.path.join(work, "site")))
        log = srv.log()
        check("Sanitizer" not in log and "runtime error" not in log,
              "no sanitizer reports")
        if failures:
            print(log[-4000:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("%d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

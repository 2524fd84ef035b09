#!/usr/bin/env python3
"""Live preview side by side: `bantin serve` and `hugo server` (issue 6).

On the same generated articles, for each tool, on a private copy of the corpus:

- the time from starting the server until `GET /` answers 200, beside the median
  time of a full build of the same site (`bantin build`, `hugo`);
- edit-to-visible: the newest article (the first on `/`) gets a new title, and `/`
  is fetched over HTTP (keep-alive, every ~5 ms) until it shows that title; the time
  from the file's save to the first page that shows it, over N edits (median, p90,
  min, max). An edit not visible within --timeout is a failure, counted and never
  dropped (it counts as infinitely slow in the median and p90). `--kind body`
  appends a paragraph to it instead, watched on its own page; `--kind new` saves
  a new article beside it (its copy, retitled, without its `slug:`), watched on
  `/`: a clerk publishing the day's news.

    python3 bench/serve.py                          # 10,000 articles, 20 edits
    python3 bench/serve.py --articles 1000 --edits 10 --tools bantin

Saves as most editors do: the new file is written beside the article (a hidden
`.name.md.tmp`) and renamed over it; `--write inplace` overwrites the article instead.
Between edits the script waits until the server has reported its rebuild and then
printed nothing for 0.5 s. Hugo runs as `hugo server` runs by default (pages
written to disk, fast render mode, live reload on); `--hugo-memory` adds
`--renderToMemory`.

Needs what bench/run.py needs. Corpora come from bench/work/ (generated once per
size by run.py's code); the copies that are edited, the full builds' outputs and
bantin serve's preview folder go to one temporary folder (--tmp, default the
system's), removed at the end.
"""
import argparse
import html
import http.client
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ beside run.py
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import GEN, WORK, REPO, corpus, hugo_binary, run  # noqa: E402

POLL_SECONDS = 0.005
QUIET_SECONDS = 0.5
IDLE_TIMEOUT = 120  # for the rebuild's report, which may come long after the page
START_TIMEOUT = 600


class Server:
    """A preview server started now, its output (stdout and stderr) read line by line
    in the background: how many rebuilds it has reported, and when it last spoke."""

    def __init__(self, cmd, rebuilt_line, tmp):
        self.rebuilt_line = re.compile(rebuilt_line)
        self.lines = []
        self.rebuilds = 0
        self.rebuilt_at = []  # when each rebuild was reported
        self.last_output = time.perf_counter()
        self.changed = threading.Condition()
        self.started = time.perf_counter()
        # TMPDIR: bantin serve's preview folder on the same file system as the rest.
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, env=os.environ | {"TMPDIR": str(tmp)})
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip()
            with self.changed:
                self.lines.append(line)
                self.last_output = time.perf_counter()
                if self.rebuilt_line.search(line):
                    self.rebuilds += 1
                    self.rebuilt_at.append(self.last_output)
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for_line(self, pattern, timeout):
        """The first match of pattern in the output, waiting for it."""
        pattern = re.compile(pattern)
        deadline = time.perf_counter() + timeout
        seen = 0
        with self.changed:
            while True:
                for line in self.lines[seen:]:
                    if m := pattern.search(line):
                        return m
                seen = len(self.lines)
                left = deadline - time.perf_counter()
                if left <= 0 or self.proc.poll() is not None:
                    self.fail(f"no line matching {pattern.pattern!r}")
                self.changed.wait(left)

    def wait_until_idle(self, rebuilds_before, timeout):
        """Until a rebuild after rebuilds_before is reported, then QUIET_SECONDS of
        silence. Returns whether the rebuild was reported in time."""
        deadline = time.perf_counter() + timeout
        with self.changed:
            while self.rebuilds <= rebuilds_before and time.perf_counter() < deadline:
                self.changed.wait(deadline - time.perf_counter())
            reported = self.rebuilds > rebuilds_before
        while (quiet := time.perf_counter() - self.last_output) < QUIET_SECONDS:
            time.sleep(QUIET_SECONDS - quiet)
        return reported

    def fail(self, what):
        status = self.proc.poll()
        if status is not None:
            what += f" (exit status {status})"
        tail = "\n".join(self.lines[-30:])
        raise RuntimeError(f"{' '.join(map(str, self.proc.args))}: {what}; its last output:\n{tail}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Page:
    """GET one path over one keep-alive connection, reconnecting when it drops."""

    def __init__(self, port, path="/"):
        self.port, self.path, self.conn = port, path, None

    def get(self, timeout=30):
        """(status, body as text); raises OSError when the server cannot be reached."""
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                self.conn.request("GET", self.path)
                response = self.conn.getresponse()
                return response.status, response.read().decode(errors="replace")
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise

    def close(self):
        if self.conn is not None:
            self.conn.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_answer(server, page):
    """Seconds from the server's start until `GET /` answers 200."""
    deadline = server.started + START_TIMEOUT
    while time.perf_counter() < deadline:
        if server.proc.poll() is not None:
            server.fail("exited before answering")
        try:
            if page.get(timeout=START_TIMEOUT)[0] == 200:
                return time.perf_counter() - server.started
        except OSError:
            pass  # not listening yet
        time.sleep(0.01)
    server.fail(f"no 200 on / within {START_TIMEOUT} s")


def private_copy(site, into):
    """The corpus without its built output, so that edits never touch the shared one."""
    shutil.copytree(site, into, symlinks=True,
                    ignore=shutil.ignore_patterns("public", "resources", ".hugo_build.lock"))
    return into


def front_matter(path):
    """The article's first lines as {key: raw value}, up to the closing `---`."""
    fields = {}
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        if f.readline().strip() != "---":
            return fields
        for line in f:
            if line.strip() == "---":
                break
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip().strip("\"'")
    return fields


def newest_article(content):
    """The published article with the latest date: the first one on `/`."""
    newest = None
    for path in Path(content).rglob("*.md"):
        fields = front_matter(path)
        if "date" not in fields or fields.get("draft") == "true" or path.name == "_index.md":
            continue
        try:
            date = datetime.fromisoformat(fields["date"])
        except ValueError:
            continue
        if date.tzinfo is None:  # a date without its zone: near enough for "newest"
            date = date.replace(tzinfo=timezone.utc)
        if newest is None or date > newest[0]:
            newest = (date, path)
    return newest[1]


TITLE_LINE = re.compile(rb"^title:[^\r\n]*", re.MULTILINE)  # the front matter's comes first


def with_title(text, title):
    """The file's bytes with its `title:` line replaced; every other byte (BOM, line
    endings, the rest of the front matter, the body) kept."""
    m = TITLE_LINE.search(text)
    if m is None:
        raise ValueError("no title: line")
    return text[:m.start()] + f'title: "{title}"'.encode() + text[m.end():]


SLUG_LINE = re.compile(rb"^slug:.*\r?\n", re.MULTILINE)


def with_sentence(text, sentence):
    """The file's bytes with `sentence` appended to its body as a paragraph of its own."""
    return text.rstrip() + f"\n\n{sentence}\n".encode()


def article_path(site, article):
    """The site path of a generated bantin article: /<category slug>/<slug>/."""
    sys.path.insert(0, str(GEN.parent))
    from gen_corpus import slugify
    fields = front_matter(article)
    slug = fields.get("slug") or slugify(fields["title"])
    return f"/{slugify(fields['category'])}/{slug}/"


def save(path, data, how):
    """Writes data to path as an editor would: `rename` (beside, then renamed over
    it) or `inplace` (truncate and write). Returns the time the save completed."""
    if how == "rename":
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    else:
        with open(path, "r+b") as f:
            f.write(data)
            f.truncate()
    return time.perf_counter()


def as_new_article(text, title):
    """A new article made of the file's bytes: `title` as its title, no `slug:` of
    its own (its file's name gives its address), the same date and category."""
    return SLUG_LINE.sub(b"", with_title(text, title))


def edit(server, page, article, text, kind, how, timeout):
    """Saves the article with `text` as its new title (`kind` title), or a new last
    paragraph (`kind` body), or saves a new article beside it titled `text` (`kind`
    new), and fetches the page until it shows it. Returns the time from the save to
    that page in ms (inf if not within timeout), how many rebuilds the server
    reported before falling idle again, and the time from the save to the first
    one's report in ms (inf if none)."""
    shown = (text, html.escape(text))
    changed = {"title": with_title, "body": with_sentence, "new": as_new_article}[kind]
    data = changed(article.read_bytes(), text)
    if kind == "new":
        # Named by its title, as `bantin new` and the editor name a new file.
        name = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFD", text).lower()
                      .encode("ascii", "ignore").decode()).strip("-")
        article = article.with_name(f"{name}.md")
        how = "rename"  # a new file is written whole, never truncated in place
    before = server.rebuilds
    saved = save(article, data, how)
    latency = float("inf")
    while time.perf_counter() - saved < timeout:
        if server.proc.poll() is not None:
            server.fail("exited during the edits")
        try:
            status, body = page.get(timeout=timeout)
        except OSError:
            status, body = None, ""
        if status == 200 and any(t in body for t in shown):
            latency = (time.perf_counter() - saved) * 1000
            break
        time.sleep(POLL_SECONDS)
    server.wait_until_idle(before, IDLE_TIMEOUT)
    reported = float("inf")
    if server.rebuilds > before:
        reported = (server.rebuilt_at[before] - saved) * 1000
    return latency, server.rebuilds - before, reported


def build_seconds(cmd, out):
    """The wall time of a full build into a fresh out folder."""
    shutil.rmtree(out, ignore_errors=True)
    seconds = run(cmd)[0]
    shutil.rmtree(out, ignore_errors=True)
    return seconds


class Tool:
    """One tool on its private copy of the corpus: how it builds, how it serves."""

    def __init__(self, name, site, tmp, args, hugo):
        self.name, self.site, self.tmp = name, site, tmp
        out = tmp / f"out-{name}"
        self.out = out
        if name == "bantin":
            self.build_cmd = [args.bantin, "build", "--root", str(site), "--out", str(out)]
            self.serve_cmd = [args.bantin, "serve", "--root", str(site), "--port", "0", "--timings"]
            self.rebuilt_line = r"^rebuilt |^rebuild failed"
            self.port = None  # printed by serve
        else:
            self.build_cmd = [hugo, "--quiet", "--source", str(site), "--destination", str(out)]
            self.port = free_port()
            self.serve_cmd = [hugo, "server", "--source", str(site), "--bind", "127.0.0.1",
                              "--port", str(self.port)]
            if args.hugo_memory:
                self.serve_cmd.append("--renderToMemory")
            self.rebuilt_line = r"^Total in \d+ ms"
        self.article = newest_article(site / "content")
        # The page an edit shows on: `/` for a title or a new article, the
        # article's own for a body.
        self.watched = article_path(site, self.article) if args.kind == "body" else "/"
        self.builds, self.latencies, self.rebuilds, self.reported = [], [], [], []
        self.server = self.page = None

    def start(self):
        """Starts the server; returns the seconds until `GET /` answered 200."""
        self.server = Server(self.serve_cmd, self.rebuilt_line, self.tmp)
        if self.port is None:
            self.port = int(self.server.wait_for_line(r"serving the site at http://[^/]*:(\d+)/",
                                                      START_TIMEOUT).group(1))
        self.page = Page(self.port, self.watched)
        self.first_answer = first_answer(self.server, self.page)
        self.server.wait_until_idle(-1, 0)  # the start-up's messages are over
        return self.first_answer

    def stop(self):
        if self.page is not None:
            self.page.close()
        if self.server is not None:
            self.server.stop()
            # What the server said, for reading after the run.
            log = WORK / f"serve-{self.name}.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text("\n".join(self.server.lines) + "\n")


def report(tools):
    print()
    print(f"{'tool':>7} {'start s':>8} {'build s':>8} {'median ms':>10} {'p90 ms':>8} {'min ms':>8}"
          f" {'max ms':>8} {'failed':>7} {'vs bantin':>10} {'rebuilds':>9} {'done ms':>8}")
    medians = {t.name: statistics.median(t.latencies) for t in tools}
    base = medians.get("bantin", float("inf"))
    for t in tools:
        lat = sorted(t.latencies)
        p90 = lat[min(len(lat) - 1, round(0.9 * (len(lat) - 1)))]
        failed = sum(1 for x in lat if x == float("inf"))
        median = medians[t.name]
        ratio = f"{median / base:.2f}x" if max(median, base) < float("inf") else ""
        print(f"{t.name:>7} {t.first_answer:>8.2f} {statistics.median(t.builds):>8.2f}"
              f" {ms(median):>10} {ms(p90):>8} {ms(lat[0]):>8} {ms(lat[-1]):>8} {failed:>7}"
              f" {ratio:>10} {sum(t.rebuilds):>9} {ms(statistics.median(t.reported)):>8}")
    for t in tools:
        print(f"{t.name} full builds, s: {' '.join(f'{x:.2f}' for x in t.builds)}")
        print(f"{t.name} edits, ms: {' '.join(ms(x) for x in t.latencies)}")


def ms(value):
    return "timeout" if value == float("inf") else f"{value:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--tools", default="bantin,hugo")
    ap.add_argument("--kind", choices=["title", "body", "new"], default="title",
                    help="what an edit changes: the newest article's title, seen on `/`, or "
                         "its body, seen on its own page (bantin only), or a new article "
                         "beside it, seen on `/`")
    ap.add_argument("--write", choices=["rename", "inplace"], default="rename",
                    help="how an edit is saved (default: a temporary file renamed over the article)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds an edit may take to show")
    ap.add_argument("--builds", type=int, default=3, help="full builds timed per tool (median)")
    ap.add_argument("--hugo-memory", action="store_true", help="hugo server --renderToMemory")
    ap.add_argument("--tmp", help="where the edited copies go (default: the system's temp folder)")
    ap.add_argument("--bantin", help="the bantin binary to measure (default: this checkout's, "
                                     "built with cargo --release)")
    args = ap.parse_args()
    # SIGTERM as Ctrl+C: the servers are stopped and the copies removed either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    names = args.tools.split(",")
    if args.bantin is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        args.bantin = str(REPO / "target" / "release" / "bantin")
    hugo = hugo_binary() if "hugo" in names else None
    print(f"machine: {os.cpu_count()} cores; {args.articles} articles, {args.edits} edits saved by {args.write}")
    if hugo:
        print("hugo: " + subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()[:60])
    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-", dir=args.tmp))
    tools = []
    try:
        for name in names:
            site = private_copy(corpus(args.articles, name), tmp / f"site-{name}")
            tools.append(Tool(name, site, tmp, args, hugo))
            print(f"{name}: editing {tools[-1].article.relative_to(site)}")
        for _ in range(args.builds):
            for t in tools:  # alternate, so drift hits every tool alike
                t.builds.append(build_seconds(t.build_cmd, t.out))
        for t in tools:  # each starts alone; then they idle side by side
            print(f"{t.name}: first answer on / after {t.start():.2f} s"
                  f" (full build: {statistics.median(t.builds):.2f} s)", flush=True)
        run_id = random.randrange(10000, 99999)
        for n in range(1, args.edits + 1):
            words = "Câu thử nghiệm" if args.kind == "body" else "Bản tin thử nghiệm"
            text = unicodedata.normalize("NFC", f"{words} {run_id} số {n:02d}")
            for t in tools:  # alternate here too
                latency, rebuilds, reported = edit(t.server, t.page, t.article, text,
                                                   args.kind, args.write, args.timeout)
                t.latencies.append(latency)
                t.rebuilds.append(rebuilds)
                t.reported.append(reported)
                print(f"  edit {n:>2} {t.name:>7}: shown after {ms(latency):>7} ms; {rebuilds} rebuilds,"
                      f" the first reported after {ms(reported)} ms", flush=True)
    finally:
        for t in tools:
            t.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    report(tools)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""bantin's search index side by side with Pagefind's, on the same built site.

    python3 bench/search.py                    # 10,000 generated articles, 5 runs
    python3 bench/search.py --articles 1000 --runs 3

Prints, for a generated portal:
- the build's median wall time with the index and without it (`search: false`),
  and what the index adds, as a share of the build;
- the index's size, and the bytes a first query downloads (`bantin search
  --explain`: script, manifest, shards, metadata), median and largest, over
  typical portal queries;
- Pagefind (PyPI `pagefind[bin]`, installed into bench/.venv once) on a copy of the
  same built site, its article pages marked `data-pagefind-body`: index time, size,
  and the bytes a first query downloads in Chromium (script, WebAssembly, index
  chunks, fragments of the ten hits shown);
- on the demo site: how many of the query set (tests/search/queries.txt) each
  answers as expected.

Needs what bench/run.py needs (python3 with venv, cargo, ../shared/corpus), plus
Chromium and Node; it makes bench/.venv and runs `npm ci --prefix tests/browser`
itself when they are missing.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, VENV, WORK, corpus, run  # noqa: E402

BANTIN = REPO / "target" / "release" / "bantin"
QUERIES = ["dân vận", "dan van", "công tác dân vận", "phòng cháy chữa cháy", "bồi thường",
           "hội nghị tổng kết", "an toàn giao thông", "quận 2", "cải cách hành chính",
           "hiến máu tình nguyện", "quy chế dân chủ cơ sở", "nghị quyết trung ương 4"]


def pagefind_binary():
    """Pagefind's official binary from PyPI, in bench/.venv (made on first use)."""
    if not (VENV / "bin" / "pip").exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
        if made.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            sys.exit("could not make bench/.venv: install Python's venv module "
                     "(Debian: apt-get install python3-venv) and run again")
    found = list(VENV.glob("lib/python*/site-packages/pagefind_bin/pagefind"))
    if not found:
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "pagefind[bin]"], check=True)
        found = list(VENV.glob("lib/python*/site-packages/pagefind_bin/pagefind"))
    return str(found[0])


def tree_bytes(folder):
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def build(root, out):
    return run([str(BANTIN), "build", "--root", str(root), "--out", str(out)])[0]


def without_search(root):
    """The same site with `search: false`: content hard-linked, site.yaml amended."""
    copy = root.parent / (root.name + "-nosearch")
    if not (copy / "content").exists():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(root, copy, copy_function=os.link)
        config = (copy / "site.yaml").read_text()
        (copy / "site.yaml").unlink()
        (copy / "site.yaml").write_text(config + "\nsearch: false\n")
    return copy


def explain_bytes(public, query):
    out = subprocess.run([str(BANTIN), "search", "--site", str(public), "--json", "--explain",
                          "--", query], check=True, capture_output=True)
    # JSON lines: the hits, then --explain's own line last.
    return json.loads(out.stdout.splitlines()[-1])["bytes"]


def for_pagefind(public, target):
    """A copy of the built site whose article pages mark their article for Pagefind."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(public, target, copy_function=os.link,
                    ignore=shutil.ignore_patterns("search"))
    for page in Path(target).rglob("index.html"):
        html = page.read_text()
        if '<article class="article">' in html:
            page.unlink()  # a hard link: write a new file, never the original
            page.write_text(html.replace('<article class="article">',
                                         '<article class="article" data-pagefind-body>', 1))
    return target


def pagefind_queries(site, queries):
    script = REPO / "bench" / "pagefind.mjs"
    out = subprocess.run(["node", str(script), str(site)], input=json.dumps(queries).encode(),
                         check=True, capture_output=True)
    return json.loads(out.stdout)


def query_set():
    cases = []
    for line in (REPO / "tests" / "search" / "queries.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = re.match(r"(.*?) (=>|~>|\+>|!>) (.*)", line)
        query, arrow, title = m.group(1), m.group(2), m.group(3).strip()
        if query.startswith("nfd: "):
            import unicodedata
            query = unicodedata.normalize("NFD", query[5:])
        cases.append((query, arrow, title))
    return cases


def right(arrow, title, titles):
    if arrow == "=>" and title == "(none)":
        return not titles
    return {"=>": titles[:1] == [title], "~>": title in titles[:3], "+>": title in titles,
            "!>": title not in titles}[arrow]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=WORK,
                        help="where the built sites go (e.g. /dev/shm, to time the CPU work alone)")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    pagefind = pagefind_binary()
    browser = REPO / "tests" / "browser"
    if not (browser / "node_modules" / "playwright-core").is_dir():
        # What the browser tests use, to run Pagefind's search in Chromium.
        subprocess.run(["npm", "ci", "--prefix", str(browser), "--no-audit", "--no-fund"],
                       check=True)

    root = corpus(args.articles, "bantin")
    plain = without_search(root)
    public, public_plain = args.out / "search-public", args.out / "search-public-plain"
    with_times, without_times = [], []
    for _ in range(args.runs):
        with_times.append(build(root, public))
        without_times.append(build(plain, public_plain))
    w, wo = statistics.median(with_times), statistics.median(without_times)
    index_bytes = tree_bytes(public / "search")
    first = [explain_bytes(public, q) for q in QUERIES]

    pf_site = for_pagefind(public, args.out / "search-pagefind")
    pf_times = []
    for _ in range(min(args.runs, 3)):
        shutil.rmtree(pf_site / "pagefind", ignore_errors=True)
        pf_times.append(run([pagefind, "--site", str(pf_site), "--quiet"])[0])
    pf_bytes = tree_bytes(pf_site / "pagefind")
    pf_first = [r["bytes"] for r in pagefind_queries(pf_site, QUERIES)]

    demo = WORK / "search-demo"
    build(REPO, demo)
    cases = query_set()
    ours = sum(right(a, t, [json.loads(line)["title"] for line in subprocess.run(
        [str(BANTIN), "search", "--site", str(demo), "--json", "--", q],
        check=True, capture_output=True).stdout.splitlines()]) for q, a, t in cases)
    demo_pf = for_pagefind(demo, WORK / "search-demo-pagefind")
    run([pagefind, "--site", str(demo_pf), "--quiet"])
    answers = pagefind_queries(demo_pf, [q for q, _, _ in cases])
    theirs = sum(right(a, t, r["titles"]) for (q, a, t), r in zip(cases, answers))

    kb = lambda n: f"{n / 1024:,.0f} KB"
    print(f"\n{args.articles} articles, {args.runs} runs, {os.cpu_count()} cores, "
          f"built into {args.out}\n")
    print("| | bantin | Pagefind |")
    print("|---|---|---|")
    print(f"| index time | {w - wo:+.2f} s on a {wo:.2f} s build ({(w - wo) / wo:+.0%}; "
          f"median build with index {w:.2f} s) | {statistics.median(pf_times):.2f} s (after the build) |")
    print(f"| index size | {index_bytes / 2**20:.1f} MB | {pf_bytes / 2**20:.1f} MB |")
    print(f"| first query, median | {kb(statistics.median(first))} | {kb(statistics.median(pf_first))} |")
    print(f"| first query, largest | {kb(max(first))} | {kb(max(pf_first))} |")
    print(f"| query set right (demo site) | {ours}/{len(cases)} | {theirs}/{len(cases)} |")
    print("\nper query (bantin / Pagefind):")
    for q, a, b in zip(QUERIES, first, pf_first):
        print(f"  {q:28} {kb(a):>8} {kb(b):>8}")
    wrong = [(q, a, t, r["titles"][:3]) for (q, a, t), r in zip(cases, answers) if not right(a, t, r["titles"])]
    print(f"\nPagefind misses ({len(wrong)}):")
    for q, a, t, got in wrong:
        print(f"  {q!r} {a} {t[:50]!r}; got {[g[:40] for g in got]}")


if __name__ == "__main__":
    main()

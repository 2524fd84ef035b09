#!/usr/bin/env python3
"""`bantin build --cache`: how long a rebuild takes after one article changed.

    python3 bench/cache.py                          # 10k articles, 5 edits
    python3 bench/cache.py --size 100000 --edits 5 --tmp /dev/shm

Copies the generated corpus (bench/work/bantin-<size>, made by run.py) into a
scratch folder, builds it once with `--cache`, then, for each edit, appends a
sentence to the body of one article (a different one each time) and runs
`bantin build --cache` again; then one rebuild with nothing changed, and one full
build without the cache into a new folder for comparison. Prints each rebuild's
wall time, CPU time, peak memory and files written, and the medians.
Every cached output is checked against the full build at the end (`diff -r`).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BANTIN = REPO / "target" / "release" / "bantin"


def measure(cmd):
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "TIME %U %S %M", *map(str, cmd)],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{proc.stderr[-3000:]}")
    user, system, peak_kb = proc.stderr.strip().splitlines()[-1].split()[1:]
    written = re.search(r"\(wrote (\d+) changed files\)", proc.stdout)
    return {
        "wall": wall,
        "cpu": float(user) + float(system),
        "mb": int(peak_kb) / 1024,
        "written": int(written.group(1)) if written else None,
        "cache_used": "cache not used" not in proc.stdout,
    }


def articles(content):
    return sorted(p for p in content.rglob("*.md") if "draft: true" not in p.read_text())


def append_sentence(path, n):
    head, sep, body = path.read_text().partition("\n---\n")
    path.write_text(f"{head}{sep}{body.rstrip()} Câu thêm số {n} khi sửa bài.\n")


def row(name, r):
    written = "" if r["written"] is None else f"{r['written']:>7}"
    used = "" if r["cache_used"] else "  (cache not used)"
    print(f"{name:<28}{r['wall']:>8.2f} s{r['cpu']:>8.2f} s{r['mb']:>8.0f} MB{written}{used}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--tmp", default=None, help="scratch folder (default: system temp)")
    args = ap.parse_args()

    corpus = HERE / "work" / f"bantin-{args.size}"
    if not corpus.exists():
        sys.exit(f"{corpus} is missing: make it with python3 bench/run.py --sizes {args.size} --runs 1")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    scratch = Path(tempfile.mkdtemp(prefix="bantin-cache-bench-", dir=args.tmp))
    try:
        site = scratch / "site"
        shutil.copytree(corpus, site)
        out, cache, full = scratch / "public", scratch / "cache", scratch / "full"
        cached = [BANTIN, "build", "--root", site, "--out", out, "--cache", cache]
        print(f"{args.size} articles, in {scratch}")
        print(f"{'':<28}{'wall':>10}{'CPU':>10}{'peak':>11}{'written':>8}")
        row("first build with --cache", measure(cached))
        files = articles(site / "content")
        edits = []
        for n in range(args.edits):
            append_sentence(files[(n * 7919) % len(files)], n)
            r = measure(cached)
            edits.append(r)
            row(f"one body edited ({n + 1})", r)
        unchanged = measure(cached)
        row("nothing changed", unchanged)
        plain = measure([BANTIN, "build", "--root", site, "--out", full])
        row("full build, no cache", plain)
        same = subprocess.run(["diff", "-rq", out, full], capture_output=True, text=True)
        print("cached output == full build:", "yes" if same.returncode == 0 else f"NO\n{same.stdout[:2000]}")
        wall = statistics.median(r["wall"] for r in edits)
        cpu = statistics.median(r["cpu"] for r in edits)
        print(f"median after one edit: {wall:.2f} s wall, {cpu:.2f} s CPU; "
              f"full build {plain['wall']:.2f} s ({plain['wall'] / wall:.1f}x)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

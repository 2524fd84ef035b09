#!/usr/bin/env python3
"""`bantin build --cache`: how long a rebuild takes after one article changed.

    python3 bench/cache.py                          # 10k articles, 5 edits
    python3 bench/cache.py --size 100000 --edits 5 --tmp /dev/shm
    python3 bench/cache.py --size 100000 --kinds body,title,summary \
        --bantin ../baseline/target/release/bantin --bantin target/release/bantin

Copies the generated corpus (bench/work/bantin-<size>, made by run.py) into a
scratch folder, builds it once with `--cache`, then, for each edit, changes one
article (a different one each time) and runs `bantin build --cache` again; then
rebuilds with nothing changed, and full builds without the cache, each into a
new folder, for comparison (`--repeat` of each, the binaries alternating). Prints each rebuild's wall time, CPU time, peak
memory and files written, and the medians of each kind of edit.
Every cached output is checked against the full build at the end (`diff -r`).

Kinds of edit (`--kinds`, each done `--edits` times): `body` appends a sentence
to the body; `title` changes the title (the page moves when the file has no
`slug:`, as most generated ones); `summary` changes or adds the `summary:` line.

With several `--bantin` binaries, each gets its own copy of the corpus and the
same edits, the binaries taking turns, so that a shared machine's noise falls
on all alike; the last table gives each median as a ratio to the first binary's.
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
    written = re.search(r"wrote (\d+) changed files\)", proc.stdout)
    return {
        "wall": wall,
        "cpu": float(user) + float(system),
        "mb": int(peak_kb) / 1024,
        "written": int(written.group(1)) if written else None,
        "cache_used": "cache not used" not in proc.stdout,
    }


def articles(content):
    # Documents (van-ban/) are not articles.
    return sorted(p for p in content.rglob("*.md")
                  if p.relative_to(content).parts[0] != "van-ban" and "draft: true" not in p.read_text())


def append_sentence(path, n):
    head, sep, body = path.read_text().partition("\n---\n")
    path.write_text(f"{head}{sep}{body.rstrip()} Câu thêm số {n} khi sửa bài.\n")


def retitle(path, n):
    text = path.read_text()
    text = re.sub(r'^title: "?(.*?)"?$', lambda m: f'title: "{m.group(1)} (sửa {n})"', text,
                  count=1, flags=re.M)
    path.write_text(text)


def resummarize(path, n):
    text = path.read_text()
    line = f'summary: "Tóm tắt mới số {n} của bài."'
    if re.search(r"^summary: ", text, flags=re.M):
        text = re.sub(r"^summary: .*$", line, text, count=1, flags=re.M)
    else:
        text = re.sub(r"^(title: .*)$", lambda m: f"{m.group(1)}\n{line}", text, count=1,
                      flags=re.M)
    path.write_text(text)


EDITS = {"body": append_sentence, "title": retitle, "summary": resummarize}


def row(name, r):
    written = "" if r["written"] is None else f"{r['written']:>7}"
    used = "" if r["cache_used"] else "  (cache not used)"
    print(f"{name:<28}{r['wall']:>8.2f} s{r['cpu']:>8.2f} s{r['mb']:>8.0f} MB{written}{used}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--corpus", default=None,
                    help="the site to copy (default: bench/work/bantin-<size>), e.g. "
                         "bench/work/schedule-10000-520 (made by bench/schedule.py)")
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--kinds", default="body", help="comma-separated: body,title,summary")
    ap.add_argument("--tmp", default=None, help="scratch folder (default: system temp)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="rebuilds with nothing changed and full builds, each (alternating binaries)")
    ap.add_argument("--bantin", action="append", default=None,
                    help="a binary to time (repeat to compare; default: this checkout's)")
    args = ap.parse_args()
    kinds = args.kinds.split(",")
    for kind in kinds:
        if kind not in EDITS:
            sys.exit(f"unknown kind of edit: {kind}")

    corpus = Path(args.corpus) if args.corpus else HERE / "work" / f"bantin-{args.size}"
    if not corpus.exists():
        sys.exit(f"{corpus} is missing: make it with python3 bench/run.py --sizes {args.size} --runs 1")
    if args.bantin is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binaries = [BANTIN]
    else:
        binaries = [Path(b).resolve() for b in args.bantin]
    scratch = Path(tempfile.mkdtemp(prefix="bantin-cache-bench-", dir=args.tmp))
    try:
        tools = []
        for t, binary in enumerate(binaries):
            base = scratch / str(t)
            site = base / "site"
            shutil.copytree(corpus, site)
            out, cache = base / "public", base / "cache"
            tools.append({"binary": binary, "site": site, "out": out, "full": base / "full",
                          "cached": [binary, "build", "--root", site, "--out", out, "--cache", cache],
                          "results": {}})
        print(f"{corpus.name}, in {scratch}")
        print(f"{'':<34}{'wall':>10}{'CPU':>10}{'peak':>11}{'written':>8}")
        for t, tool in enumerate(tools):
            row(f"[{t}] first build with --cache", measure(tool["cached"]))
        for kind in kinds:
            for n in range(args.edits):
                for t, tool in enumerate(tools):
                    files = articles(tool["site"] / "content")
                    EDITS[kind](files[(n * 7919 + len(kind)) % len(files)], n)
                    r = measure(tool["cached"])
                    tool["results"].setdefault(kind, []).append(r)
                    row(f"[{t}] one {kind} edited ({n + 1})", r)
        for n in range(args.repeat):
            for t, tool in enumerate(tools):
                r = measure(tool["cached"])
                tool["results"].setdefault("nothing", []).append(r)
                row(f"[{t}] nothing changed ({n + 1})", r)
        for n in range(args.repeat):
            for t, tool in enumerate(tools):
                # Into a folder that does not exist yet, as CI builds.
                shutil.rmtree(tool["full"], ignore_errors=True)
                plain = measure([tool["binary"], "build", "--root", tool["site"], "--out", tool["full"]])
                tool["results"].setdefault("full", []).append(plain)
                row(f"[{t}] full build, no cache ({n + 1})", plain)
        for t, tool in enumerate(tools):
            same = subprocess.run(["diff", "-rq", tool["out"], tool["full"]], capture_output=True, text=True)
            print(f"[{t}] cached output == full build:",
                  "yes" if same.returncode == 0 else f"NO\n{same.stdout[:2000]}")
        print()
        print("medians, wall s (CPU s, peak MB):")
        for t, tool in enumerate(tools):
            print(f"[{t}] {tool['binary']}")
            for kind, results in tool["results"].items():
                wall = statistics.median(r["wall"] for r in results)
                cpu = statistics.median(r["cpu"] for r in results)
                mb = max(r["mb"] for r in results)
                ratio = ""
                if t > 0:
                    first = statistics.median(r["wall"] for r in tools[0]["results"][kind])
                    ratio = f"   {wall / first:.2f}x of [0]"
                print(f"    {kind:<10}{wall:>8.2f} s ({cpu:.2f} s, {mb:.0f} MB){ratio}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

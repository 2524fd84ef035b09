#!/usr/bin/env python3
"""The cost of the register of documents: `bantin build` of the same generated
articles with and without documents, alternating, then `build --cache` rebuilds
after editing one document.

    python3 bench/documents.py                          # 10,000 articles, 5,000 documents, 3 runs
    python3 bench/documents.py --articles 2000 --documents 1000 --runs 5

Prints the median wall time, CPU time and peak memory of each full build and the
ratio with documents over without (issue 19 asks for at most 1.4), then each cached
rebuild after one document's abstract is edited, and checks with `diff -r` that
the cached output equals a full build's. Builds go into --tmp (default /dev/shm:
the CPU work alone, with no file system to settle; see bench/README.md).

Needs: cargo (builds bantin in release), ../shared/corpus/gen_corpus.py. Corpora
live in bench/work/ (git-ignored), generated once.
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
GEN = REPO.parent / "shared" / "corpus" / "gen_corpus.py"
WORK = HERE / "work"


def run(cmd, env=None):
    """Runs cmd; returns (wall seconds, CPU seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def corpus(articles, documents):
    name = f"docs-{articles}-{documents}"
    site = WORK / name
    if not (site / "site.yaml").exists():
        args = [sys.executable, str(GEN), "--articles", str(articles), "--out", str(site),
                "--flavor", "bantin"]
        if documents:
            args += ["--documents", str(documents)]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return site


def median(samples):
    return [statistics.median(column) for column in zip(*samples)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--documents", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--tmp", type=Path, default=Path("/dev/shm"))
    ap.add_argument("--bantin", type=Path, help="time this binary instead of this checkout's")
    args = ap.parse_args()

    bantin = args.bantin
    if bantin is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        bantin = target / "release" / "bantin"
    bantin = str(bantin.resolve())
    plain = corpus(args.articles, 0)
    with_documents = corpus(args.articles, args.documents)
    # The same day for every build, so that every run makes the same statuses.
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(time.time())))
    scratch = Path(tempfile.mkdtemp(prefix="bantin-docs-", dir=args.tmp))
    try:
        print(f"{args.articles} articles, with and without {args.documents} documents; "
              f"{args.runs} runs each, alternating, into {scratch}")
        samples = {"without": [], "with": []}
        for n in range(args.runs):
            for label, site in (("without", plain), ("with", with_documents)):
                out = scratch / f"{label}-{n}"
                samples[label].append(run([bantin, "build", "--root", str(site), "--out", str(out)], env))
                shutil.rmtree(out)
        rows = {label: median(s) for label, s in samples.items()}
        for label, (wall, cpu, rss) in rows.items():
            print(f"  full build {label:>7} documents: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {rss:6.0f} MB peak")
        print(f"  with / without: {rows['with'][0] / rows['without'][0]:.2f}x wall, "
              f"{rows['with'][1] / rows['without'][1]:.2f}x CPU")

        # Cached rebuilds after editing one document's abstract.
        site = scratch / "site"
        shutil.copytree(with_documents, site)
        cache, out, full = scratch / "cache", scratch / "out", scratch / "full"
        cached = [bantin, "build", "--root", str(site), "--out", str(out), "--cache", str(cache)]
        wall, cpu, rss = run(cached, env)
        print(f"  first build --cache: {wall:.2f} s wall, {cpu:.2f} s CPU, {rss:.0f} MB peak")
        documents = sorted((site / "content" / "van-ban").rglob("*.md"))
        for n in range(args.edits):
            document = documents[(n * 7919) % len(documents)]
            text = document.read_text(encoding="utf-8")
            document.write_text(re.sub(r'^title: "', f'title: "(sửa {n}) ', text, count=1, flags=re.M),
                                encoding="utf-8")
            wall, cpu, rss = run(cached, env)
            print(f"  build --cache after editing {document.relative_to(site)}: "
                  f"{wall:.2f} s wall, {cpu:.2f} s CPU, {rss:.0f} MB peak")
        run([bantin, "build", "--root", str(site), "--out", str(full)], env)
        same = subprocess.run(["diff", "-rq", str(out), str(full)], stdout=subprocess.PIPE)
        print("  cached output equals a full build" if same.returncode == 0
              else f"  cached output DIFFERS from a full build:\n{same.stdout.decode()}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

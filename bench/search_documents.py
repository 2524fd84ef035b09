#!/usr/bin/env python3
"""Documents' numbers in the search index: what a reader's first query for a
number downloads, and where the document ranks, on a generated portal.

    python3 bench/search_documents.py --site bench/work/docs-10000-5000 \
        [--articles 10000 --documents 5000] [--bantin target/release/bantin] [--sample 40]

Generates the portal with ../shared/corpus/gen_corpus.py (--articles, --documents;
a third of the documents carry a PDF) unless --site already holds one, builds
it, then, for a sample of documents spread over the register, asks `bantin
search --json --explain` for the number in four spellings: as issued
(`25/2024/QĐ-UBND`), number and year (`25/2024`), code first (`qđ-ubnd 25`),
parts without marks with the year (`QD UBND 25 2024`). Prints the first-query
bytes (script, manifest, shards, postings, metadata: what a browser with a
cold cache fetches, uncompressed), median and largest per spelling, and how
often the document is the first hit; where other documents share every part
typed (the generator issues `25/2024/QĐ-UBND` and `25/2024/NQ-HĐND` in the same
year, and `QĐ-UBND 25` every year), it says how many, since no ranking can
tell those apart: the newest comes first.
"""
import argparse
import json
import re
import statistics
import subprocess
import sys
import unicodedata
from urllib.parse import urlparse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = REPO.parent / "shared" / "corpus" / "gen_corpus.py"


def fold(text):
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(c for c in text if not unicodedata.combining(c))


def parts(text):
    return [p for p in re.split(r"[^0-9a-z]+", fold(text)) if p]


def spellings(number, year):
    """The four ways a reader types a number."""
    pieces = number.split("/")
    code = [p for p in pieces if not p.isdigit()]
    out = {"as issued": number}
    if len(pieces) == 3:
        out["number/year"] = f"{pieces[0]}/{pieces[1]}"
    else:
        out["number/year"] = f"{pieces[0]}/{code[0] if code else ''} {year}".strip()
    out["code first"] = f"{fold(code[0]) if code else ''} {pieces[0]}".strip()
    folded = " ".join(p.upper() for p in parts(" ".join(code)))
    out["folded + year"] = f"{folded} {pieces[0]} {year}".strip()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--bantin", default=str(REPO / "target" / "release" / "bantin"))
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()

    site = args.site
    if not (site / "content").exists():
        subprocess.run([sys.executable, str(GEN), "--articles", str(args.articles),
                        "--documents", str(args.documents), "--out", str(site),
                        "--flavor", "bantin"], check=True, stdout=subprocess.DEVNULL)
    public = site / "public"
    if not args.no_build:
        subprocess.run([args.bantin, "build", "--root", str(site), "--out", str(public)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    register = json.loads((public / "van-ban" / "index.json").read_text())
    documents = register["documents"] if isinstance(register, dict) else register
    # Every document's number parts with its year, to count the ambiguous.
    signatures = []
    for d in documents:
        year = d["issued"][:4]
        signatures.append(set(parts(d["number"])) | {year})
    step = max(1, len(documents) // args.sample)
    sample = documents[::step][: args.sample]
    rows = {}
    for d in sample:
        year = d["issued"][:4]
        for name, query in spellings(d["number"], year).items():
            out = subprocess.run([args.bantin, "search", "--json", "--explain", "--site",
                                  str(public), "--", query], check=True, capture_output=True)
            # One hit a line, best first, then what the query read.
            *hits, explained = [json.loads(line) for line in out.stdout.splitlines()]
            answer = {"hits": hits, "bytes": explained["bytes"]}
            urls = [urlparse(h["url"]).path for h in answer["hits"]]
            path = urlparse(d["url"]).path
            rank = urls.index(path) + 1 if path in urls else None
            typed = set(parts(query))
            sharing = sum(1 for s in signatures if typed <= s)
            rows.setdefault(name, []).append((answer["bytes"], rank, sharing, query))
    print(f"{len(documents)} documents, {len(sample)} sampled; first-query bytes "
          f"(uncompressed) and the document's rank")
    print(f"{'spelling':<16}{'median':>10}{'largest':>10}{'first':>8}{'top 3':>8}"
          f"{'ambiguous':>11}{'first when not':>16}")
    for name, found in rows.items():
        sizes = [b for b, _, _, _ in found]
        first = sum(1 for _, r, _, _ in found if r == 1)
        top3 = sum(1 for _, r, _, _ in found if r and r <= 3)
        ambiguous = [f for f in found if f[2] > 1]
        clear = [f for f in found if f[2] == 1]
        clear_first = sum(1 for _, r, _, _ in clear if r == 1)
        print(f"{name:<16}{statistics.median(sizes) / 1024:>8.1f} KB{max(sizes) / 1024:>8.1f} KB"
              f"{first:>5}/{len(found):<3}{top3:>4}/{len(found):<3}{len(ambiguous):>8}"
              f"{clear_first:>12}/{len(clear)}")
        for b, r, s, q in found:
            if s == 1 and r != 1:
                print(f"    not first: {q!r} (rank {r})")
    print("largest:", max(((b, q) for f in rows.values() for b, _, _, q in f)))


if __name__ == "__main__":
    main()

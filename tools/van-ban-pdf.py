#!/usr/bin/env python3
"""Makes the demo site's document attachments (PDFs with Vietnamese text) again.

For every document under content/van-ban/ whose `files:` names a .pdf, writes
the document as a Vietnamese administrative document would be laid out (the
national motto, the issuing body, the number, the abstract, the text) to HTML,
and prints it to that PDF with Debian's Chromium in headless mode:

    python3 tools/van-ban-pdf.py [--root .]

Needs only Python 3 and `chromium`. The PDFs have a real text layer, so the
search can index them. Chromium stamps the time of printing in a PDF; the text
and layout are the same from run to run.
"""

import argparse
import html
import os
import re
import subprocess
import sys
import tempfile

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]

PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{number}</title>
<style>
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
body {{ font-family: "DejaVu Serif", "Liberation Serif", serif; font-size: 13pt; line-height: 1.5; }}
.head {{ display: flex; justify-content: space-between; text-align: center; }}
.head div {{ width: 48%; }} .upper {{ text-transform: uppercase; font-weight: bold; }}
.motto {{ font-weight: bold; }} .date {{ font-style: italic; text-align: right; margin: 1em 0; }}
h1 {{ text-align: center; font-size: 14pt; text-transform: uppercase; margin: 1.5em 0 .2em; }}
.abstract {{ text-align: center; font-weight: bold; margin-bottom: 1.5em; }}
.sign {{ margin-left: 55%; text-align: center; margin-top: 3em; font-weight: bold; }}
</style></head><body>
<div class="head">
<div><div class="upper">{issuer}</div><div>Số: {number}</div></div>
<div><div class="upper">Cộng hòa xã hội chủ nghĩa Việt Nam</div><div class="motto">Độc lập - Tự do - Hạnh phúc</div></div>
</div>
<p class="date">Ngày {day} tháng {month} năm {year}</p>
<h1>{type}</h1>
<p class="abstract">{title}</p>
{body}
<div class="sign">{signer}</div>
</body></html>
"""


def front_matter(text):
    """The simple `key: value` lines of a document's front matter."""
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    if not match:
        return None, ""
    fields = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if value.startswith("["):
            fields[key.strip()] = re.findall(r'"((?:[^"\\]|\\.)*)"', value)
        else:
            fields[key.strip()] = value.strip('"')
    return fields, match.group(2).strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=".")
    parser.add_argument("--chromium", default="chromium")
    args = parser.parse_args()
    content = os.path.join(args.root, "content")
    made = 0
    for folder, _, names in sorted(os.walk(os.path.join(content, "van-ban"))):
        for name in sorted(names):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                fields, body = front_matter(f.read())
            if not fields:
                continue
            for attachment in fields.get("files", []):
                if not attachment.endswith(".pdf"):
                    continue
                target = os.path.join(content, attachment.lstrip("/"))
                year, month, day = fields["issued"][:10].split("-")
                paragraphs = "".join(
                    f"<p>{html.escape(p)}</p>" for p in body.split("\n\n") if p.strip()
                )
                if not paragraphs:
                    paragraphs = f"<p>{html.escape(fields['title'])}.</p>"
                page = PAGE.format(
                    issuer=html.escape(fields["issuer"]),
                    number=html.escape(fields["number"]),
                    type=html.escape(fields["type"]),
                    title=html.escape(fields["title"]),
                    signer=html.escape(fields.get("signer", "")),
                    day=day, month=month, year=year,
                    body=paragraphs,
                )
                with tempfile.TemporaryDirectory() as tmp:
                    source = os.path.join(tmp, "van-ban.html")
                    with open(source, "w", encoding="utf-8") as f:
                        f.write(page)
                    subprocess.run(
                        [args.chromium, *FLAGS, f"--user-data-dir={tmp}/profile",
                         f"--print-to-pdf={os.path.abspath(target)}", f"file://{source}"],
                        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    )
                print(f"{target}: {os.path.getsize(target)} bytes")
                made += 1
    print(f"{made} PDF(s) made", file=sys.stderr)


if __name__ == "__main__":
    main()

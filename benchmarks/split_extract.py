"""The machine's own ceiling for `--jobs 2` against `--jobs 1`: pypdf text extraction (bench (a))
of a set of PDFs, with the files shared out over N processes that run at once.

Extraction alone is the floor of a pypdf-based scanner and splits perfectly (no model, no
shared state, one import per process), so on a given machine `--processes 2` against
`--processes 1` is about as much as any two-process speedup of the scan can be. Both run the
same way (N child processes started by this one), so the comparison is like for like.

    python benchmarks/split_extract.py --processes 2 FILE.pdf ...
"""

from __future__ import annotations

import argparse
import subprocess
import sys

#: (a) of bench_scan.py: pypdf text extraction alone, of every file given.
EXTRACT = "import sys, pypdf\nfor f in sys.argv[1:]:\n    for p in pypdf.PdfReader(f).pages: p.extract_text()\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    shares = [args.files[i::args.processes] for i in range(args.processes)]
    children = [subprocess.Popen([sys.executable, "-c", EXTRACT, *share]) for share in shares if share]
    return max(child.wait() for child in children)


if __name__ == "__main__":
    sys.exit(main())

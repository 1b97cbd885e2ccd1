"""Whole-process benchmarks of `redactguard scan` against the floor (pypdf extraction alone).

Generates text-heavy PDF bundles (300 and 1,000 pages, reportlab, seeded) and a batch of 200
documents, then measures, as separate processes, medians of several runs:
  (a) pypdf text extraction alone
  (b) redactguard scan, 20-item order, --no-generic
  (c) redactguard scan, same order, default pipeline (models/ included)
  (d) redactguard scan, same order, --model none
  (e) pypdf extraction + Presidio AnalyzerEngine (default recognisers, no NLP model) with a
      deny list of the same items: what a user would build instead
plus pages/s, the ratios b/a, c/a, e/d, peak RSS at 300 vs 1,000 pages, --jobs 2 vs --jobs 1
on the 200-document batch and on one 300-page PDF (split into page ranges), the machine's own
ceiling for that speedup (extraction alone of the 200 documents, shared out over 2 processes
against 1: `split_extract.py`), and `redactguard --help` start-up time. The target for
`--jobs 2` on the batch is a speedup of at least TARGET_OF_CEILING of that ceiling, measured in
the same run. Commands compared with each other run in turn (a, b, c, d, e, a, b, ...; jobs 1,
jobs 2, ceiling 1, ceiling 2, jobs 1, ...), so a slow spell on a shared machine falls on all of
them.

    python benchmarks/bench_scan.py [--repeat 3] [--jobs-repeat 5] [--quick] [--jobs-only]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
from bench_matching import ORDER, WORDS  # noqa: E402
from split_extract import EXTRACT  # noqa: E402

PY = sys.executable
RG = [PY, "-m", "redactguard"]
#: The batch for --jobs 2 against --jobs 1: this many generated PDFs of BATCH_PAGES pages each
#: (the first 20 are the 20-document folder this bench used before).
BATCH_DOCS = 200
BATCH_PAGES = 15
#: --jobs 2 should gain at least this share of the machine's own two-process ceiling.
TARGET_OF_CEILING = 0.9


def make_pdf(path: Path, pages: int, seed: int = 7) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for n in range(pages):
        text = c.beginText(56, 800)
        text.setFont("Helvetica", 10)
        for _ in range(62):
            text.textLine(" ".join(rng.choice(WORDS) for _ in range(13)).capitalize() + ".")
        if n % 50 == 7:
            text.textLine("The mother now lives at 14 Cherry Tree Rd, Headingley and her mobile is 07700 900461.")
        c.drawText(text)
        c.showPage()
    c.save()


def prepare(quick: bool) -> dict[str, Path]:
    OUT.mkdir(exist_ok=True)
    files = {"order": OUT / "order.yaml"}
    files["order"].write_text(ORDER, encoding="utf-8")
    sizes = {"p300": 300} if quick else {"p300": 300, "p1000": 1000}
    for key, pages in sizes.items():
        path = OUT / f"bundle-{pages}.pdf"
        if not path.exists():
            make_pdf(path, pages)
        files[key] = path
    folder = OUT / f"batch{BATCH_DOCS}x{BATCH_PAGES}"
    if not folder.exists():
        part = OUT / f"{folder.name}.part"  # an interrupted run leaves no half batch behind
        part.mkdir(exist_ok=True)
        for i in range(BATCH_DOCS):
            make_pdf(part / f"doc-{i:03d}.pdf", BATCH_PAGES, seed=100 + i)
        part.rename(folder)
    files["batch"] = folder
    return files


def timed(cmd: list[str], repeat: int, ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Median wall time and max peak RSS (KiB) of `cmd` as a whole process; fails loudly."""
    times, rss = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode not in ok:
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
        try:
            rss = max(rss, int(proc.stderr.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            pass
    return statistics.median(times), rss


def interleaved_runs(commands: list[tuple[list[str], tuple[int, ...]]], repeat: int) -> list[list[tuple[float, int]]]:
    """`timed` for several commands, run in turn `repeat` times (a, b, c, a, b, c, ...), so that
    on a shared machine a slow spell falls on all of them: (time, RSS) of every run of each."""
    runs: list[list[tuple[float, int]]] = [[] for _ in commands]
    for _ in range(repeat):
        for i, (cmd, ok) in enumerate(commands):
            runs[i].append(timed(cmd, 1, ok))
    return runs


def interleaved(commands: list[tuple[list[str], tuple[int, ...]]], repeat: int) -> list[tuple[float, int]]:
    """`interleaved_runs`, summed up: median time and max RSS of each command."""
    return [(statistics.median(t for t, _ in r), max(m for _, m in r)) for r in interleaved_runs(commands, repeat)]


def presidio_cmd(pdf: Path, order: Path) -> list[str]:
    code = (
        "import sys, pypdf, yaml\n"
        "from presidio_analyzer import AnalyzerEngine, PatternRecognizer, RecognizerRegistry\n"
        "from presidio_analyzer.nlp_engine.no_op_nlp_engine import NoOpNlpEngine\n"
        "from redactguard.detectors.recognizers.adjusted import OfflineEmailRecognizer\n"
        "order = yaml.safe_load(open(sys.argv[2]))\n"
        "deny = [i['value'] for i in order['protected'] if i['kind'] != 'regex']\n"
        "registry = RecognizerRegistry()\n"
        "registry.load_predefined_recognizers()\n"
        "registry.remove_recognizer('EmailRecognizer')\n"
        "registry.add_recognizer(OfflineEmailRecognizer())\n"
        "registry.remove_recognizer('SpacyRecognizer')\n"
        "registry.add_recognizer(PatternRecognizer(supported_entity='ORDER_ITEM', deny_list=deny))\n"
        "nlp = NoOpNlpEngine(models=[{'lang_code': 'en', 'model_name': 'none'}])\n"
        "nlp.load()\n"
        "engine = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=['en'])\n"
        "n = 0\n"
        "for p in pypdf.PdfReader(sys.argv[1]).pages:\n"
        "    n += len(engine.analyze(text=p.extract_text(), language='en'))\n"
    )
    return [PY, "-c", code, str(pdf), str(order)]


def _speedup(one: list[tuple[float, int]], two: list[tuple[float, int]]) -> dict[str, Any]:
    """One command's runs (--jobs 1) against another's (--jobs 2) made in turn with them, in pairs."""
    pairs = [(t1, t2) for (t1, _), (t2, _) in zip(one, two, strict=True)]
    j1 = statistics.median(p[0] for p in pairs)
    j2 = statistics.median(p[1] for p in pairs)
    ratios = [a / b for a, b in pairs]
    return {"jobs1_s": round(j1, 2), "jobs2_s": round(j2, 2), "speedup": round(j1 / j2, 2),
            "speedup_median_of_pairs": round(statistics.median(ratios), 2),
            "speedup_per_pair": [round(r, 2) for r in ratios]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="300 pages only, 1 run")
    ap.add_argument("--jobs-only", action="store_true", help="only --jobs 2 against --jobs 1 (more rounds on a noisy machine)")
    ap.add_argument("--jobs-repeat", type=int, default=None,
                    help="rounds of --jobs 1, --jobs 2 and the ceiling (default: --repeat); their ratio varies most here")
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat
    jobs_repeat = 1 if args.quick else (args.jobs_repeat or args.repeat)
    f = prepare(args.quick)
    order = str(f["order"])
    scan = [*RG, "scan", "--order", order, "--recipient", "respondent", "--no-progress", "--jobs", "1", "--format", "json", "--output", os.devnull]
    results: dict[str, object] = {}
    for key in [k for k in ("p300", "p1000") if k in f and not args.jobs_only]:
        pdf = str(f[key])
        pages = 300 if key == "p300" else 1000
        (a, rss_a), (b, rss_b), (c, rss_c), (d, rss_d), (e, rss_e) = interleaved([
            ([PY, "-c", EXTRACT, pdf], (0,)),
            ([*scan, pdf, "--no-generic"], (0, 1)),
            ([*scan, pdf], (0, 1)),
            ([*scan, pdf, "--model", "none"], (0, 1)),
            (presidio_cmd(f[key], f["order"]), (0,)),
        ], repeat)
        results[key] = {
            "pages": pages,
            "seconds": {"a_extract": a, "b_no_generic": b, "c_default": c, "d_model_none": d, "e_presidio": e},
            "pages_per_s": {k: round(pages / v, 1) for k, v in
                            {"a": a, "b": b, "c": c, "d": d, "e": e}.items()},
            "ratios": {"b/a": round(b / a, 2), "c/a": round(c / a, 2), "e/d": round(e / d, 2)},
            "peak_rss_mib": {"b": rss_b // 1024, "c": rss_c // 1024, "d": rss_d // 1024, "a": rss_a // 1024, "e": rss_e // 1024},
        }
    jobs = [*RG, "scan", "--order", order, "--recipient", "respondent", "--no-progress", "--format", "json", "--output", os.devnull]
    jobs_results: dict[str, Any] = {}
    results["jobs"] = jobs_results
    batch = str(f["batch"])
    batch_pdfs = sorted(str(p) for p in f["batch"].glob("*.pdf"))
    split = [PY, str(HERE / "split_extract.py"), "--processes"]
    runs = interleaved_runs([
        ([*jobs, batch, "--jobs", "1"], (0, 1)),
        ([*jobs, batch, "--jobs", "2"], (0, 1)),
        ([*split, "1", *batch_pdfs], (0,)),  # the machine's ceiling, in turn with the pairs it bounds
        ([*split, "2", *batch_pdfs], (0,)),
    ], jobs_repeat)
    pool, ceiling = _speedup(runs[0], runs[1]), _speedup(runs[2], runs[3])
    jobs_results[f"batch of {BATCH_DOCS} documents, default pipeline"] = pool
    jobs_results[f"ceiling: pypdf extraction of the same {BATCH_DOCS} documents, 2 processes vs 1"] = ceiling
    # each round's speedup against the ceiling measured in the same round (the same load), then the median
    shares = [(a1 / a2) / (c1 / c2) for (a1, _), (a2, _), (c1, _), (c2, _) in zip(*runs, strict=True)]
    share = statistics.median(shares)
    jobs_results["target"] = {
        "share_of_ceiling": round(share, 2), "at_least": TARGET_OF_CEILING, "met": share >= TARGET_OF_CEILING,
        "share_per_round": [round(x, 2) for x in shares],
        "share_of_the_medians": round(pool["speedup"] / ceiling["speedup"], 2),
    }
    runs = interleaved_runs([([*jobs, str(f["p300"]), "--jobs", str(n), "--model", "none"], (0, 1)) for n in (1, 2)], jobs_repeat)
    jobs_results["one 300-page PDF in page ranges, --model none"] = _speedup(runs[0], runs[1])
    helps = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([*RG, "--help"], capture_output=True, check=True)
        helps.append(time.perf_counter() - t0)
    results["help_s"] = round(statistics.median(helps), 3)
    if "p1000" in results and "p300" in results:
        results["rss_growth_1000_vs_300"] = {
            key: round(results["p1000"]["peak_rss_mib"][key] / results["p300"]["peak_rss_mib"][key], 2)  # type: ignore[index]
            for key in ("b", "c", "d")
        }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

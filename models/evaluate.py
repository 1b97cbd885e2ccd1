"""Score a spaCy pipeline on the held-out split and on presidio-research's synth_dataset_v2.

    python models/evaluate.py                          # the committed models/redactguard_en
    python models/evaluate.py --model en_core_web_sm   # any installed pipeline or folder
    python models/evaluate.py --check models/metrics.json   # exit 1 if the figures differ

Prints per-label precision, recall and F1 (exact span match; also overlap with the same label,
and "caught": a gold span overlapped by any predicted entity, which is what redaction needs)
and the speed in characters per second with `nlp.pipe` on one core. Needs only spaCy and the
standard library, so it runs in any environment that has the pipeline under test.

Labels are compared after mapping: PERSON/PER -> PERSON; LOC, GPE, FAC -> LOC; ORG -> ORG;
ADDRESS -> ADDRESS. synth_dataset_v2's PERSON, GPE/LOCATION, ORGANIZATION and STREET_ADDRESS
become PERSON, LOC, ORG and ADDRESS; its other types are not scored.
"""

from __future__ import annotations

import os

# One core for the speed figure; set before numpy is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_MODEL = HERE / "redactguard_en"
DEFAULT_HELDOUT = HERE / "data" / "heldout.jsonl"
DEFAULT_SYNTH = HERE.parents[1] / "shared" / "data" / "presidio-research" / "data" / "synth_dataset_v2.json"
LABELS = ("PERSON", "LOC", "ORG", "ADDRESS")
PREDICTED = {"PERSON": "PERSON", "PER": "PERSON", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC",
             "ORG": "ORG", "ADDRESS": "ADDRESS"}
SYNTH = {"PERSON": "PERSON", "GPE": "LOC", "LOCATION": "LOC", "ORGANIZATION": "ORG",
         "STREET_ADDRESS": "ADDRESS"}
#: Components the scanner keeps (redactguard/detectors/generic.py); the rest are switched off.
KEEP = {"tok2vec", "ner", "entity_ruler", "transformer"}
#: Quality figures must match the committed ones to this many decimals under --check.
DECIMALS = 4

Span = tuple[int, int, str]
Example = tuple[str, list[Span]]


def load_pipeline(model: str) -> Any:
    """Load a pipeline by name or path with only the components the scanner uses."""
    import spacy

    nlp = spacy.load(model)
    nlp.select_pipes(disable=[p for p in nlp.pipe_names if p not in KEEP])
    return nlp


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def read_heldout(path: Path) -> list[Example]:
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            out.append((row["text"], [(s["start"], s["end"], s["label"]) for s in row["spans"]]))
    return out


def read_synth(path: Path) -> list[Example]:
    """synth_dataset_v2.json: full_text with start_position/end_position/entity_type spans."""
    out = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        text = row["full_text"]
        spans = []
        for s in row["spans"]:
            label = SYNTH.get(s["entity_type"])
            if label:
                start, end = _strip(text, s["start_position"], s["end_position"])
                if end > start:
                    spans.append((start, end, label))
        out.append((text, spans))
    return out


def predict(nlp: Any, texts: list[str]) -> list[list[Span]]:
    out = []
    for doc in nlp.pipe(texts, batch_size=128):
        spans = []
        for ent in doc.ents:
            label = PREDICTED.get(ent.label_)
            start, end = _strip(doc.text, ent.start_char, ent.end_char)
            if label and end > start:
                spans.append((start, end, label))
        out.append(spans)
    return out


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, float | int]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, DECIMALS), "r": round(r, DECIMALS), "f": round(f, DECIMALS),
            "gold": n_gold, "predicted": n_pred}


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(gold: list[list[Span]], pred: list[list[Span]]) -> dict[str, dict[str, Any]]:
    """Per label and overall: exact and same-label-overlap P/R/F1, and the share of gold caught."""
    counts = {lab: dict.fromkeys(("gold", "pred", "exact", "ov_pred", "ov_gold", "caught"), 0)
              for lab in (*LABELS, "ALL")}
    for g_spans, p_spans in zip(gold, pred, strict=True):
        g_set, p_set = set(g_spans), set(p_spans)
        for span in g_set:
            for key in (span[2], "ALL"):
                c = counts[key]
                c["gold"] += 1
                c["exact"] += span in p_set
                c["ov_gold"] += any(_overlaps(span, p) and p[2] == span[2] for p in p_set)
                c["caught"] += any(_overlaps(span, p) for p in p_set)
        for span in p_set:
            for key in (span[2], "ALL"):
                counts[key]["pred"] += 1
                counts[key]["ov_pred"] += any(_overlaps(span, g) and g[2] == span[2] for g in g_set)
    out: dict[str, dict[str, Any]] = {"exact": {}, "overlap": {}, "caught": {}}
    for lab, c in counts.items():
        out["exact"][lab] = _prf(c["exact"], c["pred"], c["exact"], c["gold"])
        out["overlap"][lab] = _prf(c["ov_pred"], c["pred"], c["ov_gold"], c["gold"])
        out["caught"][lab] = round(c["caught"] / c["gold"], DECIMALS) if c["gold"] else 0.0
    return out


def speed(nlp: Any, texts: list[str], repeat: int = 3) -> dict[str, Any]:
    """Characters per second through nlp.pipe on one core (best of `repeat` runs)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    list(nlp.pipe(texts[:200], batch_size=128))  # warm-up
    chars = sum(len(t) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=128):
            pass
        best = min(best, time.perf_counter() - start)
    return {"chars_per_second": round(chars / best), "chars": chars, "docs": len(texts),
            "seconds": round(best, 3), "cores": 1}


def evaluate(model: str, heldout: Path, synth: Path | None, with_speed: bool = True) -> dict[str, Any]:
    """All figures for one pipeline, as written to metrics.json."""
    import spacy

    nlp = load_pipeline(model)
    result: dict[str, Any] = {"model": f"{nlp.meta.get('name')} {nlp.meta.get('version')}",
                              "spacy": spacy.__version__, "components": list(nlp.pipe_names)}
    sets = {"heldout": read_heldout(heldout)}
    if synth is not None and synth.exists():
        sets["synth_dataset_v2"] = read_synth(synth)
    for name, examples in sets.items():
        texts = [t for t, _ in examples]
        result[name] = score([s for _, s in examples], predict(nlp, texts))
    if with_speed:
        result["speed"] = speed(nlp, [t for examples in sets.values() for t, _ in examples])
    return result


def table(result: dict[str, Any]) -> str:
    lines = [f"model: {result['model']} (components: {', '.join(result['components'])})"]
    for name in ("heldout", "synth_dataset_v2"):
        if name not in result:
            lines.append(f"\n{name}: not available")
            continue
        lines.append(f"\n{name}")
        lines.append(f"{'label':<8} {'gold':>5} {'pred':>5}  {'P':>6} {'R':>6} {'F1':>6}   "
                     f"{'ovl P':>6} {'ovl R':>6} {'ovl F1':>6}   {'caught':>6}")
        for lab in (*LABELS, "ALL"):
            e, o = result[name]["exact"][lab], result[name]["overlap"][lab]
            lines.append(f"{lab:<8} {e['gold']:>5} {e['predicted']:>5}  {e['p']:>6.3f} {e['r']:>6.3f} "
                         f"{e['f']:>6.3f}   {o['p']:>6.3f} {o['r']:>6.3f} {o['f']:>6.3f}   "
                         f"{result[name]['caught'][lab]:>6.3f}")
    if "speed" in result:
        s = result["speed"]
        lines.append(f"\nspeed: {s['chars_per_second']:,} chars/s on one core "
                     f"({s['chars']:,} chars, {s['docs']} texts, {s['seconds']} s)")
    return "\n".join(lines)


def differences(result: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Quality figures (not speed) that differ from the expected ones."""
    out = []
    for name in ("heldout", "synth_dataset_v2"):
        if name not in expected or name not in result:
            continue
        if result[name] != expected[name]:
            out.append(name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(DEFAULT_MODEL), help="pipeline name or folder")
    parser.add_argument("--heldout", type=Path, default=DEFAULT_HELDOUT)
    parser.add_argument("--synth", type=Path, default=DEFAULT_SYNTH,
                        help="synth_dataset_v2.json (skipped when absent)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    parser.add_argument("--check", type=Path,
                        help="metrics.json to compare with; exit 1 if a quality figure differs")
    args = parser.parse_args(argv)
    result = evaluate(args.model, args.heldout, args.synth, with_speed=not args.no_speed)
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.check:
        expected = json.loads(args.check.read_text(encoding="utf-8"))
        diff = differences(result, expected)
        if diff:
            print(f"\nfigures differ from {args.check}: {', '.join(diff)}", file=sys.stderr)
            return 1
        print(f"\nfigures match {args.check}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""redactguard's generic detection against Presidio's default analyzer, on the same texts.

Datasets: the model's held-out split (models/data/heldout.jsonl, never trained on) and
presidio-research's synth_dataset_v2.json (../shared/data/presidio-research/data, if present).
Systems:
  redactguard          recognisers + the default spaCy pipeline in models/
  redactguard-patterns recognisers only (--model none)
  presidio-default     Presidio's AnalyzerEngine with its default recogniser registry, offline:
                       its NLP engine is the spaCy pipeline given by --presidio-nlp (default:
                       ours, since en_core_web_* cannot be installed here; run this script in an
                       environment with en_core_web_sm installed and pass that name to compare
                       with Presidio's usual set-up). Its e-mail recogniser is swapped for the
                       same one reading tldextract's bundled suffix list (it downloads otherwise).
Speeds are for one short text per call (per-call overhead dominates); see `make bench` for
throughput on documents.
Labels are mapped to PERSON, LOCATION, ORGANIZATION, ADDRESS, PHONE, EMAIL, CREDIT_CARD, IBAN;
a prediction counts as correct if it overlaps a gold span of the same label (lenient: span
boundaries differ between tools by design, e.g. whether "Ms" belongs to a name).

    python benchmarks/compare_presidio.py [--limit N] [--presidio-nlp NAME_OR_PATH] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SYNTH = REPO.parent / "shared" / "data" / "presidio-research" / "data" / "synth_dataset_v2.json"
HELDOUT = REPO / "models" / "data" / "heldout.jsonl"

#: Every system's and dataset's labels -> one comparable label (None: not compared).
LABELS = {
    "PERSON": "PERSON", "PER": "PERSON", "person": "PERSON",
    "GPE": "LOCATION", "LOC": "LOCATION", "LOCATION": "LOCATION", "location": "LOCATION",
    "ORG": "ORGANIZATION", "ORGANIZATION": "ORGANIZATION", "organisation": "ORGANIZATION",
    "institution": "ORGANIZATION", "INSTITUTION": "ORGANIZATION",
    "STREET_ADDRESS": "ADDRESS", "ADDRESS": "ADDRESS", "address": "ADDRESS",
    "PHONE_NUMBER": "PHONE", "phone": "PHONE",
    "EMAIL_ADDRESS": "EMAIL", "email": "EMAIL",
    "CREDIT_CARD": "CREDIT_CARD", "credit-card": "CREDIT_CARD",
    "IBAN_CODE": "IBAN", "iban": "IBAN",
}
COMPARED = ("PERSON", "LOCATION", "ORGANIZATION", "ADDRESS", "PHONE", "EMAIL", "CREDIT_CARD", "IBAN")

Span = tuple[int, int, str]


def load_heldout() -> list[tuple[str, list[Span]]]:
    out = []
    for line in HELDOUT.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out.append((row["text"], [(s["start"], s["end"], s["label"]) for s in row["spans"]]))
    return out


def load_synth() -> list[tuple[str, list[Span]]]:
    rows = json.loads(SYNTH.read_text(encoding="utf-8"))
    return [
        (r["full_text"], [(s["start_position"], s["end_position"], s["entity_type"]) for s in r["spans"]])
        for r in rows
    ]


def redactguard_system(model: str | None) -> Any:
    from redactguard.detectors.generic import GenericDetector
    from redactguard.document import Location, Segment
    from redactguard.normalise import FlowText

    detector = GenericDetector(model)
    detector.load()

    def predict(text: str) -> list[Span]:
        flow = FlowText([Segment(text, Location())])
        return [(h.start, h.end, h.kind) for h in detector.detect(flow)]

    return predict


def presidio_system(nlp_model: str) -> Any:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": nlp_model}],
    })
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    # Presidio's EmailRecognizer downloads the public suffix list on first use; swap in the same
    # recogniser reading the list bundled with tldextract, so the comparison runs offline.
    from redactguard.detectors.recognizers.adjusted import OfflineEmailRecognizer

    engine.registry.remove_recognizer("EmailRecognizer")
    engine.registry.add_recognizer(OfflineEmailRecognizer())

    def predict(text: str) -> list[Span]:
        return [(r.start, r.end, r.entity_type) for r in engine.analyze(text=text, language="en")]

    return predict


def score(data: list[tuple[str, list[Span]]], predict: Any) -> tuple[dict[str, dict[str, float]], float]:
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    chars = 0
    started = time.perf_counter()
    for text, gold in data:
        chars += len(text)
        gold_m = [(s, e, LABELS[lab]) for s, e, lab in gold if LABELS.get(lab) in COMPARED]
        pred_m = [(s, e, LABELS[lab]) for s, e, lab in predict(text) if LABELS.get(lab) in COMPARED]
        for s, e, lab in pred_m:
            if any(lab == gl and s < ge and gs < e for gs, ge, gl in gold_m):
                tp[lab] += 1
            else:
                fp[lab] += 1
        for gs, ge, gl in gold_m:
            if not any(gl == lab and s < ge and gs < e for s, e, lab in pred_m):
                fn[gl] += 1
    elapsed = time.perf_counter() - started
    table = {}
    for lab in COMPARED:
        p_den, r_den = tp[lab] + fp[lab], tp[lab] + fn[lab]
        if p_den == 0 and r_den == 0:
            continue
        p = tp[lab] / p_den if p_den else 0.0
        r = tp[lab] / r_den if r_den else 0.0
        table[lab] = {"precision": round(p, 3), "recall": round(r, 3), "support": r_den}
    return table, chars / elapsed if elapsed else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="only the first N texts of each dataset")
    ap.add_argument("--presidio-nlp", default=str(REPO / "models" / "redactguard_en"))
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    datasets = {"heldout": load_heldout()}
    if SYNTH.exists():
        datasets["synth_dataset_v2"] = load_synth()
    systems = {
        "redactguard": lambda: redactguard_system("default"),
        "redactguard-patterns": lambda: redactguard_system(None),
        "presidio-default": lambda: presidio_system(args.presidio_nlp),
    }
    results: dict[str, dict[str, Any]] = {}
    for sname, make in systems.items():
        predict = make()
        for dname, data in datasets.items():
            rows = data[: args.limit] if args.limit else data
            table, speed = score(rows, predict)
            results.setdefault(dname, {})[sname] = {"labels": table, "chars_per_s": round(speed)}
    if args.markdown:
        for dname, by_system in results.items():
            print(f"\n### {dname}\n")
            print("| label | " + " | ".join(f"{s} P / R" for s in by_system) + " |")
            print("|---|" + "---|" * len(by_system))
            for lab in COMPARED:
                cells = []
                for s in by_system:
                    m = by_system[s]["labels"].get(lab)
                    cells.append(f"{m['precision']:.2f} / {m['recall']:.2f}" if m else "-")
                if any(c != "-" for c in cells):
                    print(f"| {lab} | " + " | ".join(cells) + " |")
            print("| speed (chars/s) | " + " | ".join(f"{by_system[s]['chars_per_s']:,}" for s in by_system) + " |")
    else:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

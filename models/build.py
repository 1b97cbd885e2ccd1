"""Build redactguard's spaCy pipeline: generate data, train, save, evaluate.

    python models/build.py        # from the repository root; `make model` runs the same
    python models/build.py --output /tmp/candidate   # a trial model, leaving the shipped one alone

1. Generates family-court sentences with Faker (seeded; `corpus.py`, `templates.py`), mixed in
   training with ordinary prose from Python's own documentation (`prose.py`), and writes
   models/data/train.jsonl and models/data/heldout.jsonl. The held-out split comes from other
   templates, another seed and other towns, schools and streets, and is never trained on.
2. Builds models/redactguard_en: a blank English tokenizer, an entity_ruler (`patterns.py`) and
   a small NER (hash embeddings and a CNN, no vectors) for PERSON, LOC, ORG and ADDRESS.
3. Evaluates it with `evaluate.py` on the held-out split and on presidio-research's
   synth_dataset_v2 and writes models/metrics.json.

Everything is seeded: two runs with the same spaCy, Faker and Python versions (the prose comes
from Python's documentation) give the same model and the same quality figures. Only the timings (build seconds, characters per second) vary.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import evaluate  # noqa: E402
import prose  # noqa: E402
import templates  # noqa: E402
from patterns import patterns  # noqa: E402

MODEL_DIR = HERE / "redactguard_en"
DATA_DIR = HERE / "data"
METRICS = HERE / "metrics.json"
NAME, VERSION = "redactguard_en", "0.2.0"
POSTCODE_TOKEN = r"^(?:[A-Z]{1,2}\d[A-Z\d]?|\d[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2})$"

TRAIN_SEED, HELDOUT_SEED, TRAINING_SEED = 1009, 2027, 4242
TRAIN_EXAMPLES = 14_000
HELDOUT_EXAMPLES = 2_500  # 20% of all generated examples
EPOCHS = 8
BATCH_SIZE = 32
DROPOUT = 0.15

# The NER's model: hash embeddings of NORM, PREFIX, SUFFIX and SHAPE (no vectors), a 3-layer
# CNN of width 96, and spaCy's transition-based entity decoder. Width 96 (was 64) and 10,000
# NORM rows (was 5,000) give room for the wider vocabulary of the prose negatives; the NER still
# runs at over 100k chars/s on one core here (models/README.md).
NER_MODEL = {
    "@architectures": "spacy.TransitionBasedParser.v2",
    "state_type": "ner",
    "extra_state_tokens": False,
    "hidden_width": 64,
    "maxout_pieces": 2,
    "use_upper": True,
    "nO": None,
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 96,
            "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
            "rows": [10000, 1000, 2500, 1000],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": 96,
            "depth": 3,
            "window_size": 1,
            "maxout_pieces": 3,
        },
    },
}


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def make_pipeline() -> Any:
    import spacy

    nlp = spacy.blank("en")
    # Keep a postcode's halves whole: the default suffix rules cut "G3T" into "G3" + "T".
    nlp.tokenizer.token_match = re.compile(POSTCODE_TOKEN).match
    nlp.add_pipe("entity_ruler", config={"validate": True})
    ner = nlp.add_pipe("ner", config={"model": NER_MODEL})
    for label in corpus.LABELS:
        ner.add_label(label)
    return nlp


def align(nlp: Any, rows: list[dict[str, Any]]) -> int:
    """Widen spans to token boundaries in place; return how many changed.

    A few abbreviations at a sentence end ("Stewart Ltd.", "B&Q.") are one token with the full
    stop, so the entity takes the stop too.
    """
    changed = 0
    for row in rows:
        doc = nlp.make_doc(row["text"])
        for span in row["spans"]:
            if doc.char_span(span["start"], span["end"]) is None:
                wide = doc.char_span(span["start"], span["end"], alignment_mode="expand")
                span["start"], span["end"] = wide.start_char, wide.end_char
                changed += 1
    return changed


def to_examples(nlp: Any, rows: list[dict[str, Any]]) -> list[Any]:
    from spacy.training import Example

    return [Example.from_dict(nlp.make_doc(row["text"]),
                              {"entities": [(s["start"], s["end"], s["label"]) for s in row["spans"]]})
            for row in rows]


def train(nlp: Any, examples: list[Any], epochs: int) -> Any:
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(TRAINING_SEED)
    rng = random.Random(TRAINING_SEED)
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.initialize(lambda: examples[:1000])
        for epoch in range(epochs):
            start, losses = time.perf_counter(), {}
            order = list(examples)
            rng.shuffle(order)
            for batch in minibatch(order, size=BATCH_SIZE):
                nlp.update(batch, sgd=optimizer, drop=DROPOUT, losses=losses)
            print(f"  epoch {epoch + 1}/{epochs}: loss {losses['ner']:.1f} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    return optimizer


def save(nlp: Any, optimizer: Any, model_dir: Path) -> int:
    nlp.get_pipe("entity_ruler").add_patterns(patterns())
    nlp.meta.update({
        "name": "redactguard",
        "version": VERSION,
        "description": "PERSON, LOC, ORG and ADDRESS in UK family-court documents: an entity "
                       "ruler (postcodes, address and institution shapes) and a small CNN NER "
                       "trained only on generated sentences. See models/README.md.",
        "author": "redactguard developers",
        "license": "MIT",
        "sources": [{"name": "Faker (generated training data)", "url": "https://github.com/joke2k/faker",
                     "license": "MIT"}],
    })
    if model_dir.exists():
        shutil.rmtree(model_dir)
    with nlp.use_params(optimizer.averages):
        nlp.to_disk(model_dir)
    # the folder is the package `redactguard._model` (pyproject.toml): a regular package, so that
    # an editable install finds it as well as a wheel does
    (model_dir / "__init__.py").write_text('"""The default spaCy pipeline (models/build.py); data only."""\n')
    return sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build models/redactguard_en and models/metrics.json.")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--no-speed", action="store_true", help="skip the speed measurement")
    parser.add_argument("--output", type=Path, default=MODEL_DIR,
                        help="model folder (default models/redactguard_en); a candidate built elsewhere "
                             "gets its figures in OUTPUT/../<name>.metrics.json, not models/metrics.json")
    args = parser.parse_args(argv)
    model_dir = args.output.resolve()
    metrics = METRICS if model_dir == MODEL_DIR else model_dir.parent / f"{model_dir.name}.metrics.json"

    import faker
    import spacy

    began = time.perf_counter()
    print("generating data", flush=True)
    train_rows = corpus.generate(TRAIN_EXAMPLES, TRAIN_SEED, heldout=False)
    heldout_rows = corpus.generate(HELDOUT_EXAMPLES, HELDOUT_SEED, heldout=True)
    nlp = make_pipeline()
    widened = align(nlp, train_rows) + align(nlp, heldout_rows)
    print(f"  {widened} spans widened to token boundaries", flush=True)
    write_jsonl(DATA_DIR / "train.jsonl", train_rows)
    write_jsonl(DATA_DIR / "heldout.jsonl", heldout_rows)

    print(f"training on {len(train_rows)} examples", flush=True)
    optimizer = train(nlp, to_examples(nlp, train_rows), args.epochs)
    size = save(nlp, optimizer, model_dir)
    trained = time.perf_counter() - began

    print("evaluating", flush=True)
    result = evaluate.evaluate(str(model_dir), DATA_DIR / "heldout.jsonl", evaluate.DEFAULT_SYNTH,
                               with_speed=not args.no_speed)
    result["build"] = {
        "seconds_to_train": round(trained),
        "seconds_total": round(time.perf_counter() - began),
        "model_bytes": size,
        "spacy": spacy.__version__,
        "faker": faker.VERSION,
        "python": sys.version.split()[0],
        "seeds": {"train_data": TRAIN_SEED, "heldout_data": HELDOUT_SEED, "training": TRAINING_SEED},
        "examples": {"train": len(train_rows), "heldout": len(heldout_rows)},
        "templates": {"train": sum(len(t) for t in (templates.TRAIN, templates.TRAIN_MORE, templates.TRAIN_ABROAD,
                                                     templates.TRAIN_NEGATIVE, templates.TRAIN_HARD_NEGATIVE)),
                      "heldout": len(templates.HELDOUT) + len(templates.HELDOUT_NEGATIVE)},
        "prose_sentences": len(prose.sentences()),
        "epochs": args.epochs,
    }
    metrics.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(evaluate.table(result))
    print(f"\nmodel {size / 1e6:.1f} MB at {model_dir}; built in {result['build']['seconds_total']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How legible pixel redaction leaves the rest of a scan (issue [12]).

For each scanned fixture the tool runs `redactguard.redact` for a recipient, then reads the
original and the redacted pages with the `tesseract` command (psm 3, one OpenMP thread),
each page as a reader of the file sees it: PDF pages rendered by `pdftoppm -r 300 -gray`,
pictures (image files, DOCX media, pictures inside a zip) as they are. The frames of a
multi-page TIFF are handed over one by one as lossless PNGs with the TIFF's resolution, and a
page that Tesseract's OSD (`--psm 0`) finds sideways or upside down is turned upright, the
original and the redacted copy alike, before both are read.

It counts, on each original page, the words that are not withheld: a word is withheld when its
token is one of the order's withheld spellings' tokens (case-insensitive) or when at least a
third of the paper inside its box is painted over on the redacted page. A word the paint only
grazes is still counted (a margin that eats a neighbour is exactly the harm measured), and the
grazed words are reported. The share of those words still read on the redacted page (same
token, bag-of-words counts) is printed per picture, per file and overall; the goal is >= 0.98.

    .venv/bin/python tools/legibility.py                  # fixtures/ocr and fixtures/scans
    .venv/bin/python tools/legibility.py FILE... --out legibility.json --lost

A measurement, never a timed test: tests/test_legibility.py checks one fixture. `--lost`
prints the lost words, and the words read only on the redacted page (a misreading of the
original read right after redaction counts as lost); fixtures only, their text is fictional.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence

REPO = Path(__file__).resolve().parents[1]
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
#: A redacted pixel this dark where the original was this light is paint (redactguard paints
#: in the page's ink tone, never lighter than grey 64).
PAINT_DARK, PAPER_LIGHT = 96, 150
#: A word with at least this share of its box's paper painted is under the paint (withheld):
#: a withheld word Tesseract misread, whose box also takes in a speck, has about half; a word
#: the paint grazes has a few per cent.
UNDER_PAINT = 1 / 3
#: ... and one with more than this share, but less than `UNDER_PAINT`, is grazed.
GRAZED = 0.02
GOAL = 0.98
#: Only words Tesseract read on the original with at least this confidence count (its own word
#: floor, `redactguard.ocr.confidence.WORD_FLOOR`): a word it was unsure of there ("odtoels" for
#: "visited") was not read, and may well read otherwise after any change to the page. `--all-words`
#: counts every word.
MIN_CONFIDENCE = 60.0
#: OSD's orientation confidence from which a page is turned before it is read.
OSD_CONFIDENCE = 2.0


@dataclass(frozen=True)
class Word:
    token: str
    box: tuple[int, int, int, int]
    confidence: float = 100.0


@dataclass
class PageFigures:
    """One page or picture: words counted on the original, still read on the redacted copy."""

    picture: str
    counted: int
    kept: int
    grazed: int
    under_paint: int
    lost: list[str] = field(default_factory=list)
    #: Words read on the redacted page (away from the paint) that the original did not give:
    #: a misreading of the original read right this time is "lost" by the count above.
    gained: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.kept / self.counted if self.counted else 1.0


@dataclass
class FileFigures:
    file: str
    status: str
    pages: list[PageFigures] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return sum(p.counted for p in self.pages)

    @property
    def kept(self) -> int:
        return sum(p.kept for p in self.pages)

    @property
    def share(self) -> float:
        return self.kept / self.counted if self.counted else 1.0


def token(text: str) -> str:
    """A word as compared: lower case, punctuation at its ends stripped ('' for speckle)."""
    word = re.sub(r"^[^\w]+|[^\w]+$", "", text.lower())
    return word if re.search(r"[a-z0-9]", word) else ""


def withheld_tokens(order_path: Path, recipient: str) -> set[str]:
    """Every token of every spelling of the items withheld from `recipient`."""
    import redactguard

    order = redactguard.load_order(order_path)
    return {token(part) for item in order.items if order.is_withheld(item, recipient)
            for spelling in item.spellings for part in spelling.split()} - {""}


def tesseract_words(picture: bytes) -> list[Word]:
    """The words the `tesseract` command reads in a one-page picture file, with their boxes."""
    env = {"OMP_THREAD_LIMIT": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    with tempfile.NamedTemporaryFile(suffix=".img") as handle:
        handle.write(picture)
        handle.flush()
        done = subprocess.run(["tesseract", handle.name, "-", "--psm", "3", "tsv"], capture_output=True,
                              check=True, env=env)
    words = []
    for row in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not token(cells[11]):
            continue
        left, top, width, height = (int(v) for v in cells[6:10])
        words.append(Word(token(cells[11]), (left, top, left + width, top + height), float(cells[10])))
    return words


def pages(name: str, data: bytes, work: Path) -> dict[str, bytes]:
    """What a reader of the file sees, as one-page picture files keyed by where they are."""
    suffix = Path(name).suffix.lower()
    if data[:5] == b"%PDF-":
        source = work / "doc.pdf"
        source.write_bytes(data)
        for old in work.glob("page*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(source), str(work / "page")], check=True)
        return {f"page {i}": p.read_bytes() for i, p in enumerate(sorted(work.glob("page*.png")), start=1)}
    if data[:2] == b"PK":
        found: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                if member.lower().endswith(PICTURE_SUFFIXES):
                    found.update({f"{member} {k}".strip(): v for k, v in frames(archive.read(member)).items()})
        return found
    if suffix in PICTURE_SUFFIXES or suffix == "":
        return frames(data)
    return {}


def frames(data: bytes) -> dict[str, bytes]:
    """A picture as it is, or each frame of a multi-page one as a lossless PNG at its dpi."""
    with Image.open(io.BytesIO(data)) as picture:
        count = getattr(picture, "n_frames", 1)
        if count == 1:
            return {"": data}
        dpi = picture.info.get("dpi")
        out = {}
        for number, frame in enumerate(ImageSequence.Iterator(picture), start=1):
            buffer = io.BytesIO()
            frame.copy().save(buffer, format="PNG", **({"dpi": dpi} if dpi else {}))
            out[f"frame {number}"] = buffer.getvalue()
        return out


def grey(picture: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(picture)) as image:
        return np.asarray(image.convert("L"), dtype=np.uint8)


def turn(picture: bytes) -> int:
    """Degrees (clockwise) Tesseract's OSD says the picture must turn to stand upright; 0 when
    it is upright or OSD is unsure (fixtures scanned sideways are read the right way up)."""
    env = {"OMP_THREAD_LIMIT": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    with tempfile.NamedTemporaryFile(suffix=".img") as handle:
        handle.write(picture)
        handle.flush()
        done = subprocess.run(["tesseract", handle.name, "-", "--psm", "0"], capture_output=True, env=env)
    found = dict(re.findall(r"^(Rotate|Orientation confidence): ([\d.]+)$", done.stdout.decode(), re.M))
    return int(found.get("Rotate", 0)) if float(found.get("Orientation confidence", 0)) >= OSD_CONFIDENCE else 0


def upright(picture: bytes, degrees: int) -> bytes:
    """The picture turned `degrees` clockwise, losslessly (PNG, resolution kept)."""
    if not degrees:
        return picture
    with Image.open(io.BytesIO(picture)) as image:
        dpi = image.info.get("dpi")
        buffer = io.BytesIO()
        image.rotate(-degrees, expand=True).save(buffer, format="PNG", **({"dpi": dpi} if dpi else {}))
        return buffer.getvalue()


def compare(label: str, original: bytes, redacted: bytes, withheld: set[str], min_confidence: float = MIN_CONFIDENCE) -> PageFigures:
    """Figures for one page: non-withheld words of the original, and how many still read."""
    degrees = turn(original)
    original, redacted = upright(original, degrees), upright(redacted, degrees)
    before, after = tesseract_words(original), tesseract_words(redacted)
    old, new = grey(original), grey(redacted)
    if old.shape != new.shape:
        raise SystemExit(f"{label}: the redacted page has another size ({old.shape} vs {new.shape}); cannot compare")
    paper = old >= PAPER_LIGHT
    paint = paper & (new <= PAINT_DARK)
    counted: Counter[str] = Counter()
    grazed = under = 0
    for word in before:
        x0, y0, x1, y1 = word.box
        light = int(paper[y0:y1, x0:x1].sum())
        share = int(paint[y0:y1, x0:x1].sum()) / light if light else 0.0
        if share >= UNDER_PAINT:
            under += 1
            continue
        if word.token in withheld or word.confidence < min_confidence:
            continue
        grazed += share > GRAZED
        counted[word.token] += 1
    read = Counter(w.token for w in after)
    kept = sum(min(n, read[t]) for t, n in counted.items())
    lost = sorted((counted - read).elements())
    clear = Counter(w.token for w in after if w.token not in withheld and not paint[w.box[1]:w.box[3], w.box[0]:w.box[2]].any())
    gained = sorted((clear - counted).elements())
    return PageFigures(label, sum(counted.values()), kept, grazed, under, lost, gained)


def measure(path: Path, order: Path, recipient: str, withheld: set[str], min_confidence: float = MIN_CONFIDENCE) -> FileFigures:
    """Redact `path` for `recipient` and compare every page of it."""
    import redactguard

    with tempfile.TemporaryDirectory(prefix="legibility-") as folder:
        work = Path(folder)
        output = work / "out" / path.name
        output.parent.mkdir()
        report = redactguard.redact([path], order, recipient, output=output)
        document = report.documents[0]
        figures = FileFigures(str(path.relative_to(REPO) if path.is_relative_to(REPO) else path), document.status)
        if document.status != "written":
            return figures
        originals = pages(path.name, path.read_bytes(), work)
        redacted = pages(path.name, output.read_bytes(), work)
        for label, picture in originals.items():
            if label not in redacted:  # a thumbnail the redactor drops: nothing left to read
                continue
            figures.pages.append(compare(label, picture, redacted[label], withheld, min_confidence))
    return figures


def fixtures() -> Iterator[Path]:
    """The scanned fixtures: fixtures/ocr's scans and whatever fixtures/scans holds."""
    ocr = REPO / "fixtures" / "ocr"
    yield from sorted(ocr.glob("*.pdf"))
    yield from sorted(ocr.glob("*.tif"))
    yield ocr / "scans.zip"
    yield ocr / "scanned-report.docx"
    scans = REPO / "fixtures" / "scans"
    if scans.is_dir():
        yield from sorted(p for p in scans.iterdir() if p.is_file() and p.suffix.lower() not in (".tsv", ".md", ".txt", ".json", ".yaml", ".yml"))


def print_figures(results: Iterable[FileFigures], show_lost: bool) -> None:
    counted = kept = 0
    for result in results:
        if result.status != "written":
            print(f"{result.file}: {result.status} (not measured)")
            continue
        print(f"{result.file}: {result.kept}/{result.counted} = {result.share:.3f}")
        for page in result.pages:
            print(f"  {page.picture or 'picture'}: {page.kept}/{page.counted} = {page.share:.3f}"
                  f" (grazed {page.grazed}, under paint {page.under_paint})")
            if show_lost and page.lost:
                print(f"    lost: {' '.join(page.lost)}")
            if show_lost and page.gained:
                print(f"    gained: {' '.join(page.gained)}")
        counted += result.counted
        kept += result.kept
    share = kept / counted if counted else 1.0
    print(f"overall: {kept}/{counted} = {share:.3f} (goal >= {GOAL})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="scans to measure (default: the scanned fixtures)")
    parser.add_argument("--order", type=Path, default=ORDER)
    parser.add_argument("--recipient", default="respondent")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--lost", action="store_true", help="print the words no longer read, and those read anew")
    parser.add_argument("--all-words", action="store_true", help="count the original's words read under confidence 60 too")
    args = parser.parse_args(argv)
    withheld = withheld_tokens(args.order, args.recipient)
    floor = 0.0 if args.all_words else MIN_CONFIDENCE
    results = [measure(p.resolve(), args.order, args.recipient, withheld, floor) for p in (args.files or fixtures())]
    print_figures(results, args.lost)
    if args.out:
        payload = [{**asdict(r), "share": r.share, "pages": [{**asdict(p), "share": p.share} for p in r.pages]}
                   for r in results]
        args.out.write_text(json.dumps(payload, indent=2) + "\n")
    written = [r for r in results if r.status == "written"]
    return 0 if all(p.share >= GOAL for r in written for p in r.pages) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Which characters Tesseract itself misreads in UK postcodes, house numbers and phone numbers
(issue [12]): the measurement behind the digit pairs of redactguard/ocr/confusions.py.

Pages of random lines ("27 LS6 3EX 07700 900461", "Flat 14B ...") are drawn in the fixture
fonts at 200 and 300 dpi, degraded like an office scan (small skew, speckle, light blur, JPEG
q60) or harsher (7 pt, faint toner, heavier blur, JPEG q25), and read with the same engine as
the product (`redactguard.ocr.Ocr`: tesserocr by default, psm 3; `--engine tesseract` for the
command). Speck marks at a word's edge are stripped, then the words read are aligned with the
words drawn (difflib on each page's word sequence) and, inside each block of differing words,
character by character, so that words Tesseract merged or split still count. Each position
where one character was read as another is a substitution (drawn > read); characters dropped or
added are counted as `unaligned` and not guessed at.

Prints a table of digit<->digit and digit<->letter pairs with counts and rates (per drawn
occurrence of the first character) for each resolution; `--out FILE` writes everything as JSON.
Seeded: the same machine gives the same figures. About two minutes on two cores.

    python tools/ocr_confusions.py [--pages 8] [--jobs 2] [--engine tesserocr] [--out FILE.json]
"""

from __future__ import annotations

import argparse
import collections
import difflib
import io
import json
import random
import string
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

#: The fixture fonts (fixtures/build_ocr.py), with DejaVu where Liberation is not installed.
FONTS = {
    "liberation-serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "liberation-sans": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "dejavu-serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "dejavu-sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "dejavu-serif-condensed": "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf",
}
DPIS = (200, 300)
LINES_PER_PAGE = 36
SEED = 20250412
#: Speckles read as punctuation at a word's edge (":28", "194°", "‘No."): not a misread of the word.
EDGE = ".,:;'`\"‘’“”°-_|~*^"


@dataclass(frozen=True)
class Degradation:
    """How a drawn page is made to look scanned (sizes in points, blur in pixels at 300 dpi)."""

    name: str
    size_pt: float
    ink: int
    paper: int
    max_skew: float
    blur: float
    specks: int
    quality: int


DEGRADATIONS = (
    Degradation("office", size_pt=11.0, ink=20, paper=250, max_skew=1.0, blur=0.6, specks=900,
                quality=60),
    Degradation("harsh", size_pt=7.0, ink=110, paper=228, max_skew=2.0, blur=1.5, specks=2500,
                quality=25),
)

# Postcode letters as the Royal Mail uses them (no C I K M O V in the inward code).
AREAS = ("LS", "CF", "M", "B", "SW", "NE", "BD", "HX", "WF", "G", "EH", "S", "L", "BS", "SA", "LL")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def postcode(rng: random.Random) -> str:
    district = str(rng.randrange(1, 30)) if rng.random() < 0.7 else str(rng.randrange(1, 10))
    if rng.random() < 0.1:
        district += rng.choice("ABEHMNPRVWXY")
    area = rng.choice(AREAS)
    inward = f"{rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    return f"{area}{district} {inward}"


def house(rng: random.Random) -> str:
    number = str(rng.randrange(1, 300))
    return number + rng.choice("AB") if rng.random() < 0.1 else number


def phone(rng: random.Random) -> str:
    if rng.random() < 0.6:  # Ofcom's drama ranges: mobile and Leeds/Cardiff numbers
        return f"07700 900{rng.randrange(1000):03d}"
    return rng.choice(("0113 496", "029 2018")) + f" {rng.randrange(10000):04d}"


def line(rng: random.Random) -> str:
    parts = [rng.choice(("Flat", "Unit", "No.")) + " " + house(rng)] if rng.random() < 0.3 else []
    parts += [house(rng), postcode(rng), phone(rng)]
    if rng.random() < 0.5:
        parts.append(str(rng.randrange(1, 32)) + " " + str(rng.randrange(1900, 2030)))
    return "  ".join(parts)


@dataclass(frozen=True)
class Job:
    font: str
    dpi: int
    degradation: Degradation
    page: int
    engine: str


def draw_page(job: Job, lines: list[str]) -> Image.Image:
    """The lines on an A4 page at `job.dpi`, degraded and JPEG-compressed as a scanner would."""
    rng = random.Random(f"{SEED}-{job.font}-{job.dpi}-{job.degradation.name}-{job.page}")
    deg, scale = job.degradation, job.dpi / 300
    size = (round(8.27 * job.dpi), round(11.69 * job.dpi))
    face = ImageFont.truetype(FONTS[job.font], round(deg.size_pt * job.dpi / 72))
    page = Image.new("L", size, deg.paper)
    draw = ImageDraw.Draw(page)
    step = round(deg.size_pt * job.dpi / 72 * 1.6)
    for index, text in enumerate(lines):
        draw.text((round(0.9 * job.dpi), round(0.9 * job.dpi) + index * step), text, fill=deg.ink, font=face)
    page = page.rotate(rng.uniform(-deg.max_skew, deg.max_skew), resample=Image.Resampling.BICUBIC,
                       fillcolor=deg.paper)
    draw = ImageDraw.Draw(page)
    for _ in range(round(deg.specks * scale * scale)):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        radius = rng.choice((0, 0, 1, 1, 2))
        draw.ellipse((x, y, x + radius, y + radius), fill=rng.randrange(0, 160))
    page = page.filter(ImageFilter.GaussianBlur(deg.blur * scale))
    buffer = io.BytesIO()
    page.save(buffer, format="JPEG", quality=deg.quality, dpi=(job.dpi, job.dpi))
    return Image.open(buffer)


@dataclass(frozen=True)
class Alignment:
    """What one reading gives: substitutions drawn>read, drawn characters aligned, the rest."""

    pairs: collections.Counter[str]
    seen: collections.Counter[str]
    unaligned: int


def align(truth: list[str], read: list[str]) -> Alignment:
    """Pair the characters drawn with those read (words first, then characters within them)."""
    pairs: collections.Counter[str] = collections.Counter()
    seen: collections.Counter[str] = collections.Counter()
    unaligned = 0
    words = difflib.SequenceMatcher(None, truth, read, autojunk=False)
    for op, a0, a1, b0, b1 in words.get_opcodes():
        if op == "equal":
            for word in truth[a0:a1]:
                seen.update(word)
            continue
        # Within a block of differing words, align characters: this also pairs up the words
        # Tesseract merged ("07700900461") or split, which a word-by-word match would drop.
        drawn, got = "".join(truth[a0:a1]), "".join(read[b0:b1])
        chars = difflib.SequenceMatcher(None, drawn, got, autojunk=False)
        for cop, c0, c1, d0, d1 in chars.get_opcodes():
            if cop == "equal":
                seen.update(drawn[c0:c1])
            elif cop == "replace" and c1 - c0 == d1 - d0:
                seen.update(drawn[c0:c1])
                pairs.update(f"{x}>{y}" for x, y in zip(drawn[c0:c1], got[d0:d1], strict=True))
            else:
                unaligned += c1 - c0
    return Alignment(pairs, seen, unaligned)


def read_page(job: Job) -> dict[str, object]:
    """Draw, OCR and align one page; the substitutions and counts it gives."""
    from redactguard.ocr import Ocr

    rng = random.Random(f"{SEED}-lines-{job.font}-{job.degradation.name}-{job.page}")
    lines = [line(rng) for _ in range(LINES_PER_PAGE)]
    truth = [w.strip(EDGE) for w in " ".join(lines).split()]
    page = Ocr(engine=job.engine).read(draw_page(job, lines), dpi=job.dpi)
    found = align(truth, [t for t in (w.text.strip(EDGE) for w in page.words) if t])
    return {"job": asdict(job) | {"degradation": job.degradation.name}, "pairs": dict(found.pairs),
            "seen": dict(found.seen), "chars": sum(map(len, truth)), "unaligned": found.unaligned}


def interesting(pair: str) -> bool:
    """digit<->digit and digit<->letter substitutions (what confusions.py must know about)."""
    x, y = pair.split(">")
    return (x.isdigit() or y.isdigit()) and (x.isalnum() and y.isalnum())


def measure(pages: int, jobs: int, engine: str = "tesserocr") -> dict[str, object]:
    fonts = [name for name, path in FONTS.items() if Path(path).is_file()]
    work = [Job(font, dpi, deg, page, engine) for font in fonts for dpi in DPIS
            for deg in DEGRADATIONS for page in range(pages)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(read_page, work))
    summary: dict[str, dict[str, object]] = {}
    for dpi in DPIS:
        for deg in (*[d.name for d in DEGRADATIONS], "all"):
            mine = [r for r in results  # type: ignore[index]
                    if r["job"]["dpi"] == dpi and deg in ("all", r["job"]["degradation"])]
            pairs: collections.Counter[str] = collections.Counter()
            seen: collections.Counter[str] = collections.Counter()
            for r in mine:
                pairs.update(r["pairs"])  # type: ignore[arg-type]
                seen.update(r["seen"])  # type: ignore[arg-type]
            summary[f"{dpi}dpi/{deg}"] = {
                "chars": sum(r["chars"] for r in mine),  # type: ignore[misc]
                "unaligned": sum(r["unaligned"] for r in mine),  # type: ignore[misc]
                "pairs": {p: {"count": n, "rate": round(n / seen[p[0]], 5) if seen[p[0]] else None}
                          for p, n in pairs.most_common() if interesting(p)},
                "other_pairs": {p: n for p, n in pairs.most_common() if not interesting(p)},
                "digits_seen": {d: seen[d] for d in string.digits},
            }
    return {"engine": engine, "fonts": fonts, "dpis": list(DPIS), "pages_per_case": pages,
            "lines_per_page": LINES_PER_PAGE, "degradations": [asdict(d) for d in DEGRADATIONS],
            "summary": summary}


def table(result: dict[str, object]) -> str:
    """The digit pairs as a Markdown table: one row per pair, count (rate) per resolution."""
    summary: dict[str, dict[str, dict[str, dict[str, float]]]] = result["summary"]  # type: ignore[assignment]
    keys = [k for k in summary if not k.endswith("/all")]
    pairs = sorted({p for k in keys for p in summary[k]["pairs"]},
                   key=lambda p: -sum(summary[k]["pairs"].get(p, {}).get("count", 0) for k in keys))
    out = ["| drawn > read | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    for pair in pairs:
        cells = []
        for key in keys:
            hit = summary[key]["pairs"].get(pair)
            cells.append(f"{hit['count']} ({hit['rate']:.2%})" if hit else "0")
        out.append(f"| `{pair}` | " + " | ".join(cells) + " |")
    out.append("| characters drawn (not aligned) | " + " | ".join(
        f"{summary[k]['chars']} ({summary[k]['unaligned']})" for k in keys) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=8, help="pages per font, resolution and degradation")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--engine", choices=("tesserocr", "tesseract"), default="tesserocr",
                        help="tesserocr (the product's default) or the tesseract command")
    parser.add_argument("--out", type=Path, help="also write the full result as JSON here")
    args = parser.parse_args(argv)
    result = measure(args.pages, args.jobs, args.engine)
    print(table(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

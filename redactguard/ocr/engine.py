"""Tesseract behind one small interface: a picture in, words with boxes and confidences out.

Two back-ends give the same result type: ``tesserocr`` (the library in process, the default:
see docs/ocr.md for the measurements) and ``tesseract`` (Debian's command, TSV output). Both read
the English data of Debian's ``tesseract-ocr-eng`` from a system folder and never download
anything. An `Ocr` is a small frozen value: it pickles into worker processes, and each process
(and thread) loads its own Tesseract once, on first use.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from redactguard.errors import UnreadableDocument
from redactguard.ocr.page import DEFAULT_DPI, Box, OcrLine, OcrPage, OcrWord

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = [
    "Box", "OcrWord", "OcrLine", "OcrPage", "Ocr", "OcrUnavailable", "OcrFailed",
    "INSTALL_HINT", "TESSDATA_DIRS", "find_tessdata", "parse_tsv",
]

#: What to install when Tesseract or its English data is missing (Debian and Ubuntu).
INSTALL_HINT = "install the Debian packages: apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd"

#: Where Debian, Ubuntu and Fedora put Tesseract's data, newest first. The tesserocr wheel's
#: own default is "./", the current folder, so we never rely on it: a stray eng.traineddata
#: in the folder being scanned must not become our model.
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tesseract/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)

# Tesseract's OpenMP threads would fight our worker processes for the cores (and slow down
# many-core machines badly); one thread per process, parallelism comes from --jobs.
_THREAD_ENV = {"OMP_THREAD_LIMIT": "1"}


class OcrUnavailable(UnreadableDocument):
    """Tesseract, its Python binding or its English data is missing. Says what to install."""

    def __init__(self, what: str):
        super().__init__("ocr_unavailable", f"OCR is not available ({what}): {INSTALL_HINT}")


class OcrFailed(UnreadableDocument):
    """Tesseract could not read a picture at all (a damaged image, an engine error)."""

    def __init__(self, what: str, *, page: int | None = None):
        super().__init__("read_error", f"OCR failed: {what}", page=page)


def parse_tsv(tsv: str) -> tuple[OcrWord, ...]:
    """Tesseract's TSV output (the command's ``tsv`` config or ``GetTSVText``) as words."""
    words = []
    for row in tsv.splitlines():
        cols = row.split("\t")
        # level page block par line word left top width height conf text; level 5 is a word
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = "\t".join(cols[11:]).strip()
        if not text:
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        words.append(OcrWord(
            text=text, bbox=(left, top, left + width, top + height),
            confidence=max(0.0, min(100.0, float(cols[10]))),
            block=int(cols[2]), paragraph=int(cols[3]), line=int(cols[4]),
        ))
    return tuple(words)


def find_tessdata(lang: str = "eng", override: str | None = None) -> Path:
    """The folder that holds ``<lang>.traineddata`` for each language of `lang` ("eng+cym");
    `override` (or $REDACTGUARD_TESSDATA) only."""
    names = languages(lang)
    candidates = [override] if override else [
        os.environ.get("TESSDATA_PREFIX"), *TESSDATA_DIRS]
    for folder in candidates:
        if folder and all((Path(folder) / f"{name}.traineddata").is_file() for name in names):
            return Path(folder)
    raise OcrUnavailable(f"no {'+'.join(names)} traineddata found")


def languages(lang: str) -> list[str]:
    """The languages of a Tesseract language string ("eng+cym" -> ["eng", "cym"])."""
    names = [name.strip() for name in lang.split("+")]
    if not names or not all(re.fullmatch(r"[A-Za-z_]{2,16}", name) for name in names):
        raise ValueError(f"not a Tesseract language list: {lang!r} (e.g. eng or eng+cym)")
    return names


# --------------------------------------------------------------------------- back-ends


class _Backend(Protocol):
    def read(self, image: Image, dpi: int) -> str: ...  # TSV

    def orientation(self, image: Image, dpi: int) -> int | None: ...  # OSD's turn, or None


class _Tesserocr:
    """tesserocr: libtesseract in process; the model is loaded once and reused per page."""

    def __init__(self, tessdata: Path, lang: str, psm: int):
        try:
            import tesserocr
        except ImportError as exc:
            raise OcrUnavailable("the tesserocr binding is not installed") from exc
        try:
            self._api = tesserocr.PyTessBaseAPI(path=f"{tessdata}/", lang=lang, psm=psm)
        except RuntimeError as exc:
            raise OcrUnavailable(f"Tesseract could not load {lang}") from exc
        self._tessdata = tessdata
        self._osd: Any = None  # loaded on the first unsure page

    def orientation(self, image: Image, dpi: int) -> int | None:
        from .orientation import detect_turn

        if self._osd is None:
            self._osd = _osd_api(self._tessdata)
        return detect_turn(image, dpi, osd=self._osd or None, command=None, tessdata=str(self._tessdata))

    def read(self, image: Image, dpi: int) -> str:
        # The pixels as they are: tesserocr's SetImage would encode the picture first, as a BMP,
        # or as a JPEG again (lossy) for one opened from a JPEG file. Tesseract does not copy
        # them: `pixels` lives on until Recognize is done.
        if image.mode not in ("L", "1"):
            image = image.convert("L")
        pixels = image.tobytes()
        if image.mode == "1":  # packed bits, most significant first, 1 is white: bytes_per_pixel 0
            self._api.SetImageBytes(pixels, image.width, image.height, 0, (image.width + 7) // 8)
        else:
            self._api.SetImageBytes(pixels, image.width, image.height, 1, image.width)
        self._api.SetSourceResolution(dpi)
        if not self._api.Recognize():
            raise OcrFailed("Tesseract could not recognise the picture")
        return str(self._api.GetTSVText(0))


class _TesseractCommand:
    """Debian's ``tesseract`` command with TSV output: one process per picture."""

    def __init__(self, tessdata: Path, lang: str, psm: int, path: str | None):
        command = shutil.which("tesseract", path=path)
        if command is None:
            raise OcrUnavailable("the tesseract command is not on PATH")
        self._argv = [command, "stdin", "stdout", "--tessdata-dir", str(tessdata), "-l", lang,
                      "--psm", str(psm)]
        self._env = {**os.environ, **_THREAD_ENV}
        self._command, self._tessdata = command, tessdata

    def orientation(self, image: Image, dpi: int) -> int | None:
        from .orientation import detect_turn

        has_osd = (self._tessdata / "osd.traineddata").is_file()
        return detect_turn(image, dpi, osd=None, command=self._command if has_osd else None, tessdata=str(self._tessdata))

    def read(self, image: Image, dpi: int) -> str:
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=1)
        try:
            done = subprocess.run(
                [*self._argv, "--dpi", str(dpi), "tsv"], input=buffer.getvalue(),
                capture_output=True, env=self._env, check=False,
            )
        except OSError as exc:
            raise OcrUnavailable("the tesseract command could not be started") from exc
        if done.returncode != 0:  # stderr is Tesseract's own, never document text, but unneeded
            raise OcrFailed(f"tesseract exited with status {done.returncode}")
        return done.stdout.decode("utf-8", "replace")


def _osd_api(tessdata: Path) -> Any:
    """A tesserocr handle for orientation detection, or False without osd.traineddata."""
    if not (tessdata / "osd.traineddata").is_file():
        return False
    import tesserocr

    try:
        return tesserocr.PyTessBaseAPI(path=f"{tessdata}/", lang="osd", psm=tesserocr.PSM.OSD_ONLY)
    except RuntimeError:
        return False


# --------------------------------------------------------------------------- the public value

ENGINES = ("auto", "tesserocr", "tesseract")


def _env_engine() -> str:
    return os.environ.get("REDACTGUARD_OCR_ENGINE", "auto")


def _env_tessdata() -> str | None:
    return os.environ.get("REDACTGUARD_TESSDATA") or None


@dataclass(frozen=True)
class Ocr:
    """How to run Tesseract; picklable, cheap to make, loads the engine on first `read`.

    engine: ``tesserocr``, ``tesseract`` (the command) or ``auto`` (tesserocr when installed,
    else the command); default $REDACTGUARD_OCR_ENGINE or ``auto``.
    tessdata: the folder holding ``eng.traineddata``; default $REDACTGUARD_TESSDATA, else
    $TESSDATA_PREFIX, else Debian's folders. Both are read when the value is made (in the
    parent), so workers behave alike whatever their environment.
    path: the PATH searched for the ``tesseract`` command (default: the process's PATH).
    psm: Tesseract's page segmentation mode; 3 (automatic) suits scanned pages.
    lang: Tesseract's languages, e.g. ``eng`` or ``eng+cym`` (Welsh: ``tesseract-ocr-cym``).
    orient: read an unsure page turned the way OSD says is upright (ocr/orientation.py).
    """

    engine: str = field(default_factory=_env_engine)
    tessdata: str | None = field(default_factory=_env_tessdata)
    lang: str = "eng"
    psm: int = 3
    path: str | None = None
    orient: bool = True

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"unknown OCR engine {self.engine!r}; one of {', '.join(ENGINES)}")
        languages(self.lang)

    def check(self) -> None:
        """Load the engine now; raises `OcrUnavailable` naming the packages to install."""
        _backend(self)

    def read(self, image: Image | bytes, *, dpi: int | None = None) -> OcrPage:
        """OCR one picture (a PIL image or encoded image bytes; the first frame).

        Boxes are in the picture's stored pixels (EXIF orientation is not applied), which is
        what `pixels.paint_out` paints, even when the page was read turned the right way up
        (`orient`). `dpi` overrides the picture's own resolution.
        """
        picture = prepare(image)
        resolution = dpi or picture_dpi(picture)
        backend = _backend(self)

        def read(turned: Image) -> OcrPage:
            words = parse_tsv(backend.read(turned, resolution))
            return OcrPage(width=turned.width, height=turned.height, words=words, dpi=resolution)

        if not self.orient:
            return read(picture)
        from .confidence import judge_words
        from .orientation import upright

        return upright(
            picture, read,
            sure=lambda page: _reads_well(page, picture),
            score=lambda page: judge_words(page.words).mean_confidence if page.words else 0.0,
            detect=lambda p: backend.orientation(p, resolution),
        )


def _reads_well(page: OcrPage, picture: Image) -> bool:
    """Whether a reading needs no other turn: its words are read with confidence, or there are
    none and the picture is no page of writing (a photo, a blank page). The reader's verdict
    (`judge_page`) still checks the ink of a confident reading afterwards."""
    from .confidence import EXPLAINED_INK_FLOOR, ink_explained, judge_words

    verdict = judge_words(page.words)
    if verdict.words:
        return verdict.confident
    explained = ink_explained(picture, [])
    return explained is None or explained >= EXPLAINED_INK_FLOOR


_local = threading.local()


def _backend(config: Ocr) -> _Backend:
    """The engine for `config` in this process and thread, made on first use.

    A tesserocr handle is neither fork- nor thread-safe, so the cache is per thread and is
    dropped when a forked child finds its parent's pid in it.
    """
    cache: dict[Ocr, _Backend] | None = getattr(_local, "engines", None)
    if cache is None or getattr(_local, "pid", None) != os.getpid():
        cache = _local.engines = {}
        _local.pid = os.getpid()
    backend = cache.get(config)
    if backend is None:
        backend = cache[config] = _load(config)
    return backend


def _load(config: Ocr) -> _Backend:
    for key, value in _THREAD_ENV.items():
        os.environ.setdefault(key, value)  # before libtesseract starts any OpenMP runtime
    tessdata = find_tessdata(config.lang, config.tessdata)
    if config.engine == "tesseract":
        return _TesseractCommand(tessdata, config.lang, config.psm, config.path)
    try:
        return _Tesserocr(tessdata, config.lang, config.psm)
    except OcrUnavailable:
        if config.engine == "tesserocr":
            raise
        return _TesseractCommand(tessdata, config.lang, config.psm, config.path)


def prepare(image: Image | bytes) -> Image:
    """A picture Tesseract takes as it is: greyscale or bilevel; transparency on white."""
    from PIL import Image as PILImage

    picture: Image
    if isinstance(image, bytes | bytearray):
        try:
            picture = PILImage.open(io.BytesIO(image))
            picture.load()
        except (OSError, ValueError, PILImage.DecompressionBombError) as exc:
            raise OcrFailed("the picture could not be decoded") from exc
    else:
        picture = image
    if picture.mode in ("L", "1"):
        return picture
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        rgba = picture.convert("RGBA")
        flat = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)
        return flat.convert("L")
    return picture.convert("L")


def picture_dpi(picture: Image) -> int:
    """The picture's stated resolution when plausible for a scan, else 300."""
    dpi = picture.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 150 <= value <= 1200 else DEFAULT_DPI

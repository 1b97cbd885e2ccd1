"""What the HTML report's tests look at: its pictures, its boxes, and what Tesseract reads in them."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass

from PIL import Image

from redactguard.ocr import Ocr, fold

#: The sample order's values as the bundle spells them: none may be in the report's HTML.
ORDER_SPELLINGS = ["14 cherry", "cherry tree", "headingley", "ls6 3ex", "07700", "900461", "ashworth.home",
                   "st mary", "horsforth"]
#: And the names and places of the bundle's people besides: none may be read in a thumbnail.
SPELLINGS = [*ORDER_SPELLINGS, "flat 2", "example.org", "laburnum", "wakefield", "ashworth", "jane", "lily"]
_DATA_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
#: Tesseract reads the thumbnails as they are and enlarged, where it is most likely to read.
ENLARGEMENTS = (1, 4, 8)


def pictures(html: str) -> list[bytes]:
    """The PNG bytes of every picture in the report."""
    return [base64.b64decode(m) for m in _DATA_URI.findall(html)]


@dataclass(frozen=True)
class Read:
    #: What Tesseract read, as words of three letters or digits or more: in the blurred bands it
    #: finds the odd "oo" at confidence 0, which can name nobody.
    words: list[str]
    text: str  # everything it read, short words too

    def holds(self, spelling: str) -> bool:
        return _key(spelling) in _key(self.text)


def read(picture: bytes | Image.Image, *, enlarge: int = 1) -> Read:
    """Tesseract's reading of a picture (sparse text: it looks for words anywhere)."""
    image = Image.open(io.BytesIO(picture)) if isinstance(picture, bytes) else picture
    if enlarge > 1:
        image = image.resize((image.width * enlarge, image.height * enlarge), Image.Resampling.LANCZOS)
    page = Ocr(orient=False, psm=11).read(image, dpi=72 * enlarge)
    return Read([w.text for w in page.words if sum(c.isalnum() for c in w.text) >= 3], " ".join(w.text for w in page.words))


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", fold(text).casefold())

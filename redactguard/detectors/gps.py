"""A picture's GPS position (EXIF or XMP): where a photo was taken, often where someone lives.

Generic personal data (kind `gps-position`, `review`): the readers put the position of every
picture they read in an `image-metadata` segment whose field ends in `GPSPosition`.
"""

from __future__ import annotations

from ..normalise import FlowText
from ..vocabulary import Match, Severity
from .base import Hit

__all__ = ["GpsDetector", "KIND"]

KIND = "gps-position"


class GpsDetector:
    name = "generic"

    def detect(self, flow: FlowText) -> list[Hit]:
        out = []
        for seg, start in zip(flow.segments, flow.seg_starts, strict=True):
            leaf = seg.location.leaf()
            if leaf.part == "image-metadata" and (leaf.detail or "").endswith("GPSPosition") and seg.text:
                out.append(Hit(start=start, end=start + len(seg.text), kind=KIND, match=Match.PATTERN, severity=Severity.REVIEW,
                               detector="generic", rule="gps"))
        return out

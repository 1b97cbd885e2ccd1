"""Proposed redactions for a person to review, and their decisions taken back (issue [14]).

`propose` marks every withheld match in a copy of each PDF (`/Redact` annotations, and an
XFDF) and DOCX (tracked deletions with comments) without removing anything; `apply_reviewed`
turns a reviewed copy into a true, verified redaction, in which the order's own redaction is
always applied and a reviewer can add redactions but not silently take one away.
"""

from __future__ import annotations

from .marks import AUTHOR, MARKER
from .run import INTERNAL_ONLY, PROPOSAL_LOG_SUFFIX, PROPOSED, apply_reviewed, propose

__all__ = ["propose", "apply_reviewed", "MARKER", "AUTHOR", "PROPOSED", "PROPOSAL_LOG_SUFFIX", "INTERNAL_ONLY"]

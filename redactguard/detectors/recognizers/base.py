"""One constructor for our pattern recognisers, in Presidio's convention (overridable arguments)."""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

__all__ = ["UkPatternRecognizer"]


class UkPatternRecognizer(PatternRecognizer):
    """A PatternRecognizer whose entity, patterns and context words are class attributes."""

    ENTITY: ClassVar[str] = ""
    PATTERNS: ClassVar[list[Pattern]] = []
    CONTEXT: ClassVar[list[str]] = []
    #: Presidio's default; our address and institution recognisers drop IGNORECASE (capitals matter).
    REGEX_FLAGS: ClassVar[int] = re.DOTALL | re.MULTILINE | re.IGNORECASE
    #: A cheap (stdlib `re`) pattern that every match needs within TRIGGER_REACH characters: the
    #: detector then runs the heavy patterns only on the lines around its hits. None: everywhere.
    #: Tests check, on every valid example, that the trigger never hides a match.
    TRIGGER: ClassVar[str | None] = None
    TRIGGER_REACH: ClassVar[int] = 0

    def __init__(
        self,
        patterns: list[Pattern] | None = None,
        context: list[str] | None = None,
        supported_language: str = "en",
        supported_entity: str | None = None,
        name: str | None = None,
    ):
        super().__init__(
            supported_entity=supported_entity or self.ENTITY,
            patterns=patterns if patterns else self.PATTERNS,
            context=context if context else self.CONTEXT,
            supported_language=supported_language,
            name=name or type(self).__name__,
            global_regex_flags=self.REGEX_FLAGS,
        )

    def keep(self, text: str, result: RecognizerResult) -> bool:
        """Whether a pattern match stands, given the text around it (default: always)."""
        return True

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        found = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in found if self.keep(text, r)]

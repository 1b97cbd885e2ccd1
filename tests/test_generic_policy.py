"""The default generic policy (issue [16]): whereabouts, contact details and identifiers at
`review`; people's names only where tied to one of those or where the order asks; one finding
per distinct value per document, with its count and every location.

Real scans of fixtures/generic/ (fixtures/build_generic.py: python-docx and reportlab) against
the sample case's order, recipient `respondent`. Names come from a spaCy pipeline built here
whose entity ruler surely tags them, so no assertion depends on what the project's model
happens to find; whereabouts come from the pattern recognisers (`model=None` where names do not
matter).
"""

from __future__ import annotations

import importlib.resources
import json
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

import redactguard
from redactguard.cli import main
from redactguard.decide import TIE_REACH, tie_span
from redactguard.findings import merge_results

REPO = Path(__file__).resolve().parents[1]
GENERIC = REPO / "fixtures" / "generic"
ORDER = REPO / "fixtures" / "sample-case" / "order.yaml"
UPDATE, LOG, CONTROL = GENERIC / "position-update.docx", GENERIC / "contact-log.pdf", GENERIC / "review-note.docx"

sys.path.insert(0, str(REPO / "fixtures"))
from build_generic import NEW_ADDRESS, NEW_MOBILE, NEW_SCHOOL, PARTNER, SOCIAL_WORKER  # noqa: E402

#: What no output may show in clear (the unlisted values, and the partner's name).
SECRETS = [NEW_ADDRESS, "Willow Crescent", "LS12 3QT", "LS123QT", NEW_MOBILE, "900982", NEW_SCHOOL, "Westfield", PARTNER, "Walsh"]


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A pipeline that tags every adult's name in the fixtures as PERSON (and nothing else)."""
    import spacy

    nlp = spacy.blank("en")
    patterns = [[{"LOWER": w.lower()} for w in name.split()] for name in
                ("Jane Ashworth", "Mark Ashworth", "Mr Ashworth", "Ms Ashworth", SOCIAL_WORKER, PARTNER)]
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": p} for p in patterns])
    path = tmp_path_factory.mktemp("names") / "pipeline"
    nlp.to_disk(path)
    return str(path)


def order_with(tmp_path: Path, **generic: str) -> Path:
    """The sample order with a `generic:` policy added."""
    body = yaml.safe_load(ORDER.read_text(encoding="utf-8"))
    body["generic"] = generic
    path = tmp_path / "order.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    return path


def scan_one(path: Path, order: Path = ORDER, **kw: object) -> redactguard.DocumentResult:
    return redactguard.scan(path, order, "respondent", **kw).documents[0]  # type: ignore[arg-type]


def persons(doc: redactguard.DocumentResult) -> list[redactguard.Finding]:
    return [f for f in doc.findings if f.kind == "person"]


# --------------------------------------------------------------------------- whereabouts


@pytest.mark.parametrize("path", [UPDATE, LOG], ids=["docx", "pdf"])
def test_new_address_school_and_mobile_are_each_flagged_at_review(path: Path) -> None:
    """None of the three is in the order; each is a `review` finding of its own kind."""
    doc = scan_one(path, model=None)
    found = {f.kind: f for f in doc.findings}
    assert {"address", "institution", "phone"} <= set(found)
    assert all(f.item is None and f.severity == "review" and f.match == "pattern" for f in doc.findings)
    assert doc.status == "review"


def test_the_negative_control_is_clean_with_the_projects_model() -> None:
    """Parties' names, a professional's name, the child's first name and the allowed court
    address, read by the default model: nothing to review."""
    pytest.importorskip("spacy")
    try:
        doc = scan_one(CONTROL)
    except redactguard.UsageError:
        pytest.skip("the default model is not built (make model)")
    assert doc.status == "clean", [(f.kind, f.excerpt) for f in doc.findings]


# --------------------------------------------------------------------------- names


def test_parties_names_alone_are_not_flagged_and_a_tied_name_is(names: str) -> None:
    """Every adult's name is tagged; only the new partner's, in the sentence with the new
    address, is reported. The parties' names and the social worker's (nothing beside them) are not."""
    doc = scan_one(UPDATE, model=names)
    (partner,) = persons(doc)
    assert partner.severity == "review" and "new partner" in partner.excerpt and "Walsh" not in partner.excerpt
    assert scan_one(CONTROL, model=names).status == "clean"


def test_a_name_is_tied_across_a_pdf_line_wrap(names: str) -> None:
    """The contact log's sentence naming the partner wraps over three lines before the address:
    one sentence, so the name is tied; the social worker's name alone on page 2 is not."""
    doc = scan_one(LOG, model=names)
    assert [(f.location.page, f.count) for f in persons(doc)] == [(1, 1)]


def test_the_order_can_ask_for_names(names: str, tmp_path: Path) -> None:
    """`generic: {person: review}` reports every name but the parties'."""
    order = order_with(tmp_path, person="review")
    doc = scan_one(UPDATE, order, model=names)
    assert len(persons(doc)) == 2  # the partner and the social worker; never Jane or Mark Ashworth
    control = scan_one(CONTROL, order, model=names)
    assert [f.kind for f in control.findings] == ["person"] and control.status == "review"


@pytest.mark.parametrize("policy", [{"person": "off"}, {"default": "off"}], ids=["person-off", "default-off"])
def test_the_order_can_turn_tied_names_off(names: str, tmp_path: Path, policy: dict[str, str]) -> None:
    assert persons(scan_one(UPDATE, order_with(tmp_path, **policy), model=names)) == []


def test_default_block_blocks_a_tied_name(names: str, tmp_path: Path) -> None:
    doc = scan_one(UPDATE, order_with(tmp_path, default="block"), model=names)
    assert [f.severity for f in persons(doc)] == ["block"]


def test_a_name_tied_to_a_withheld_order_item_is_reported_only_where_the_item_is(names: str, tmp_path: Path) -> None:
    """Beside the order's own address: reported for the respondent (the address is withheld from
    him), not for the court (it may see the address, so nothing beside it is reported)."""
    path = tmp_path / "note.txt"
    path.write_text(f"{PARTNER} now visits her at 14 Cherry Tree Road most weekends.\n", encoding="utf-8")
    for_respondent = redactguard.scan(path, ORDER, "respondent", model=names).documents[0]
    assert [(f.kind, f.severity) for f in for_respondent.findings] == [("person", "review"), ("address", "block")]
    assert redactguard.scan(path, ORDER, "court", model=names).documents[0].findings == ()


@pytest.mark.parametrize(
    "text, tied",
    [
        pytest.param("The mother lives with Dean Walsh at 4 Elm Street, Leeds.", True, id="same-sentence"),
        pytest.param("The mother lives with Dean Walsh and\nher son at 4 Elm Street, Leeds.", True, id="line-wrap"),
        pytest.param("Dean Walsh was there. " + "Later, " * 30 + "she moved to 4 Elm Street.", False, id="next-sentence"),
        pytest.param("Dean Walsh attended.\n\nShe lives at 4 Elm Street.", False, id="next-paragraph"),
        pytest.param("Name: Dean Walsh. Address: 4 Elm Street", True, id="same-short-line"),
        pytest.param("Dr. J. Walsh met Dean Walsh on St. Mark's Road at 4 Elm Street.", True, id="abbreviations"),
        pytest.param("Dean Walsh " + "and more words " * 40 + "4 Elm Street", False, id="beyond-reach"),
    ],
)
def test_what_a_name_is_tied_to(text: str, tied: bool) -> None:
    start = text.index("Dean Walsh")
    lo, hi = tie_span(text, start, start + len("Dean Walsh"))
    assert hi - lo <= 2 * TIE_REACH + len("Dean Walsh")
    assert ("4 Elm Street" in text[lo:hi]) is tied


# --------------------------------------------------------------------------- grouping


def _json(*args: str, exit_code: int = 0) -> dict:
    result = CliRunner().invoke(main, ["scan", *args, "--order", str(ORDER), "--recipient", "respondent",
                                       "--model", "none", "--no-progress", "--format", "json"])
    assert result.exit_code == exit_code, result.output
    return json.loads(result.stdout)


def test_a_value_mentioned_five_times_is_one_finding_with_five_locations() -> None:
    report = _json(str(LOG))
    schema = json.loads(importlib.resources.files("redactguard.report").joinpath("report.schema.json").read_text("utf-8"))
    jsonschema.validate(report, schema)
    (phone,) = [f for f in report["documents"][0]["findings"] if f["kind"] == "phone"]
    assert phone["count"] == 5 and len(phone["locations"]) == 5
    assert [loc["page"] for loc in phone["locations"]] == [1, 1, 1, 2, 2]
    assert phone["location"] == phone["locations"][0]
    assert all(set(loc) <= {"page", "part"} for loc in phone["locations"])  # places only
    assert report["summary"]["findings"] == len(report["documents"][0]["findings"])


def test_the_fingerprint_does_not_depend_on_the_count(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    prints = []
    for times in (1, 5):
        path.write_text(" ".join([f"Call {NEW_MOBILE}."] * times) + "\n", encoding="utf-8")
        (phone,) = _json(str(path))["documents"][0]["findings"]
        assert phone["count"] == times
        prints.append(phone["fingerprint"])
    assert prints[0] == prints[1]


def test_order_item_findings_stay_one_per_place(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Call 07700 900461. Then 07700 900461 again, or 07700 900461.\n", encoding="utf-8")
    findings = _json(str(path), exit_code=1)["documents"][0]["findings"]
    assert [(f["item"], f["count"]) for f in findings] == [("applicant-phone", 1)] * 3


def test_page_ranges_merge_into_one_group() -> None:
    """A big PDF is read by several workers in page ranges: the merged result still has one
    finding per value, with every range's locations."""
    scanner = redactguard.Scanner(redactguard.load_order(ORDER), "respondent", redactguard.ScanOptions(model=None))
    data = LOG.read_bytes()
    first = scanner.scan_bytes(data, "log.pdf", pages=(0, 1))
    second = scanner.scan_bytes(data, "log.pdf", pages=(1, 2), document_parts=False)
    (phone,) = [f for f in merge_results([first, second]).findings if f.kind == "phone"]
    assert phone.count == 5 and [loc.page for loc in phone.locations] == [1, 1, 1, 2, 2]


@pytest.mark.parametrize("fmt", ["text", "junit", "html", "sarif"])
def test_every_format_shows_a_repeated_value_once_with_its_count(fmt: str) -> None:
    result = CliRunner().invoke(main, ["scan", str(LOG), "--order", str(ORDER), "--recipient", "respondent",
                                       "--model", "none", "--no-progress", "--format", fmt])
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "sarif":
        (phone,) = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "generic/phone"]
        assert phone["properties"]["count"] == 5 and len(phone["locations"]) == 5
        assert [loc["physicalLocation"]["region"]["startLine"] for loc in phone["locations"]] == [1, 1, 1, 2, 2]
    else:
        assert out.count("\u00d75") == 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "html"])
def test_no_format_shows_an_unlisted_value(fmt: str, names: str) -> None:
    result = CliRunner().invoke(main, ["scan", str(GENERIC), "--order", str(ORDER), "--recipient", "respondent",
                                       "--model", names, "--no-progress", "--format", fmt])
    assert result.exit_code == 0, result.output
    flat = (result.stdout + result.stderr).lower()
    for secret in SECRETS:
        assert secret.lower() not in flat, secret


@pytest.fixture(scope="module")
def guesses(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A pipeline whose only addresses are guesses: one that runs past the street into the
    sentence, one with no house number."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": [{"LOWER": "dean"}, {"LOWER": "walsh"}]},
        {"label": "ADDRESS", "pattern": [{"TEXT": "27"}, {"LOWER": "willow"}, {"LOWER": "crescent"}, {"LOWER": "and"},
                                         {"LOWER": "collects"}]},
        {"label": "ADDRESS", "pattern": [{"LOWER": "rose"}, {"LOWER": "cottage"}]},
        {"label": "PERSON", "pattern": [{"LOWER": "pupil"}]},
        {"label": "PERSON", "pattern": [{"LOWER": "head"}, {"LOWER": "teacher"}]},
    ])
    path = tmp_path_factory.mktemp("guesses") / "pipeline"
    nlp.to_disk(path)
    return str(path)


def test_a_model_guess_never_hides_what_a_recogniser_confirmed(guesses: str, tmp_path: Path) -> None:
    """The model's address runs past the street; the recogniser's "27 Willow Crescent" inside it
    is what is reported, and it ties the name."""
    path = tmp_path / "note.txt"
    path.write_text(f"Her new partner {PARTNER} lives with her at 27 Willow Crescent and collects Lily.\n", encoding="utf-8")
    doc = redactguard.scan(path, ORDER, "respondent", model=guesses).documents[0]
    assert [(f.kind, f.match) for f in doc.findings] == [("person", "model"), ("address", "pattern")]


def test_a_name_beside_only_a_model_guess_is_not_tied(guesses: str, tmp_path: Path) -> None:
    """Two guesses together are no surer than one: the address is reported, the name is not."""
    path = tmp_path / "note.txt"
    path.write_text(f"{PARTNER} stayed at Rose Cottage over the summer.\n", encoding="utf-8")
    doc = redactguard.scan(path, ORDER, "respondent", model=guesses).documents[0]
    assert [(f.kind, f.match) for f in doc.findings] == [("address", "model")]


def test_a_role_the_model_takes_for_a_name_is_no_name(guesses: str, tmp_path: Path) -> None:
    """"Pupil" and "Head Teacher" beside a new address name nobody: only the address is
    reported (the model guessed them; a real name in the same line still is)."""
    path = tmp_path / "note.txt"
    path.write_text("Pupil at 27 Willow Crescent, Leeds LS6 2AB. Head Teacher: see 27 Willow Crescent.\n", encoding="utf-8")
    doc = redactguard.scan(path, ORDER, "respondent", model=guesses).documents[0]
    assert {f.kind for f in doc.findings} == {"address"}

    path.write_text(f"Pupil {PARTNER} at 27 Willow Crescent, Leeds LS6 2AB.\n", encoding="utf-8")
    doc = redactguard.scan(path, ORDER, "respondent", model=guesses).documents[0]
    assert "person" in {f.kind for f in doc.findings}

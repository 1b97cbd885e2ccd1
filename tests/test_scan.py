"""The library API: `redactguard.scan` over files, folders and zip bundles, into a Report."""

from __future__ import annotations

import functools
import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

import redactguard
from redactguard import DocumentResult, Finding, Location, Problem, Report, UsageError

# These tests are about the order's items; generic detection has tests of its own.
scan = functools.partial(redactguard.scan, generic=False)


def _rel(doc_path: str, root: Path) -> str:
    return (
        Path(doc_path).relative_to(root).as_posix() if doc_path.startswith(str(root)) else doc_path
    )


# --------------------------------------------------------------------------- the sample case

SAMPLE_FINDINGS_FOR_RESPONDENT = {
    ("contact-note.txt", "applicant-phone", "block", None),
    ("contact-note.txt", "applicant-email", "block", None),
    ("police-letter.pdf", "applicant-address", "block", 1),
    ("school-letters.zip!/head-teacher-letter.txt", "child-school", "block", None),
    ("social-work-report.docx", "child-school", "block", None),
    ("social-work-report.docx", "applicant-address", "block", None),
}
SAMPLE_STATUS_FOR_RESPONDENT = {
    "contact-note.txt": "blocked",
    "court-directions.pdf": "clean",
    "police-letter.pdf": "blocked",
    "school-letters.zip!/attendance.pdf": "clean",
    "school-letters.zip!/head-teacher-letter.txt": "blocked",
    "social-work-report.docx": "blocked",
}


def test_sample_bundle_for_the_respondent(bundle_dir: Path, order_path: Path) -> None:
    report = scan(bundle_dir, order_path, recipient="respondent")

    statuses = {_rel(d.path, bundle_dir): d.status for d in report.documents}
    findings = {
        (_rel(d.path, bundle_dir), f.item, f.severity, f.location.page)
        for d in report.documents
        for f in d.findings
    }
    assert statuses == SAMPLE_STATUS_FOR_RESPONDENT
    assert findings == SAMPLE_FINDINGS_FOR_RESPONDENT
    assert report.summary() == {
        "documents": 6,
        "blocked": 4,
        "review": 0,
        "clean": 2,
        "unreadable": 0,
        "findings": 6,
    }
    assert (report.case, report.recipient) == ("ZW24C00123", "respondent")
    assert report.order_sha256 == hashlib.sha256(order_path.read_bytes()).hexdigest()
    assert report.exit_code() == 1


@pytest.mark.parametrize(
    "recipient, blocked",
    [
        pytest.param("court", 0, id="court-in-disclose_to-sees-everything"),
        pytest.param("guardian", 0, id="guardian-not-in-any-withhold_from"),
        pytest.param("respondent", 4, id="respondent-is-withheld-from"),
        pytest.param(None, 4, id="no-recipient-every-withheld-item-blocks"),
    ],
)
def test_recipient_decides_what_blocks(
    recipient: str | None, blocked: int, bundle_dir: Path, order_path: Path
) -> None:
    report = scan(bundle_dir, order_path, recipient=recipient)

    assert report.summary()["blocked"] == blocked
    assert report.exit_code() == (1 if blocked else 0)


def test_allowed_court_address_is_not_flagged(bundle_dir: Path, order_path: Path) -> None:
    report = scan(
        [bundle_dir / "court-directions.pdf", bundle_dir / "police-letter.pdf"],
        order_path,
        "respondent",
    )

    directions, letter = report.documents
    assert directions.status == "clean"
    assert [f.item for f in letter.findings] == ["applicant-address"]  # not the court's address


def test_address_split_across_table_cells_is_found(bundle_dir: Path, order_path: Path) -> None:
    report = scan(bundle_dir / "social-work-report.docx", order_path, "respondent")

    address = [f for f in report.documents[0].findings if f.item == "applicant-address"]
    assert len(address) == 1
    assert address[0].severity == "block"
    assert address[0].location.part == "body"
    assert (
        "██ ██████ ████ ████, ██████████" in address[0].excerpt
    )  # "14 Cherry" | "Tree Road, Headingley"


# --------------------------------------------------------------------------- a finding


def test_finding_on_page_2_has_every_field(files_dir: Path, order_path: Path) -> None:
    report = scan(files_dir / "simple-2page.pdf", order_path, "respondent")
    doc = report.documents[0]

    assert (doc.type, doc.pages, doc.status, doc.problems) == ("pdf", 2, "blocked", ())
    (finding,) = doc.findings
    assert finding.item == "applicant-address"
    assert finding.kind == "address"
    assert finding.severity == "block"
    assert finding.match == "variant"  # "Road" for the "Rd" of the `also` spelling
    assert finding.detector == "order"
    assert finding.confidence == 1.0
    assert finding.location == Location(part="body", page=2)
    assert finding.reason == "FPR 29.1 / form C8"
    assert re.fullmatch(r"[0-9a-f]{32}", finding.fingerprint)
    assert finding.to_dict()["location"] == {"part": "body", "page": 2}


def test_excerpt_masks_the_match_and_keeps_harmless_context(
    files_dir: Path, order_path: Path
) -> None:
    (finding,) = (
        scan(files_dir / "simple-2page.pdf", order_path, "respondent").documents[0].findings
    )

    assert "visit was at ██ ██████ ████ ████, ██████████" in finding.excerpt
    assert "Cherry" not in finding.excerpt and "14" not in finding.excerpt
    assert "\n" not in finding.excerpt


@pytest.mark.parametrize(
    "name, item, page",
    [
        pytest.param(
            "encrypted-empty-password.pdf",
            "applicant-phone",
            1,
            id="pdf-opened-with-empty-password",
        ),
        pytest.param("simple.docx", "applicant-phone", None, id="docx-paragraph"),
        pytest.param("latin1.txt", "applicant-address", None, id="latin-1-text"),
        pytest.param("renamed-pdf.txt", "applicant-address", 1, id="pdf-named-txt"),
    ],
)
def test_fixture_file_finding_location(
    name: str, item: str, page: int | None, files_dir: Path, order_path: Path
) -> None:
    doc = scan(files_dir / name, order_path, "respondent").documents[0]

    assert doc.status == "blocked"
    assert [(f.item, f.location.page, f.location.part) for f in doc.findings if f.item == item] == [
        (item, page, "body")
    ]


def test_pdf_named_txt_is_reported_as_pdf(files_dir: Path, order_path: Path) -> None:
    doc = scan(files_dir / "renamed-pdf.txt", order_path, "respondent").documents[0]

    assert (doc.type, doc.pages) == ("pdf", 1)


def test_fingerprints_are_stable_across_runs(bundle_dir: Path, order_path: Path) -> None:
    def fingerprints() -> list[str]:
        report = scan(bundle_dir, order_path, "respondent")
        return [f.fingerprint for d in report.documents for f in d.findings]

    first, second = fingerprints(), fingerprints()

    assert first == second
    assert len(set(first)) == len(first) == 6


def test_fingerprints_are_keyed_by_the_order(
    tmp_path: Path, files_dir: Path, order_path: Path
) -> None:
    other_order = tmp_path / "order.yaml"
    other_order.write_text(order_path.read_text() + "# another copy\n", encoding="utf-8")

    one = scan(files_dir / "simple-2page.pdf", order_path, "respondent").documents[0].findings[0]
    two = scan(files_dir / "simple-2page.pdf", other_order, "respondent").documents[0].findings[0]

    assert one.fingerprint != two.fingerprint


# --------------------------------------------------------------------------- unreadable documents


@pytest.mark.parametrize(
    "name, code, page",
    [
        pytest.param("encrypted.pdf", "encrypted", None, id="encrypted-pdf"),
        pytest.param("truncated.pdf", "corrupt", None, id="truncated-pdf"),
        pytest.param("unsupported.bin", "unsupported_type", None, id="random-bytes"),
        pytest.param("corrupt.docx", "corrupt", None, id="docx-with-broken-xml"),
        pytest.param("image-only.pdf", "no_text_layer", 1, id="scan-without-text-layer"),
    ],
)
def test_unreadable_document_fails_closed(
    name: str, code: str, page: int | None, files_dir: Path, order_path: Path
) -> None:
    report = scan(files_dir / name, order_path, "respondent", ocr="never")
    doc = report.documents[0]

    assert doc.status == "unreadable"
    assert [(p.code, p.page) for p in doc.problems] == [(code, page)]
    assert doc.findings == ()
    assert report.exit_code() == 3


# --------------------------------------------------------------------------- folders and zips


def test_folder_is_scanned_recursively_in_a_stable_order(
    tmp_path: Path, files_dir: Path, order_path: Path
) -> None:
    root = tmp_path / "bundle"
    (root / "sub" / "deeper").mkdir(parents=True)
    # written in reverse, so directory order on disk cannot be what sorts them
    shutil.copy(files_dir / "plain.txt", root / "sub" / "deeper" / "d.txt")
    shutil.copy(files_dir / "simple-2page.pdf", root / "sub" / "c.pdf")
    shutil.copy(files_dir / "simple.docx", root / "b.docx")
    shutil.copy(files_dir / "latin1.txt", root / "a.txt")

    first = [_rel(d.path, root) for d in scan(root, order_path, "respondent").documents]
    second = [_rel(d.path, root) for d in scan(root, order_path, "respondent").documents]

    assert first == second == ["a.txt", "b.docx", "sub/c.pdf", "sub/deeper/d.txt"]


def test_paths_are_kept_in_the_order_given(files_dir: Path, order_path: Path) -> None:
    paths = [files_dir / "simple.docx", files_dir / "latin1.txt", files_dir / "plain.txt"]

    report = scan(paths, order_path, "respondent")

    assert [d.path for d in report.documents] == [str(p) for p in paths]


def test_zip_bundle_members_are_documents(bundle_dir: Path, order_path: Path) -> None:
    zpath = bundle_dir / "school-letters.zip"

    report = scan(zpath, order_path, "respondent")

    assert [d.path for d in report.documents] == [
        f"{zpath}!/attendance.pdf",
        f"{zpath}!/head-teacher-letter.txt",
    ]
    attendance, letter = report.documents
    assert (attendance.type, attendance.pages, attendance.status) == ("pdf", 1, "clean")
    assert (letter.type, letter.status) == ("text", "blocked")
    with zipfile.ZipFile(zpath) as zf:
        assert letter.sha256 == hashlib.sha256(zf.read("head-teacher-letter.txt")).hexdigest()


def test_nested_zip_member_paths(tmp_path: Path, files_dir: Path, order_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("deep/note.txt", "Please call 07700 900461 after the session.\n")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(files_dir / "simple-2page.pdf", "pages.pdf")
        zf.writestr("inner.zip", inner.getvalue())

    report = scan(outer, order_path, "respondent")

    got = [
        (d.path, d.status, [(f.item, f.location.page) for f in d.findings])
        for d in report.documents
    ]
    assert got == [
        (f"{outer}!/inner.zip!/deep/note.txt", "blocked", [("applicant-phone", None)]),
        (f"{outer}!/pages.pdf", "blocked", [("applicant-address", 2)]),
    ]


def test_document_hash_is_the_file_hash(files_dir: Path, order_path: Path) -> None:
    path = files_dir / "simple.docx"

    doc = scan(path, order_path, "respondent").documents[0]

    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_long_text_finds_each_value_once_across_reader_pieces(
    tmp_path: Path, order_path: Path
) -> None:
    filler = "nothing to see in this sentence at all. " * 1700  # ~68 KB without a line break
    text = (
        filler[:65530]
        + "14 Cherry\nTree Road, Headingley\n"
        + (filler + "\n") * 3
        + "Call 07700 900461.\n"
    )
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")

    doc = scan(path, order_path, "respondent").documents[0]

    assert sorted(f.item for f in doc.findings) == ["applicant-address", "applicant-phone"]


# --------------------------------------------------------------------------- errors and decisions


def test_unknown_recipient_is_a_usage_error(files_dir: Path, order_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown recipient 'father'"):
        scan(files_dir / "plain.txt", order_path, "father")


def test_recipient_without_order_is_a_usage_error(files_dir: Path) -> None:
    with pytest.raises(UsageError, match="--recipient needs --order"):
        scan(files_dir / "plain.txt", None, "respondent")


def test_missing_path_is_a_usage_error(tmp_path: Path, order_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        scan(tmp_path / "missing.pdf", order_path, "respondent")


def test_scan_without_order_reports_no_order(files_dir: Path) -> None:
    report = scan(files_dir / "simple-2page.pdf")

    assert (report.case, report.order_sha256, report.recipient) == (None, None, None)
    assert report.to_dict()["order"] is None
    assert all(f.item is None for d in report.documents for f in d.findings)


def _doc(name: str, *severities: str, problem: str | None = None) -> DocumentResult:
    findings = tuple(
        Finding(None, "postcode", sev, "pattern", "test", 1.0, Location(), "████", f"fp{i}")
        for i, sev in enumerate(severities)
    )
    problems = (Problem(problem, "not fully checked"),) if problem else ()
    return DocumentResult(name, "", "text", None, findings, problems)


@pytest.mark.parametrize(
    "docs, status, codes",
    [
        pytest.param([_doc("a")], ["clean"], {"block": 0, "review": 0, "never": 0}, id="clean"),
        pytest.param(
            [_doc("a", "review")],
            ["review"],
            {"block": 0, "review": 1, "never": 0},
            id="review-only",
        ),
        pytest.param(
            [_doc("a", "review", "block")],
            ["blocked"],
            {"block": 1, "review": 1, "never": 0},
            id="blocked",
        ),
        pytest.param(
            [_doc("a", problem="corrupt")],
            ["unreadable"],
            {"block": 3, "review": 3, "never": 3},
            id="unreadable-fails-closed-even-with-never",
        ),
        pytest.param(
            [_doc("a", "block", problem="corrupt")],
            ["blocked"],
            {"block": 1, "review": 1, "never": 3},
            id="blocked-and-unreadable-in-one-document",
        ),
        pytest.param(
            [_doc("a", "review", problem="corrupt")],
            ["unreadable"],
            {"block": 3, "review": 1, "never": 3},
            id="review-and-unreadable-in-one-document",
        ),
        pytest.param(
            [_doc("a", "block"), _doc("b", problem="encrypted"), _doc("c")],
            ["blocked", "unreadable", "clean"],
            {"block": 1, "review": 1, "never": 3},
            id="blocked-unreadable-clean",
        ),
    ],
)
def test_status_and_exit_code_by_fail_on(
    docs: list[DocumentResult], status: list[str], codes: dict[str, int]
) -> None:
    report = Report(tuple(docs))

    assert [d.status for d in report.documents] == status
    assert {fail_on: report.exit_code(fail_on) for fail_on in codes} == codes


def test_public_api_is_what_init_exports() -> None:
    assert redactguard.__version__ == "0.1.0"
    for name in redactguard.__all__:
        assert hasattr(redactguard, name), name


# --------------------------------------------------------------------------- known bugs


def test_stored_zip_with_a_pdf_first_has_every_member_checked(
    tmp_path: Path, bundle_dir: Path, order_path: Path
) -> None:
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_STORED) as zf:
        zf.write(bundle_dir / "court-directions.pdf", "a-directions.pdf")
        zf.writestr("b-note.txt", "Please call 07700 900461.\n")

    report = scan(bundle, order_path, "respondent")

    assert [d.path for d in report.documents] == [
        f"{bundle}!/a-directions.pdf",
        f"{bundle}!/b-note.txt",
    ]
    assert report.exit_code() == 1


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_bom_is_checked(encoding: str, tmp_path: Path, order_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("Please call 07700 900461.\n".encode(encoding))

    report = scan(path, order_path, "respondent")

    assert report.documents[0].status == "blocked"


def test_contradicted_partial_address_is_at_most_review(tmp_path: Path, order_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "The flat at 14 Cherry Tree Road, Wakefield WF1 2AB is empty.\n", encoding="utf-8"
    )

    doc = scan(path, order_path, "respondent").documents[0]

    assert doc.findings  # it is still worth a look
    assert {f.severity for f in doc.findings} == {"review"}

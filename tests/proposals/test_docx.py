"""DOCX proposals (issue [14]): each withheld match a tracked deletion by "redactguard" with
the order's reason as a comment, the marker in every header; LibreOffice accepting every change
and saving gives a file that applies clean; a rejected deletion is refused by name."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from redactguard.proposals import AUTHOR, MARKER

from .conftest import ORDER, VALUES
from .libreoffice import accept_all_changes, soffice

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def redact(*args: object) -> Result:
    from redactguard.cli import main

    return CliRunner().invoke(main, ["redact", *map(str, args), "--order", ORDER, "--recipient", "respondent"],
                              catch_exceptions=False)


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def all_text(path: Path) -> str:
    """Every w:t, w:delText and attribute text of every XML part, joined (what a recipient could dig out)."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                root = etree.fromstring(z.read(name))
                out += [el.text or "" for el in root.iter(f"{W}t", f"{W}delText")]
    return "\n".join(out)


def paragraphs(path: Path) -> list[str]:
    """The text of each body paragraph, table cells included, as a reader of the document sees it."""
    body = part(path, "word/document.xml")
    return [t for p in body.iter(f"{W}p") if (t := "".join(x.text or "" for x in p.iter(f"{W}t")))]


def test_each_withheld_match_is_a_tracked_deletion_with_its_reason(proposals: dict[str, Path]) -> None:
    body = part(proposals["docx"], "word/document.xml")
    deletions = list(body.iter(f"{W}del"))
    assert deletions and {d.get(f"{W}author") for d in deletions} == {AUTHOR}
    deleted = "|".join("".join(t.text or "" for t in d.iter(f"{W}delText")) for d in deletions)
    assert "St Mary's C of E Primary School, Horsforth" in deleted and "14 Cherry" in deleted and "Tree Road" in deleted
    assert not any(v in "".join(t.text or "" for t in body.iter(f"{W}t")) for v in ("St Mary", "Cherry"))
    comments = part(proposals["docx"], "word/comments.xml")
    said = {c.get(f"{W}id"): "".join(t.text or "" for t in c.iter(f"{W}t")) for c in comments.iter(f"{W}comment")}
    anchored = {el.get(f"{W}id") for el in body.iter(f"{W}commentRangeStart")}
    assert anchored == set(said) and len(said) == 2
    assert any("applicant-address" in s and "FPR 29.1 / form C8" in s for s in said.values())
    assert all(v.lower() not in s.lower() for s in said.values() for v in VALUES)


def test_every_section_s_header_says_proposed(proposals: dict[str, Path]) -> None:
    body = part(proposals["docx"], "word/document.xml")
    refs = [r for s in body.iter(f"{W}sectPr") for r in s.findall(f"{W}headerReference")]
    assert refs and {r.get(f"{W}type") for r in refs} >= {"default"}
    rels = part(proposals["docx"], "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for ref in refs:
        header = part(proposals["docx"], "word/" + targets[ref.get(rel)])
        assert MARKER in "".join(t.text or "" for t in header.iter(f"{W}t"))


def test_python_docx_opens_the_proposal(proposals: dict[str, Path]) -> None:
    from docx import Document

    doc = Document(str(proposals["docx"]))
    assert MARKER in doc.sections[0].header.paragraphs[0].text


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed (tools/install-system-packages.sh --test)")
def test_accepted_and_saved_by_libreoffice_it_applies_clean(proposals: dict[str, Path], tmp_path: Path) -> None:
    accepted = tmp_path / "social-work-report.proposed.docx"
    accept_all_changes(proposals["docx"], accepted, tmp_path)
    assert not list(part(accepted, "word/document.xml").iter(f"{W}del"))  # LibreOffice did accept them
    result = redact(accepted, "--apply-reviewed", "--output-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "social-work-report.docx"
    dug = all_text(out)
    assert MARKER not in dug and all(v.lower() not in dug.lower() for v in VALUES)
    with zipfile.ZipFile(out) as z:
        assert not any(AUTHOR.encode() in z.read(n) for n in z.namelist() if n.endswith(".xml"))
    direct = redact(proposals["docx-original"], "--output-dir", tmp_path / "direct")
    assert direct.exit_code == 0, direct.output
    assert paragraphs(out) == paragraphs(tmp_path / "direct" / "social-work-report.docx")
    log = json.loads((tmp_path / "out" / "social-work-report.docx.redaction.json").read_text())
    assert log["status"] == "written" and log["review"]["rejected"] == []


def rejected(proposal: Path, target: Path, value: str) -> Path:
    """The proposal as a reviewer leaves it who rejected the deletion of `value`: the w:del
    gone and its text back, the label's insertion gone (what Word and LibreOffice do)."""
    with zipfile.ZipFile(proposal) as z:
        members = {n: z.read(n) for n in z.namelist()}
    body = etree.fromstring(members["word/document.xml"])
    deletion = next(d for d in body.iter(f"{W}del") if value in "".join(t.text or "" for t in d.iter(f"{W}delText")))
    label = deletion.getprevious()
    assert label.tag == f"{W}ins"
    label.getparent().remove(label)
    for t in deletion.iter(f"{W}delText"):
        t.tag = f"{W}t"
    parent, at = deletion.getparent(), deletion.getparent().index(deletion)
    for k, run in enumerate(list(deletion)):
        parent.insert(at + k, run)
    parent.remove(deletion)
    members["word/document.xml"] = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return target


def test_a_rejected_deletion_is_refused_and_named(proposals: dict[str, Path], tmp_path: Path) -> None:
    reviewed = rejected(proposals["docx"], tmp_path / "report.proposed.docx", "St Mary")
    result = redact(reviewed, "--apply-reviewed", "--output-dir", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "rejected by the reviewer: child-school" in result.output and "applicant-address" not in result.output
    assert not (tmp_path / "out" / "report.docx").exists()
    assert all(v.lower() not in result.output.lower() for v in VALUES)

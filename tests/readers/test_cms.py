"""CMS / PKCS #7 files (`readers/cms.py`): a signed file's content is read, the signer's
certificate names are read, an encrypted one is `encrypted`. The files are made by OpenSSL
through `cryptography` (a real producer of S/MIME and .p7m files)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import redactguard
from redactguard.readers.sniff import sniff

ORDER = Path(__file__).resolve().parents[2] / "fixtures" / "sample-case" / "order.yaml"
pytest.importorskip("cryptography")


@pytest.fixture(scope="module")
def signer() -> tuple[object, object]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Leeds Family Court signing")])
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName([x509.RFC822Name("j.ashworth.home@example.org")]), critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


@pytest.fixture(scope="module")
def scanner() -> redactguard.Scanner:
    return redactguard.Scanner(redactguard.load_order(ORDER), "respondent", redactguard.ScanOptions(generic=False, model=None))


def _signed(signer: tuple[object, object], content: bytes, *, detached: bool) -> bytes:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    cert, key = signer
    options = [pkcs7.PKCS7Options.DetachedSignature] if detached else []
    return (pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(cert, key, hashes.SHA256())  # type: ignore[arg-type]
            .sign(serialization.Encoding.DER, options))


def test_a_signed_files_content_is_read(scanner: redactguard.Scanner, signer: tuple[object, object]) -> None:
    data = _signed(signer, b"Please call the mother on 07700 900461 after 5pm.\n", detached=False)
    result = scanner.scan_bytes(data, "statement.txt.p7m")

    assert sniff(data) == "pkcs7" and result.type == "pkcs7"
    phone = [f for f in result.findings if f.item == "applicant-phone"]
    assert phone and phone[0].location.to_dict()["attachment"] == "signed content"


def test_a_signers_certificate_names_are_read(scanner: redactguard.Scanner, signer: tuple[object, object]) -> None:
    data = _signed(signer, b"Nothing to add.\n", detached=True)
    result = scanner.scan_bytes(data, "smime.p7s")

    assert result.problems == ()
    assert [(f.item, f.location.part, f.location.detail) for f in result.findings] == [("applicant-email", "metadata", "certificate")]


def test_an_encrypted_file_is_encrypted(scanner: redactguard.Scanner, signer: tuple[object, object]) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "recipient")])
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(9)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    data = (pkcs7.PKCS7EnvelopeBuilder().set_data(b"Call 07700 900461").add_recipient(cert)
            .encrypt(serialization.Encoding.DER, []))
    result = scanner.scan_bytes(data, "secret.p7m")

    assert result.status == "unreadable" and [p.code for p in result.problems] == ["encrypted"]

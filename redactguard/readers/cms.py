"""CMS / PKCS #7 files (`.p7m`, `.p7s`, an S/MIME `smime.p7s` signature attached to an e-mail).

A `SignedData` that wraps its content (a `.p7m`: a signed PDF, a signed MIME message) has that
content read as an attachment ("signed content"), by its own type; the certificates a signature
carries name people and their e-mail addresses, so their subjects, issuers and alternative
names are read as `metadata` (field `certificate`). An `EnvelopedData` is encrypted for its
recipients: `encrypted`. Certificates that cannot be parsed fail closed (`corrupt`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

from ..document import Location, Segment
from ..errors import UnreadableDocument
from .base import ReadContext
from .msg_smime import ENVELOPED_DATA, SIGNED_DATA, cms_kind, signed_content

__all__ = ["CmsReader"]


class CmsReader:
    type = "pkcs7"

    def read(self, data: bytes, ctx: ReadContext) -> Iterator[Segment]:
        kind = cms_kind(data)
        if kind == ENVELOPED_DATA:
            raise UnreadableDocument("encrypted", "the file is encrypted for its recipients (CMS EnvelopedData)")
        if kind != SIGNED_DATA:
            raise UnreadableDocument("corrupt", "the signed file's structure cannot be read")
        yield from _certificates(data, ctx)
        content = signed_content(data)
        if content is not None:
            yield from ctx.read_attachment("signed content", content, Location(part="attachment"))


def _certificates(data: bytes, ctx: ReadContext) -> Iterator[Segment]:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs7

    try:
        with warnings.catch_warnings():  # BER rather than DER (Outlook's): read all the same
            warnings.simplefilter("ignore")
            certificates = pkcs7.load_der_pkcs7_certificates(data)
    except Exception as exc:  # a library's message can quote the data: its type only
        if "no certificates" in str(exc).lower():  # a signature may carry none
            return
        ctx.problem("corrupt", f"the signature's certificates cannot be read ({type(exc).__name__})",
                    location=Location(part="metadata", detail="certificate"))
        return
    for number, cert in enumerate(certificates, 1):
        texts = [cert.subject.rfc4514_string(), cert.issuer.rfc4514_string()]
        try:
            names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            texts.extend(str(value) for value in names.get_values_for_type(x509.RFC822Name))
            texts.extend(str(value) for value in names.get_values_for_type(x509.DNSName))
            texts.extend(str(value) for value in names.get_values_for_type(x509.UniformResourceIdentifier))
        except x509.ExtensionNotFound:
            pass
        for i, text in enumerate(t for t in texts if t):
            yield Segment(text, Location(part="metadata", detail="certificate"), flow=f"metadata:certificate:{number}:{i}")

"""The PDF certificate (WeasyPrint) in the holder's language, with a QR code to the public verification page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from skills4cities.credentials import selectors
from skills4cities.credentials.models import Credential


def qr_svg(url: str) -> str:
    """An inline SVG QR code (error correction M, a quiet zone of 4 modules) for ``url``."""
    return str(segno.make(url, error="m", micro=False).svg_inline(scale=4, border=4, dark="#000", light="#fff"))


def certificate_context(credential: Credential) -> dict[str, Any]:
    document = credential.document_dict
    achievement = document["credentialSubject"]["achievement"]
    url = selectors.verify_url(credential)
    lines = achievement.get("criteria", {}).get("narrative", "").splitlines()
    return {
        "credential": credential,
        "achievement": achievement,
        "criteria_intro": lines[0] if lines else "",
        "criteria": [line.removeprefix("- ") for line in lines[1:]],
        "holder_name": credential.holder_name,
        "issuer": document["issuer"],
        "verify_url": url,
        "qr": mark_safe(qr_svg(url)),  # noqa: S308 - segno's own SVG of a URL we built
        "eqf_level": credential.role.eqf_level,
    }


def _css() -> str:
    found = finders.find("credentials/certificate.css")
    return Path(str(found)).read_text(encoding="utf-8") if found else ""


def render_certificate_pdf(credential: Credential) -> bytes:
    """Rendered in the credential's language (the holder's preferred language when it was issued)."""
    from weasyprint import CSS, HTML

    with translation.override(credential.language):
        html = render_to_string("credentials/certificate.html", certificate_context(credential))
    return bytes(HTML(string=html, base_url=selectors.site_url() + "/").write_pdf(stylesheets=[CSS(string=_css())]))

"""Printable documents: the agreement and the outcome report as HTML rendered to PDF by
WeasyPrint (DESIGN §6).

The HTML is rendered from the same facts the pages show and is what the tests read; the
PDF is that HTML printed. Documents fetch nothing: no stylesheet, font or image is ever
loaded from a URL (the fetcher allows no protocol), so a document cannot leak its
existence to a server, and the print stylesheet is read from the templates.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string

PDF_CONTENT_TYPE = "application/pdf"
# WeasyPrint logs every step of every rendering at INFO; only its warnings are news.
logging.getLogger("weasyprint").setLevel(logging.WARNING)


def render_html(template: str, context: dict[str, Any]) -> str:
    return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    """Print `html` to PDF bytes, with the documents' own stylesheet and nothing fetched."""
    # Imported on first use: loading WeasyPrint (fonts, its own stylesheets) takes time
    # no other page should pay. It ships no type information; typed at this boundary.
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    fetcher = URLFetcher(allowed_protocols=frozenset())
    stylesheet = CSS(string=render_to_string("agreements/pdf/print.css"), url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[stylesheet])
    if not isinstance(pdf, bytes):
        raise TypeError("WeasyPrint returned no PDF")
    return pdf

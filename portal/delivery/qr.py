"""QR codes as inline SVG: one path of horizontal runs, no style attributes, no ids, so any
number can sit on one page under the Content-Security-Policy.

The `qrcode` package chooses the version and mask (the standard's penalty rules, so scanners
read it well); the SVG is drawn here from its matrix. Its own SVG image factory drew one square
per dark module through a drawing API, a third of a letter's time and most of its bytes
(ADR 0071); a run of modules is one `M x,y H x2 V y+1 H x z` here.
"""

from __future__ import annotations

from html import escape
from itertools import groupby

import qrcode
from markupsafe import Markup


def qr_matrix(data: str) -> list[list[bool]]:
    """The module matrix for `data` (border included), as the SVG draws it."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def _path(matrix: list[list[bool]]) -> str:
    """Each horizontal run of dark modules as one closed rectangle."""
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        for dark, run in groupby(row):
            width = sum(1 for _ in run)
            if dark:
                parts.append(f"M{x},{y}H{x + width}V{y + 1}H{x}z")
            x += width
    return "".join(parts)


def qr_svg(data: str, label: str) -> Markup:
    """An accessible inline <svg> QR code for `data`, sized by CSS (class `qr`)."""
    matrix = qr_matrix(data)
    size = len(matrix)
    return Markup(  # noqa: S704 - numbers and an escaped label only
        f'<svg class="qr" role="img" aria-label="{escape(label)}" version="1.1" '
        f'viewBox="0 0 {size} {size}" xmlns="http://www.w3.org/2000/svg">'
        f'<path d="{_path(matrix)}" fill="#000000" stroke="none"/></svg>'
    )

"""QR codes as inline SVG (the `qrcode` package's path image): no style attributes, no ids, so
any number can sit on one page under the Content-Security-Policy.
"""

from __future__ import annotations

import re
from html import escape

import qrcode
import qrcode.image.svg
from markupsafe import Markup

_ID = re.compile(r'\s+id="[^"]*"')
_SIZE = re.compile(r'\s+(width|height)="[^"]*"')


def qr_matrix(data: str) -> list[list[bool]]:
    """The module matrix for `data` (border included), as the SVG draws it."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(data: str, label: str) -> Markup:
    """An accessible inline <svg> QR code for `data`, sized by CSS (class `qr`)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    svg = _ID.sub("", svg)
    svg = _SIZE.sub("", svg, count=2)
    svg = svg.replace("<svg ", f'<svg class="qr" role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)  # noqa: S704 - built here from the library's output and an escaped label

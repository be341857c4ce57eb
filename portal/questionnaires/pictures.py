"""Pictures that form definitions show: each must exist, be small and be self-contained."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from portal.questionnaires.schema import FormDefinition

# Pictures are for children on slow data: the whole page, pictures included, stays under 60 KB.
MAX_PICTURE_BYTES = 2048
_SVG = "{http://www.w3.org/2000/svg}"
# Anything that could run code, fetch from elsewhere or pull in a font.
_FORBIDDEN = re.compile(
    r"<script|<foreignObject|<image|<iframe|@import|@font-face|<font|\bon[a-z]+\s*=|"
    r"javascript:|(?:xlink:)?href\s*=\s*[\"'](?!#)|url\(\s*[\"']?(?!#)",
    re.IGNORECASE,
)


def picture_references(form: FormDefinition) -> Iterator[tuple[str, str]]:
    """Every (where, picture path) a form refers to, including age-band variants."""
    for question in form.questions:
        where = f"{form.key}.{question.key}"
        if question.picture:
            yield where, question.picture
        for option in question.options:
            if option.picture:
                yield f"{where}.{option.key}", option.picture
        for band, variant in question.variants.items():
            for option_key, picture in variant.pictures.items():
                yield f"{where}[{band}].{option_key}", picture


def svg_problems(path: Path) -> list[str]:
    """What is wrong with one SVG file: size, scripts, outside references, no <title>."""
    data = path.read_bytes()
    problems = []
    if len(data) > MAX_PICTURE_BYTES:
        problems.append(f"is {len(data)} bytes (at most {MAX_PICTURE_BYTES})")
    text = data.decode("utf-8", errors="replace")
    found = _FORBIDDEN.search(text)
    if found:
        problems.append(f"contains {found.group(0)!r} (no scripts, fonts or outside references)")
    try:
        root = ET.fromstring(data)  # noqa: S314 - our own committed files, not user input
    except ET.ParseError as error:
        return [*problems, f"is not well-formed XML ({error})"]
    if root.tag != f"{_SVG}svg":
        problems.append("is not an SVG (root element must be <svg> in the SVG namespace)")
    elif root.find(f"{_SVG}title") is None or not root.findtext(f"{_SVG}title", "").strip():
        problems.append("has no <title> (screen readers and translators need one)")
    return problems


def picture_problems(forms: Iterable[FormDefinition], image_dir: Path) -> list[str]:
    """Every problem with the pictures the forms refer to, one line each."""
    problems = []
    checked: dict[str, list[str]] = {}
    for form in forms:
        for question in form.questions:
            for band, variant in question.variants.items():
                unknown = sorted(set(variant.pictures) - set(question.option_keys))
                if unknown:
                    problems.append(
                        f"{form.key}.{question.key}[{band}]: pictures for unknown options: "
                        + ", ".join(unknown)
                    )
            if question.type == "feelings":
                bare = [option.key for option in question.options if not option.picture]
                if bare:
                    problems.append(
                        f"{form.key}.{question.key}: a feelings question needs a picture for "
                        f"every option; missing for {', '.join(bare)}"
                    )
        for where, picture in picture_references(form):
            path = image_dir / picture
            if picture not in checked:
                checked[picture] = svg_problems(path) if path.is_file() else ["does not exist"]
            problems.extend(f"{where}: {picture} {problem}" for problem in checked[picture])
    return problems

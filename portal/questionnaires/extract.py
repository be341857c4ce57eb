"""Babel extractor for forms/*.yaml: every string a respondent reads, with where it comes from.

Registered in pyproject.toml under `[project.entry-points."babel.extractors"]` as `portal_forms`
and used by babel.cfg, so `pybabel extract` puts form text in the same messages.pot as the
templates. Each message carries a translator comment naming the form, page, question, option and
age band, and the line number of the YAML node it came from.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml

# (line, function name, message, translator comments): Babel's extractor protocol.
Extracted = tuple[int, str | None, str, list[str]]

QUESTION_TEXT_FIELDS = ("label", "named_label", "help", "min_label", "max_label")
VARIANT_TEXT_FIELDS = ("label", "help")


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    """A YAML mapping node's values by (string) key; empty for anything else."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): value for key, value in node.value}


def _sequence(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _scalar(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value.strip():
        return node.value
    return None


def _text(node: yaml.Node | None, context: str) -> Iterator[Extracted]:
    """One message for a scalar node, at its own line."""
    value = _scalar(node)
    if value is not None and node is not None:
        # Folded scalars (`>-`) are composed with their final text, which is what the app shows.
        yield node.start_mark.line + 1, None, value, [context]


def _bands_label(bands: Collection[str]) -> str:
    return "ages " + ", ".join(bands) if bands else "all ages (adults' form)"


def _question_messages(question: yaml.Node, where: str, bands: str) -> Iterator[Extracted]:
    """A question's label, help, scale ends, options and every age-band variant."""
    fields = _mapping(question)
    key = _scalar(fields.get("key")) or "?"
    where = f"{where} / question {key}"
    for name in QUESTION_TEXT_FIELDS:
        yield from _text(fields.get(name), f"form: {where} / {name} ({bands})")
    for option in _sequence(fields.get("options")):
        option_fields = _mapping(option)
        option_key = _scalar(option_fields.get("key")) or "?"
        yield from _text(
            option_fields.get("label"), f"form: {where} / option {option_key} ({bands})"
        )
    for band_node, variant in _mapping_items(fields.get("variants")):
        band = f"age band {band_node}"
        variant_fields = _mapping(variant)
        for name in VARIANT_TEXT_FIELDS:
            yield from _text(variant_fields.get(name), f"form: {where} / {name} ({band})")
        for option_key, label in _mapping_items(variant_fields.get("options")):
            yield from _text(label, f"form: {where} / option {option_key} ({band})")


def _mapping_items(node: yaml.Node | None) -> Iterator[tuple[str, yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield str(key.value), value


def messages_from_yaml(text: str) -> Iterator[Extracted]:
    """Every translatable string of one form definition, in document order."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    fields = _mapping(root)
    form_key = _scalar(fields.get("key")) or "?"
    bands = _bands_label(
        [value for node in _sequence(fields.get("age_bands")) if (value := _scalar(node))]
    )
    for name in ("title", "intro"):
        yield from _text(fields.get(name), f"form: {form_key} / {name} ({bands})")
    for page in _sequence(fields.get("pages")):
        page_fields = _mapping(page)
        where = f"{form_key} / page {_scalar(page_fields.get('key')) or '?'}"
        yield from _text(page_fields.get("title"), f"form: {where} / title ({bands})")
        for question in _sequence(page_fields.get("questions")):
            yield from _question_messages(question, where, bands)


def extract_forms(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel extraction method for form definitions (see module docstring)."""
    encoding = options.get("encoding", "utf-8")
    yield from messages_from_yaml(fileobj.read().decode(encoding))

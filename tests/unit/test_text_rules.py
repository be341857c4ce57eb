"""The one rule for what single-line fields and free text may hold."""

import pytest

from portal.text_rules import free_text_problem, is_single_line, single_line_problem


@pytest.mark.parametrize("value", ["AB/123", "Maya O'Neil", "Zoë", "مريم", "ref 12\t"[:-1]])
def test_ordinary_text_is_single_line(value: str) -> None:
    assert is_single_line(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("AB\r\n123", "line break"),
        ("AB\n123", "line break"),
        ("AB\u2028123", "line break"),
        ("AB\x00", "control character"),
        ("AB\x1b[31m", "control character"),
        ("AB\t1", "control character"),
    ],
)
def test_breaks_and_controls_are_refused_in_single_line_fields(value: str, reason: str) -> None:
    assert single_line_problem(value) == reason


def test_free_text_keeps_line_breaks_but_refuses_nul() -> None:
    assert free_text_problem("first line\r\nsecond\tline") is None
    assert free_text_problem("before\x00after") == "control character"

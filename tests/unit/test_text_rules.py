"""The one rule for what single-line fields and free text may hold."""

import pytest

from portal.rules.text import (
    free_text_problem,
    is_single_line,
    shown_on_one_line,
    single_line_problem,
    without_control_characters,
)


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


def test_a_legacy_value_is_shown_on_one_line_with_its_controls_escaped() -> None:
    assert shown_on_one_line("C-1\r\nBcc: x") == "C-1\\r\\nBcc: x"
    assert shown_on_one_line("Zoë\x00\u2028") == "Zoë\\x00\\u2028"
    assert shown_on_one_line("Zoë O'Neil") == "Zoë O'Neil"


def test_refused_free_text_is_shown_back_without_the_hidden_characters() -> None:
    assert without_control_characters("I am\x00 fine\x1b\r\n\tok") == "I am fine\r\n\tok"
    assert without_control_characters("مريم") == "مريم"

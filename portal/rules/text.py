"""What text may contain when it crosses a boundary (staff forms, imports, respondent answers).

Single-line values (case references, names, email addresses, venues) end up in email headers, log
lines, CSV cells and filenames, where a line break or another control character breaks the format
or injects into it. Free text may span lines but never holds NUL, which PostgreSQL's text and JSON
types refuse outright.
"""

from __future__ import annotations

import unicodedata

# Line and paragraph separators are not in Unicode category Cc but break lines all the same.
_LINE_BREAKERS = frozenset("\u2028\u2029\u0085")


def single_line_problem(value: str) -> str | None:
    """Why `value` cannot be stored as a single-line field, or None when it can."""
    for character in value:
        if character in "\r\n" or character in _LINE_BREAKERS:
            return "line break"
        if unicodedata.category(character) == "Cc":
            return "control character"
    return None


def is_single_line(value: str) -> bool:
    """True when `value` has no line break and no other control character."""
    return single_line_problem(value) is None


def free_text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as free text (NUL and other non-whitespace controls)."""
    for character in value:
        if character in "\n\r\t":
            continue
        if unicodedata.category(character) == "Cc":
            return "control character"
    return None


def without_control_characters(value: str) -> str:
    """Free text with what free_text_problem refuses taken out: a refused answer is shown back
    for correction without the character (an HTML page cannot carry NUL)."""
    if free_text_problem(value) is None:
        return value
    return "".join(character for character in value if free_text_problem(character) is None)


def shown_on_one_line(value: str) -> str:
    """`value` with each line break or control character written as its escape (\\r, \\x00).

    For legacy values stored before the boundaries refused them: they can still be shown in a
    header or a log line without breaking it, and a person can see what is wrong.
    """
    if is_single_line(value):
        return value
    return "".join(
        repr(character)[1:-1] if not is_single_line(character) else character for character in value
    )


ADDRESS_LINES = 7  # what a C5/DL window envelope shows below the name
ADDRESS_LINE_LENGTH = 80


def postal_address(text: str) -> tuple[str | None, str | None]:
    """An address as stored and printed (trimmed lines joined by newlines; None when blank), or
    why it cannot go in a window envelope. Lines may come as Excel or a browser sends them.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return None, None
    if len(lines) > ADDRESS_LINES:
        return (
            None,
            f"postal_address has {len(lines)} lines; a window envelope shows {ADDRESS_LINES}",
        )
    for line in lines:
        problem = single_line_problem(line)
        if problem:
            return None, f"postal_address holds a {problem}"
        if len(line) > ADDRESS_LINE_LENGTH:
            return None, f"postal_address has a line longer than {ADDRESS_LINE_LENGTH} characters"
    return "\n".join(lines), None

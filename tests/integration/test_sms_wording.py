"""Every text in every catalogue fits two SMS fragments (GSM-7 160/153 with extension
characters counting two; otherwise UCS-2 70/67), with the longest date and a long address."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from portal.config import LANGUAGES
from portal.delivery.texts import MAX_FRAGMENTS, compose_text, fragments
from portal.models import Invitation

LONG_ADDRESS = "https://review-voice.cheshireeast.gov.uk/q"  # a council's own, longer than most
CODE = "ABCD-EFGH"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters count two septets
        ("€" * 81, 2),
        ("ب" * 70, 1),
        ("ب" * 71, 2),
        ("ب" * 134, 2),
        ("ب" * 135, 3),
        ("a" * 150 + "ŵ", 3),  # one Welsh ŵ makes the whole text UCS-2
    ],
)
def test_fragments_count_as_phones_do(text, expected):
    assert fragments(text) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_fits_two_fragments(app, language):
    worst: list[tuple[int, str]] = []
    with app.app_context(), app.test_request_context():
        for stage, role, reminder, month in itertools.product(
            ("consultation", "feedback"), ("child", "parent"), (False, True), range(1, 13)
        ):
            invitation = Invitation(
                stage=stage, role=role, language=language, review_date=dt.date(2027, month, 28)
            )
            text = compose_text(invitation, reminder=reminder, short_code=CODE,
                                code_url=LONG_ADDRESS)  # fmt: skip
            assert CODE in text and LONG_ADDRESS in text
            worst.append((fragments(text), text))
    count, text = max(worst)
    assert count <= MAX_FRAGMENTS, f"{language}: {count} fragments: {text!r}"

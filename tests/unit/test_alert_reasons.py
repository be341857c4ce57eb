"""Why an alert was raised is read from the keys it is stored under, and each reason has its words."""

from __future__ import annotations

import pytest

from portal.models import (
    ALERT_REASONS,
    ALERT_WORDS,
    HELP_OPTION_KEY,
    HELP_QUESTION_KEY,
    SafeguardingAlert,
)
from portal.rules.alert_reasons import REASON_LABELS


@pytest.mark.parametrize(
    ("question_key", "option_key", "reason"),
    [
        ("feel_safe", "not_safe", "answer"),
        ("worries_topics", "being_hurt", "answer"),
        ("worries", ALERT_WORDS, "words"),
        ("feel_safe_more", ALERT_WORDS, "words"),
        (HELP_QUESTION_KEY, HELP_OPTION_KEY, "help"),
    ],
)
def test_the_reason_is_read_from_the_keys(question_key, option_key, reason):
    alert = SafeguardingAlert(question_key=question_key, option_key=option_key)
    assert alert.reason == reason


def test_an_option_key_that_only_looks_like_words_is_an_answer():
    assert SafeguardingAlert(question_key="worries", option_key="words").reason == "answer"


def test_every_reason_has_its_labels_and_only_an_answer_goes_without_a_tag():
    assert set(REASON_LABELS) == set(ALERT_REASONS)
    untagged = [reason for reason, labels in REASON_LABELS.items() if labels.tag is None]
    assert untagged == ["answer"]


def test_only_asking_for_help_is_named_in_the_email_subject():
    notes = {reason: labels.email_subject_note for reason, labels in REASON_LABELS.items()}
    assert notes == {"help": " (asked for help)", "words": "", "answer": ""}

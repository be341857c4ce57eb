"""`more_about`: a text box tells more about an earlier question; about a safety question, its
words raise an alert (ADR 0066). The schema refuses a link that cannot mean that."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from portal.questionnaires import FormDefinition

SAFETY = {
    "key": "safe",
    "type": "choice",
    "label": "Do you feel safe?",
    "options": [{"key": "yes", "label": "Yes"}, {"key": "no", "label": "No", "alert": True}],
}
PLAIN = {
    **SAFETY,
    "key": "school",
    "options": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}],
}
MORE = {"key": "more", "type": "text", "label": "Tell us more", "more_about": "safe"}


def definition(*questions: dict) -> FormDefinition:
    return FormDefinition.model_validate(
        {
            "key": "f", "version": 1, "stage": "feedback", "roles": ["child"],
            "review_kinds": ["cared_for"], "title": "T", "intro": "I",
            "pages": [{"key": "p", "questions": list(questions)}],
        }
    )  # fmt: skip


def test_a_text_box_about_a_safety_question_is_its_safety_box():
    form = definition(SAFETY, MORE, {**MORE, "key": "other", "more_about": None})
    assert form.tells_more_about_safety(form.question("more"))
    assert not form.tells_more_about_safety(form.question("other"))
    assert not form.tells_more_about_safety(form.question("safe"))


def test_a_text_box_about_a_question_with_no_alert_is_not_a_safety_box():
    form = definition(PLAIN, {**MORE, "more_about": "school"})
    assert not form.tells_more_about_safety(form.question("more"))


@pytest.mark.parametrize(
    "questions",
    [
        (MORE, SAFETY),  # names a later question
        (SAFETY, {**MORE, "more_about": "missing"}),
        (
            SAFETY,
            {**MORE, "key": "t1", "more_about": "safe"},
            {**MORE, "key": "t2", "more_about": "t1"},
        ),
        (SAFETY, {**SAFETY, "key": "again", "more_about": "safe"}),  # not a text box
    ],
)
def test_more_about_must_name_an_earlier_question_with_answers_from_a_text_box(questions):
    with pytest.raises(ValidationError, match="more_about"):
        definition(*questions)

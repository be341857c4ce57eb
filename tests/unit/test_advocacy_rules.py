"""The rules of advocacy options (forms as data) and of the settings that say where to get one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portal.models import AdvocacyRequest
from portal.questionnaires import FormDefinitionError, load_directory, load_file
from portal.rules import settings
from portal.rules.advocacy import advocacy_choice, referral_date_problem

FORMS = Path(__file__).resolve().parents[2] / "forms"
FORM = """\
key: sample
version: 1
stage: consultation
roles: [{roles}]
review_kinds: [cared_for]
title: A form
intro: Hello
pages:
  - key: one
    questions:
      - key: take_part
        type: multi
        label: How would you like to take part?
        options:
          - {{key: attend, label: "Come to the meeting"}}
          - {{key: advocate, label: "Have an advocate", advocacy: true{extra}}}
"""


def sample(tmp_path: Path, roles: str = "child", extra: str = ""):
    path = tmp_path / "sample.yaml"
    path.write_text(FORM.format(roles=roles, extra=extra))
    return load_file(path)


def test_exactly_these_options_ask_for_an_advocate():
    # who_should_come.advocate is who the young person wants in the room (read on the digest when
    # inviting), not a request to be referred: ADR 0057.
    marked = {
        (form.key, question.key, option.key)
        for form in load_directory(FORMS).values()
        for question in form.questions
        for option in question.options
        if option.advocacy
    }
    assert marked == {
        ("child_consultation", "take_part", "advocate"),
        ("care_leaver_consultation", "take_part", "advocate"),
        ("care_leaver_feedback_not_attended", "next_time", "advocate"),
    }


def test_a_young_persons_form_may_have_an_advocacy_option(tmp_path):
    form = sample(tmp_path, roles="child, care_leaver")
    assert advocacy_choice(form, {"take_part": ["attend", "advocate"]}) == ("take_part", "advocate")
    assert advocacy_choice(form, {"take_part": ["attend"]}) is None
    assert advocacy_choice(form, {}) is None


def test_an_adults_form_may_not_ask_for_an_advocate(tmp_path):
    with pytest.raises(FormDefinitionError, match="advocacy options are for young people's forms"):
        sample(tmp_path, roles="child, parent")


def test_an_option_is_an_alert_or_an_advocacy_request_not_both(tmp_path):
    with pytest.raises(FormDefinitionError, match="either alert or advocacy"):
        sample(tmp_path, extra=", alert: true")


def test_a_referral_is_not_in_the_future_nor_before_the_young_person_asked():
    asked = AdvocacyRequest(created_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    today = dt.date(2026, 3, 10)
    assert referral_date_problem(asked, dt.date(2026, 3, 2), today) == ""
    assert referral_date_problem(asked, today, today) == ""
    assert referral_date_problem(asked, dt.date(2026, 3, 11), today) == "future"
    assert referral_date_problem(asked, dt.date(2026, 3, 1), today) == "before_request"


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("advocacy_phone", "0800 123 4567", True),
        ("advocacy_phone", "+44 800 123 4567", True),
        ("advocacy_phone", "999", True),
        ("advocacy_phone", "12", False),
        ("advocacy_phone", "0800-123", False),
        ("advocacy_phone", "44+800", False),
        ("advocacy_phone", "call us", False),
        ("advocacy_url", "https://advocacy.example.org/young-people", True),
        ("advocacy_url", "http://advocacy.example.org", False),
        ("advocacy_url", "https://", False),
        ("advocacy_url", "advocacy.example.org", False),
        ("team_email", "iro.team@council.example", True),
        ("team_email", "iro team", False),
        ("advocacy_name", "x" * 121, False),
        ("advocacy_url", "", True),  # empty means "not set"
    ],
)
def test_each_setting_is_checked_by_its_kind(app, key, value, ok):
    with app.test_request_context():
        assert (settings.problem(settings.BY_KEY[key], value) is None) is ok


def test_a_phone_becomes_a_tel_link_without_spaces():
    service = settings.ContactPoint("Speak Up", "+44 800 123 4567")
    assert service.tel_href == "tel:+448001234567"
    assert settings.ContactPoint("Speak Up").tel_href == ""


def test_settings_are_declared_in_groups_the_screen_shows_in_order():
    groups = [(str(name), [spec.key for spec in specs]) for name, specs in settings.groups()]
    assert groups == [
        ("Advocacy service", ["advocacy_name", "advocacy_phone", "advocacy_url"]),
        ("Team contact", ["team_name", "team_phone", "team_email", "team_address"]),
    ]

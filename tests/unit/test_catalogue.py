"""The shipped form catalogue (forms/*.yaml): fixed keys, defaults, age bands and safeguarding."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.questionnaires import FormCatalogue, FormDefinition, load_directory

FORMS = Path(__file__).resolve().parents[2] / "forms"
CATALOGUE = FormCatalogue(load_directory(FORMS))

YES_NO = ("yes", "no")
YES_NO_NOT_SURE = ("yes", "no", "not_sure")
LENGTH = ("too_short", "about_right", "too_long")
YES_SOME_NO = ("yes", "some", "no")

# The feedback keys the issue fixes (reports and imports depend on them), in order:
# question key -> (type, option keys or None, show_if (question, value) or None).
CARER_KEYS = {
    "received_form": ("choice", YES_NO, None),
    "completed_form": ("choice", YES_NO, ("received_form", "yes")),
    "convenient": ("choice", YES_NO, None),
    "shared_views": ("choice", YES_NO, None),
    "focused_on_child": ("choice", YES_NO, None),
    "length": ("choice", LENGTH, None),
    "young_person_engaged": ("choice", ("well", "partly", "not_at_all", "did_not_attend"), None),
    "comments": ("text", None, None),
}
PARENT_KEYS = {key: spec for key, spec in CARER_KEYS.items() if key != "young_person_engaged"}
FIXED = {
    "child_feedback": {
        "sent_form": ("choice", YES_NO_NOT_SURE, None),
        "filled_in": ("choice", YES_NO, ("sent_form", "yes")),
        "views_asked": ("choice", YES_NO, None),
        "right_things": ("choice", YES_NO_NOT_SURE, None),
        "said_what_wanted": ("feelings", YES_NO, None),
        "listened_to": ("feelings", YES_NO, None),
        "anyone_missing": ("choice", YES_NO, None),
        "who_missing": (
            "multi",
            ("family", "friend", "professional", "other"),
            ("anyone_missing", "yes"),
        ),
        "length": ("choice", LENGTH, None),
        "anyone_shouldnt": ("choice", YES_NO, None),
        "iro_listening": ("scale", None, None),
        "next_review": ("choice", YES_NO_NOT_SURE, None),
        "comments": ("text", None, None),
    },
    "carer_feedback": CARER_KEYS,
    "parent_feedback": PARENT_KEYS,
    "parent_of_care_leaver_feedback": PARENT_KEYS,
    "meeting_feedback": {
        "role": ("choice", ("child", "parent", "carer", "professional", "other"), None),
        "read_reports": ("choice", YES_SOME_NO, None),
        "purpose_clear": ("choice", YES_SOME_NO, None),
        "decisions_clear": ("choice", YES_SOME_NO, None),
        "length": ("choice", LENGTH, None),
        "chairing": ("choice", ("outstanding", "good", "satisfactory", "inadequate"), None),
        "comments": ("text", None, None),
    },
}
# Questions added to a fixed form on purpose, beyond the issue's list.
ADDED = {"child_feedback": {"feel_safe", "feel_safe_more"}}

# The form each invitation gets by default, for every (stage, role, review kind) a council uses.
DEFAULTS = {
    ("consultation", "child", "cared_for"): "child_consultation",
    ("consultation", "parent", "cared_for"): "parent_consultation",
    ("consultation", "carer", "cared_for"): "carer_consultation",
    ("consultation", "health", "cared_for"): "health_consultation",
    ("consultation", "education", "cared_for"): "education_consultation",
    ("consultation", "guardian", "cared_for"): "guardian_consultation",
    ("consultation", "care_leaver", "pathway_plan"): "care_leaver_consultation",
    ("consultation", "parent", "pathway_plan"): "parent_consultation",
    ("consultation", "carer", "pathway_plan"): "carer_consultation",
    ("consultation", "health", "pathway_plan"): "health_consultation",
    ("consultation", "education", "pathway_plan"): "education_consultation",
    ("feedback", "child", "cared_for"): "child_feedback",
    ("feedback", "parent", "cared_for"): "parent_feedback",
    ("feedback", "carer", "cared_for"): "carer_feedback",
    ("feedback", "health", "cared_for"): "meeting_feedback",
    ("feedback", "education", "cared_for"): "meeting_feedback",
    ("feedback", "guardian", "cared_for"): "meeting_feedback",
    ("feedback", "care_leaver", "pathway_plan"): "care_leaver_feedback_attended",
    ("feedback", "parent", "pathway_plan"): "parent_of_care_leaver_feedback",
    ("feedback", "carer", "pathway_plan"): "carer_feedback",
    ("feedback", "health", "pathway_plan"): "meeting_feedback",
    ("feedback", "education", "pathway_plan"): "meeting_feedback",
}

CHILDREN = ("child_consultation", "child_feedback")
CARE_LEAVERS = (
    "care_leaver_consultation",
    "care_leaver_feedback_attended",
    "care_leaver_feedback_not_attended",
)
YOUNG_PEOPLE = CHILDREN + CARE_LEAVERS
ADULTS = tuple(form.key for form in CATALOGUE if form.key not in YOUNG_PEOPLE)


def form(key: str) -> FormDefinition:
    found = CATALOGUE.get(key)
    assert found is not None, f"forms/{key}.yaml is missing"
    return found


def test_the_catalogue_holds_every_form_the_issue_names():
    assert set(CATALOGUE.forms) == {
        *FIXED,
        *CARE_LEAVERS,
        "child_consultation",
        "parent_consultation",
        "carer_consultation",
        "health_consultation",
        "education_consultation",
        "guardian_consultation",
    }


@pytest.mark.parametrize("key", sorted(FIXED))
def test_fixed_feedback_forms_keep_the_issues_question_and_option_keys(key):
    definition = form(key)
    fixed = FIXED[key]
    asked = [q.key for q in definition.questions if q.key not in ADDED.get(key, set())]
    assert asked == list(fixed)
    for question_key, (kind, options, show_if) in fixed.items():
        question = definition.question(question_key)
        assert question.type == kind, question_key
        if options is not None:
            assert question.option_keys == options, question_key
        condition = question.show_if
        assert (condition and (condition.question, *condition.equals)) == show_if, question_key


def test_child_feedback_rates_the_iro_from_1_to_10():
    question = form("child_feedback").question("iro_listening")
    assert (question.min, question.max) == (1, 10)


@pytest.mark.parametrize(("stage", "role", "review_kind"), sorted(DEFAULTS))
def test_every_invitation_a_council_sends_has_the_right_default_form(stage, role, review_kind):
    chosen = CATALOGUE.choose(stage, role, review_kind)
    assert chosen is not None and chosen.key == DEFAULTS[stage, role, review_kind]


def test_staff_can_choose_the_not_attended_form_for_a_care_leaver():
    offered = [f.key for f in CATALOGUE.matching("feedback", "care_leaver", "pathway_plan")]
    assert offered[:2] == ["care_leaver_feedback_attended", "care_leaver_feedback_not_attended"]


def test_every_form_serves_at_least_one_pair_councils_use():
    used = set(DEFAULTS.values()) | {"care_leaver_feedback_not_attended"}
    assert used == set(CATALOGUE.forms)


def test_care_leaver_feedback_uses_child_feedback_keys_with_the_same_meaning():
    child = form("child_feedback")
    for key in CARE_LEAVERS[1:]:
        shared = [q for q in form(key).questions if child.question(q.key)]
        assert len(shared) >= 5, key
        for question in shared:
            assert question.option_keys == child.question(question.key).option_keys, question.key


def test_the_not_attended_form_asks_why_and_how_to_take_part_next_time():
    definition = form("care_leaver_feedback_not_attended")
    assert definition.question("why_not").type == "multi"
    next_time = definition.question("next_time").option_keys
    assert {"attend", "chair", "co_chair", "advocate", "online"} <= set(next_time)


@pytest.mark.parametrize("key", CHILDREN)
def test_childrens_forms_have_wording_for_every_band_and_one_screen_per_question_under_8(key):
    definition = form(key)
    assert definition.age_bands == ["4-7", "8-11", "12-17"]
    bands = {band for q in definition.questions for band in q.variants}
    assert {"4-7", "12-17"} <= bands  # 8-11 is the main wording
    youngest = [q for q in definition.questions if "4-7" in q.variants]
    assert len(youngest) >= 0.8 * len(definition.questions)
    assert definition.one_question_per_page_for("4-7")
    assert not definition.one_question_per_page_for("8-11")
    assert not definition.one_question_per_page_for("12-17")


@pytest.mark.parametrize("key", CHILDREN)
def test_every_choice_has_a_picture_and_few_words_for_4_to_7_year_olds(key):
    for question in form(key).questions:
        variant = question.variants.get("4-7")
        label = variant.label if variant and variant.label else question.label
        assert len(label.split()) <= 13, label
        for option in question.options:
            picture = option.picture or (variant and variant.pictures.get(option.key))
            assert picture, f"{question.key}.{option.key} has no picture for 4-7"


@pytest.mark.parametrize("key", CARE_LEAVERS)
def test_care_leaver_forms_are_for_16_to_25(key):
    assert form(key).age_bands == ["16-25"]


@pytest.mark.parametrize("key", YOUNG_PEOPLE)
def test_young_peoples_forms_let_them_skip_and_can_raise_a_safeguarding_alert(key):
    definition = form(key)
    assert not any(q.required for q in definition.questions)
    alerts = {o.key for q in definition.questions for o in q.options if o.alert}
    assert {"not_safe", "being_hurt"} <= alerts


@pytest.mark.parametrize("key", YOUNG_PEOPLE)
def test_feelings_questions_offer_i_dont_want_to_answer_except_the_fixed_yes_no_ones(key):
    for question in form(key).questions:
        if question.type == "feelings" and question.option_keys != YES_NO:
            assert "rather_not_say" in question.option_keys, question.key


@pytest.mark.parametrize("key", ["child_consultation", "care_leaver_consultation"])
def test_consultations_cover_what_an_iro_needs_from_a_young_person(key):
    asked = {q.key for q in form(key).questions}
    assert {
        "worries",
        "take_part",
        "who_should_come",
        "talk_alone",
        "not_share",
        "anything_else",
    } <= asked
    take_part = set(form(key).question("take_part").option_keys)
    assert {"attend", "through_iro", "advocate"} <= take_part


def test_the_child_consultation_uses_the_three_houses():
    definition = form("child_consultation")
    pictures = {q.picture for q in definition.questions if q.picture}
    assert pictures == {"houses/worries.svg", "houses/good-things.svg", "houses/dreams.svg"}
    for key in ("home_feeling", "school_feeling", "family_time_feeling", "health_feeling"):
        assert definition.question(key).type == "feelings"
    assert {"chair", "co_chair"} <= set(definition.question("take_part").option_keys)


def test_the_care_leaver_consultation_asks_for_the_agenda_and_about_chairing():
    definition = form("care_leaver_consultation")
    assert definition.question("agenda").type == "text"
    assert definition.question("chair").option_keys == ("chair", "co_chair", "no", "not_sure")


def test_professionals_are_asked_the_facts_an_iro_checks():
    health = {q.key for q in form("health_consultation").questions}
    assert {"health_assessment_date", "dental_check_date", "immunisations_up_to_date"} <= health
    education = {q.key for q in form("education_consultation").questions}
    assert {"pep_date", "attendance", "progress", "special_educational_needs"} <= education
    for key in ("health_consultation", "education_consultation", "guardian_consultation"):
        assert form(key).question("recommendations").type == "text"


@pytest.mark.parametrize("key", ADULTS)
def test_adult_forms_are_short_and_never_show_pictures_or_raise_alerts(key):
    definition = form(key)
    assert len(definition.questions) <= 10
    assert definition.age_bands == []
    assert not any(o.alert or o.picture for q in definition.questions for o in q.options)


def test_the_guardian_form_is_the_shortest_consultation():
    consultations = [f for f in CATALOGUE if f.stage == "consultation"]
    shortest = min(consultations, key=lambda f: len(f.questions))
    assert shortest.key == "guardian_consultation" and len(shortest.questions) <= 5

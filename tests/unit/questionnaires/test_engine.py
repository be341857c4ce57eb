"""The forms engine: page classes per type, age-band variants, show_if, validation of a screen."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectMultipleField, TextAreaField

from portal import create_app
from portal.questionnaires import FormDefinitionError, FormEngine, Stop, engine, is_shown, prune
from portal.questionnaires.catalogue import FormCatalogue
from portal.questionnaires.loader import load_directory
from tests.respond_support import FIXTURE_FORMS


@pytest.fixture(scope="module")
def app():
    application = create_app(
        {"PORTAL_ENV": "testing", "FORMS_DIR": str(FIXTURE_FORMS), "SECRET_KEY": "x" * 40}
    )
    with application.test_request_context():
        yield application


@pytest.fixture(scope="module")
def forms(app):
    return engine()


@pytest.fixture(scope="module")
def child(forms):
    return forms.forms.get("child_consultation")


@pytest.fixture(scope="module")
def parent(forms):
    return forms.forms.get("parent_consultation")


def test_page_form_classes_are_built_once_when_definitions_load(forms, parent):
    first = forms.page_form("parent_consultation", 0)
    assert first is forms.page_form("parent_consultation", 0)
    assert set(first().data) == {"contact_ok", "contact_why"}


def test_each_question_type_becomes_the_right_field(forms):
    form = forms.page_form("child_consultation", 0)()
    assert isinstance(form["home_feeling"], RadioField)
    assert [value for value, _ in form["home_feeling"].choices] == ["happy", "ok", "sad"]
    form = forms.page_form("child_consultation", 1)()
    assert isinstance(form["school_worry"], SelectMultipleField)
    form = forms.page_form("child_consultation", 2)()
    assert isinstance(form["take_part"], RadioField)
    assert [value for value, _ in form["how_happy"].choices] == [1, 2, 3, 4, 5]
    assert isinstance(form["anything_else"], TextAreaField)


def test_variant_wording_is_chosen_by_age_band(forms, child):
    screen = forms.screen(child, 0)
    young = forms.views(child, screen, "4-7", "en")[0]
    teen = forms.views(child, screen, "12-17", "en")[0]
    default = forms.views(child, screen, None, "en")[0]
    assert young.label == "How do you feel at home?"
    assert teen.label == "How do you feel about your placement?"
    assert default.label == "How do you feel about where you live?"
    assert [c.label for c in teen.choices] == ["Happy", "It's all right", "Sad"]
    assert [c.label for c in default.choices] == ["Happy", "OK", "Sad"]


def test_variant_pictures_and_option_labels_apply_only_to_their_band(forms, child):
    screen = forms.screen(child, 1)
    young = forms.views(child, screen, "4-7", "en")[0]
    older = forms.views(child, screen, "8-11", "en")[0]
    assert [(c.label, c.picture) for c in young.choices] == [
        ("Yes, I feel safe", "journey/ok.svg"),
        ("No", "journey/scared.svg"),
    ]
    assert older.choices[0].picture == "journey/happy.svg"
    assert older.choices[1].label == "No, I don't feel safe"


def test_one_question_per_page_gives_one_screen_per_question(forms, child, parent):
    assert len(forms.screens(child)) == len(child.questions) == 7
    assert [s.keys for s in forms.screens(parent)] == [
        ("contact_ok", "contact_why"),
        ("worries", "attending"),
    ]


def test_show_if_matches_a_single_answer_or_any_of_a_list(child):
    worry = child.question("school_worry")
    assert is_shown(worry, {"school_feeling": "sad"})
    assert not is_shown(worry, {"school_feeling": "happy"})
    assert not is_shown(worry, {})
    assert is_shown(child.question("home_feeling"), {})


def test_answers_to_questions_that_became_hidden_are_dropped(child):
    answers = {"school_feeling": "happy", "school_worry": ["friends"], "how_happy": 3}
    assert prune(child, answers) == {"school_feeling": "happy", "how_happy": 3}


def test_answers_to_unknown_questions_are_dropped(child):
    assert prune(child, {"nonsense": "x", "home_feeling": "ok"}) == {"home_feeling": "ok"}


def test_the_engines_router_walks_its_screens_skipping_hidden_ones(forms, child):
    happy = forms.router(child, {"school_feeling": "happy"})
    assert happy.screens is forms.screens(child)  # built once, not per request
    assert happy.next_place(2) == 4 and happy.previous_place(4) == 2
    assert forms.router(child, {"school_feeling": "sad"}).next_place(2) == 3
    assert forms.router(child, {}).next_place(6) is Stop.CHECK


def test_valid_screen_gives_answers_in_the_stored_shape(forms, child):
    screen = forms.screen(child, 5)
    result = forms.validate_screen(child, screen, "8-11", MultiDict({"how_happy": "4"}), {})
    assert result.ok and result.answers == {"how_happy": 4}
    screen = forms.screen(child, 3)
    data = MultiDict([("school_worry", "other"), ("school_worry", "lessons")])
    result = forms.validate_screen(child, screen, None, data, {"school_feeling": "sad"})
    assert result.answers == {"school_feeling": "sad", "school_worry": ["lessons", "other"]}


@pytest.mark.parametrize(
    ("number", "data", "message"),
    [
        (0, {"home_feeling": "ecstatic"}, "Choose one of the answers shown"),
        (5, {"how_happy": "6"}, "Choose a number from the ones shown"),
        (5, {"how_happy": "lots"}, "Choose a number from the ones shown"),
        (
            6,
            {"anything_else": "x" * 201},
            "‘Is there anything else you want to say?’ must be 200 characters or fewer",
        ),
    ],
)
def test_invalid_answers_get_clear_messages_and_keep_saved_answers(
    forms, child, number, data, message
):
    screen = forms.screen(child, number)
    saved = {"home_feeling": "ok"}
    result = forms.validate_screen(child, screen, None, MultiDict(data), saved)
    assert list(result.errors.values()) == [message]
    assert result.answers == saved


def test_unknown_multi_option_is_refused(forms, child):
    screen = forms.screen(child, 3)
    data = MultiDict([("school_worry", "lessons"), ("school_worry", "bullies")])
    result = forms.validate_screen(child, screen, None, data, {"school_feeling": "sad"})
    assert result.errors == {"school_worry": "Choose only from the answers shown"}


def test_a_question_key_not_on_the_screen_is_refused_and_nothing_taken(forms, child):
    screen = forms.screen(child, 0)
    data = MultiDict({"home_feeling": "happy", "safe": "not_safe"})
    result = forms.validate_screen(child, screen, None, data, {})
    assert "_page" in result.errors and result.answers == {}


def test_required_question_must_be_answered_when_shown(forms, parent):
    screen = forms.screen(parent, 0)
    result = forms.validate_screen(parent, screen, None, MultiDict(), {}, shown=["contact_ok"])
    assert result.errors == {"contact_ok": "Choose an answer"}


def test_question_revealed_on_the_same_page_is_asked_before_moving_on(forms, parent):
    screen = forms.screen(parent, 0)
    data = MultiDict({"contact_ok": "no"})
    result = forms.validate_screen(parent, screen, None, data, {}, shown=["contact_ok"])
    assert result.ok and result.revealed == ["contact_why"]


def test_text_is_stored_exactly_as_typed(forms, parent):
    screen = forms.screen(parent, 1)
    typed = "  <script>alert(1)</script>\nline two  "
    result = forms.validate_screen(parent, screen, None, MultiDict({"worries": typed}), {})
    assert result.answers == {"worries": typed}


def test_blank_answers_are_not_stored(forms, parent):
    screen = forms.screen(parent, 1)
    result = forms.validate_screen(parent, screen, None, MultiDict({"worries": "   "}), {})
    assert result.answers == {}


def test_stored_answers_can_be_validated_whole_for_paper_entry(forms, parent):
    good = {"contact_ok": "yes", "attending": "no"}
    assert forms.validate_answers(parent, None, good) == {}
    bad = forms.validate_answers(parent, None, {"contact_ok": "maybe", "bogus": "x"})
    assert set(bad) == {"contact_ok", "bogus"}


def test_translated_views_are_cached_per_locale(app, forms, child):
    screen = forms.screen(child, 0)
    assert forms.views(child, screen, "4-7", "en") is forms.views(child, screen, "4-7", "en")
    assert forms.views(child, screen, "4-7", "ar") is not forms.views(child, screen, "4-7", "en")


def test_question_keys_that_clash_with_the_engine_stop_start_up(tmp_path):
    text = (FIXTURE_FORMS / "carer_feedback.yaml").read_text()
    (tmp_path / "carer_feedback.yaml").write_text(text.replace("key: shared_views", "key: data"))
    with pytest.raises(FormDefinitionError, match="reserved"):
        FormEngine(FormCatalogue(load_directory(tmp_path)))


def test_every_fixture_and_shipped_form_builds(forms):
    from portal.config import PROJECT_ROOT

    FormEngine(FormCatalogue(load_directory(PROJECT_ROOT / "forms")))
    assert len(list(forms.forms)) >= 9


def test_the_youngest_get_one_question_a_screen_in_the_real_catalogue():
    from pathlib import Path

    from portal.questionnaires import FormCatalogue, load_directory
    from portal.questionnaires.engine import FormEngine

    forms_dir = Path(__file__).resolve().parents[3] / "forms"
    real = FormEngine(FormCatalogue(load_directory(forms_dir)))
    feedback = real.forms.get("child_feedback")
    assert feedback.one_question_per_page_bands == ["4-7"]
    youngest = real.screens(feedback, "4-7")
    assert all(len(screen.questions) == 1 for screen in youngest)
    assert len(youngest) == len(feedback.questions)
    assert len(real.screens(feedback, "8-11")) == len(feedback.pages)
    assert len(real.screens(feedback, "12-17")) == len(feedback.pages)

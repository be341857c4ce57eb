"""The forms engine: page classes per type, age-band variants, show_if, validation of a screen.
Run on the real catalogue in forms/; only `required`, which no real form uses, has a test form."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import RadioField, SelectMultipleField, TextAreaField

from portal import create_app
from portal.config import PROJECT_ROOT
from portal.questionnaires import FormDefinitionError, FormEngine, Stop, engine, is_shown, prune
from portal.questionnaires.catalogue import FormCatalogue
from portal.questionnaires.loader import load_directory
from tests.respond_support import TEST_FORMS


@pytest.fixture(scope="module")
def app():
    application = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "x" * 40})
    with application.test_request_context():
        yield application


@pytest.fixture(scope="module")
def forms(app):
    return engine()


@pytest.fixture(scope="module")
def child(forms):
    return forms.forms.get("child_consultation")


@pytest.fixture(scope="module")
def feedback(forms):
    return forms.forms.get("child_feedback")


@pytest.fixture(scope="module")
def parent(forms):
    return forms.forms.get("parent_consultation")


@pytest.fixture(scope="module")
def required(app):
    test_forms = FormEngine(FormCatalogue(load_directory(TEST_FORMS)))
    return test_forms, test_forms.forms.get("required_question")


def screen_asking(forms, definition, key, band=None):
    """The screen that asks `key`, found by key so a reworded or reordered form keeps its test."""
    return next(s for s in forms.screens(definition, band) if key in s.keys)


def test_page_form_classes_are_built_once_when_definitions_load(forms, parent):
    first = forms.page_form("parent_consultation", 0)
    assert first is forms.page_form("parent_consultation", 0)
    assert set(first().data) == {
        "going_well",
        "worries",
        "family_time",
        "family_time_comments",
        "wishes",
    }


def test_each_question_type_becomes_the_right_field(forms, child, feedback):
    def field(definition, key):
        screen = screen_asking(forms, definition, key)
        return forms.page_form(definition.key, screen.number)()[key]

    feelings = field(child, "how_are_things")
    assert isinstance(feelings, RadioField)
    assert [value for value, _ in feelings.choices] == ["good", "ok", "not_good", "rather_not_say"]
    assert isinstance(field(child, "good_things_topics"), SelectMultipleField)
    assert isinstance(field(child, "talk_alone"), RadioField)
    assert [value for value, _ in field(feedback, "iro_listening").choices] == list(range(1, 11))
    assert isinstance(field(child, "anything_else"), TextAreaField)


def test_variant_wording_is_chosen_by_age_band(forms, child):
    screen = screen_asking(forms, child, "how_are_things")
    young = forms.views(child, screen, "4-7", "en")[0]
    teen = forms.views(child, screen, "12-17", "en")[0]
    default = forms.views(child, screen, None, "en")[0]
    assert young.label == "How do you feel?"
    assert teen.label == "How are things going for you at the moment?"
    assert default.label == "How are things for you at the moment?"
    assert [c.label for c in young.choices][-1] == "I don't want to say"
    assert [c.label for c in default.choices] == [
        "Good",
        "OK",
        "Not good",
        "I don't want to answer",
    ]


def test_variant_pictures_and_option_labels_apply_only_to_their_band(forms, child):
    screen = screen_asking(forms, child, "good_things_topics")
    young = forms.views(child, screen, "4-7", "en")[0]
    older = forms.views(child, screen, "8-11", "en")[0]
    assert (young.choices[0].label, young.choices[0].picture) == ("Home", "home.svg")
    assert (older.choices[0].label, older.choices[0].picture) == ("Where I live", None)


def test_each_page_is_a_screen_outside_the_one_question_a_screen_bands(forms, child, parent):
    assert [s.keys for s in forms.screens(parent)] == [
        ("going_well", "worries", "family_time", "family_time_comments", "wishes"),
        ("attend", "talk_to_iro", "help_to_take_part", "anything_else"),
    ]
    assert len(forms.screens(child, "8-11")) == len(child.pages)


def test_show_if_matches_a_single_answer_or_any_of_a_list(child, feedback):
    who = child.question("who_not_wanted")  # equals: "yes"
    assert is_shown(who, {"anyone_not_wanted": "yes"})
    assert not is_shown(who, {"anyone_not_wanted": "no"})
    assert not is_shown(who, {})
    assert is_shown(child.question("how_are_things"), {})
    more = feedback.question("feel_safe_more")  # equals: [not_safe, being_hurt]
    assert is_shown(more, {"feel_safe": "not_safe"}) and is_shown(more, {"feel_safe": "being_hurt"})
    assert not is_shown(more, {"feel_safe": "yes"})


def test_answers_to_questions_that_became_hidden_are_dropped(child):
    answers = {"anyone_not_wanted": "no", "who_not_wanted": "My uncle", "dreams": "A dog"}
    assert prune(child, answers) == {"anyone_not_wanted": "no", "dreams": "A dog"}


def test_answers_to_unknown_questions_are_dropped(child):
    assert prune(child, {"nonsense": "x", "how_are_things": "ok"}) == {"how_are_things": "ok"}


def test_the_engines_router_walks_its_screens_skipping_hidden_ones(forms, child):
    # One question a screen for the youngest: who_not_wanted is shown only after "yes".
    asked = screen_asking(forms, child, "anyone_not_wanted", "4-7").number
    answered_no = forms.router(child, {"anyone_not_wanted": "no"}, "4-7")
    assert answered_no.screens is forms.screens(child, "4-7")  # built once, not per request
    assert answered_no.next_place(asked) == asked + 2
    assert answered_no.previous_place(asked + 2) == asked
    assert forms.router(child, {"anyone_not_wanted": "yes"}, "4-7").next_place(asked) == asked + 1
    last = len(forms.screens(child, "4-7")) - 1
    assert forms.router(child, {}, "4-7").next_place(last) is Stop.CHECK


def test_valid_screen_gives_answers_in_the_stored_shape(forms, child, feedback):
    screen = screen_asking(forms, feedback, "iro_listening")
    data = MultiDict({"iro_listening": "4"})
    result = forms.validate_screen(feedback, screen, "8-11", data, {})
    assert result.ok and result.answers == {"iro_listening": 4}
    screen = screen_asking(forms, child, "good_things_topics")
    data = MultiDict([("good_things_topics", "school"), ("good_things_topics", "home")])
    result = forms.validate_screen(child, screen, None, data, {"how_are_things": "ok"})
    assert result.answers == {"how_are_things": "ok", "good_things_topics": ["home", "school"]}


@pytest.mark.parametrize(
    ("form_key", "data", "message"),
    [
        ("child_consultation", {"how_are_things": "ecstatic"}, "Choose one of the answers shown"),
        ("child_feedback", {"iro_listening": "11"}, "Choose a number from the ones shown"),
        ("child_feedback", {"iro_listening": "lots"}, "Choose a number from the ones shown"),
        (
            "child_consultation",
            {"anything_else": "x" * 2001},
            "‘Is there anything else you want your IRO to know?’ must be 2,000 characters or fewer",
        ),
    ],
)
def test_invalid_answers_get_clear_messages_and_keep_saved_answers(forms, form_key, data, message):
    definition = forms.forms.get(form_key)
    screen = screen_asking(forms, definition, next(iter(data)))
    saved = {"how_are_things": "ok"}
    result = forms.validate_screen(definition, screen, None, MultiDict(data), saved)
    assert list(result.errors.values()) == [message]
    assert result.answers == saved


def test_unknown_multi_option_is_refused(forms, child):
    screen = screen_asking(forms, child, "good_things_topics")
    data = MultiDict([("good_things_topics", "home"), ("good_things_topics", "bullies")])
    result = forms.validate_screen(child, screen, None, data, {})
    assert result.errors == {"good_things_topics": "Choose only from the answers shown"}


def test_a_question_key_not_on_the_screen_is_refused_and_nothing_taken(forms, child):
    screen = screen_asking(forms, child, "how_are_things")
    data = MultiDict({"how_are_things": "good", "home_feeling": "not_safe"})
    result = forms.validate_screen(child, screen, None, data, {})
    assert "_page" in result.errors and result.answers == {}


def test_required_question_must_be_answered_when_shown(required):
    test_forms, definition = required
    screen = test_forms.screen(definition, 0)
    result = test_forms.validate_screen(
        definition, screen, None, MultiDict(), {}, shown=["contact_ok"]
    )
    assert result.errors == {"contact_ok": "Choose an answer"}


def test_question_revealed_on_the_same_page_is_asked_before_moving_on(forms, child):
    screen = screen_asking(forms, child, "anyone_not_wanted")
    shown = [key for key in screen.keys if key != "who_not_wanted"]  # its marker starts disabled
    data = MultiDict({"anyone_not_wanted": "yes"})
    result = forms.validate_screen(child, screen, None, data, {}, shown=shown)
    assert result.ok and result.revealed == ["who_not_wanted"]


def test_text_is_stored_exactly_as_typed(forms, parent):
    screen = screen_asking(forms, parent, "worries")
    typed = "  <script>alert(1)</script>\nline two  "
    result = forms.validate_screen(parent, screen, None, MultiDict({"worries": typed}), {})
    assert result.answers == {"worries": typed}


def test_blank_answers_are_not_stored(forms, parent):
    screen = screen_asking(forms, parent, "worries")
    result = forms.validate_screen(parent, screen, None, MultiDict({"worries": "   "}), {})
    assert result.answers == {}


def test_stored_answers_can_be_validated_whole_for_paper_entry(forms, parent):
    good = {"family_time": "going_well", "attend": "no"}
    assert forms.validate_answers(parent, None, good) == {}
    bad = forms.validate_answers(parent, None, {"family_time": "maybe", "bogus": "x"})
    assert set(bad) == {"family_time", "bogus"}


def test_translated_views_are_cached_per_locale(app, forms, child):
    screen = forms.screen(child, 0)
    assert forms.views(child, screen, "4-7", "en") is forms.views(child, screen, "4-7", "en")
    assert forms.views(child, screen, "4-7", "ar") is not forms.views(child, screen, "4-7", "en")


def test_question_keys_that_clash_with_the_engine_stop_start_up(tmp_path):
    text = (PROJECT_ROOT / "forms" / "carer_feedback.yaml").read_text()
    (tmp_path / "carer_feedback.yaml").write_text(text.replace("key: shared_views", "key: data"))
    with pytest.raises(FormDefinitionError, match="reserved"):
        FormEngine(FormCatalogue(load_directory(tmp_path)))


def test_every_shipped_form_and_test_form_builds(forms, required):
    shipped = {path.stem for path in (PROJECT_ROOT / "forms").glob("*.yaml")}
    assert {definition.key for definition in forms.forms} == shipped
    assert required[1] is not None


def test_the_youngest_get_one_question_a_screen_in_the_real_catalogue(forms, feedback):
    assert feedback.one_question_per_page_bands == ["4-7"]
    youngest = forms.screens(feedback, "4-7")
    assert all(len(screen.questions) == 1 for screen in youngest)
    assert len(youngest) == len(feedback.questions)
    assert len(forms.screens(feedback, "8-11")) == len(feedback.pages)
    assert len(forms.screens(feedback, "12-17")) == len(feedback.pages)

"""The journey's navigation rules, straight on the Router: no app, no database, no request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portal.config import PROJECT_ROOT
from portal.questionnaires.loader import load_file
from portal.questionnaires.router import Move, Router, Stop
from portal.questionnaires.schema import FormDefinition


def _choice(key: str, **extra: Any) -> dict[str, Any]:
    options = [{"key": "yes", "label": "Yes"}, {"key": "no", "label": "No"}]
    return {"key": key, "type": "choice", "label": key, "options": options, **extra}


def _text(key: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "type": "text", "label": key, **extra}


def _form(**extra: Any) -> FormDefinition:
    """Three pages: a same-page reveal, a page shown by an earlier answer, and a last page."""
    pages = [
        {"key": "one", "title": "One", "questions": [
            _choice("contact"),
            _text("why", show_if={"question": "contact", "equals": "no"}),
            _choice("worried"),
        ]},
        {"key": "two", "title": "Two", "questions": [
            _text("worry", show_if={"question": "worried", "equals": "yes"}, required=True),
        ]},
        {"key": "three", "title": "Three", "questions": [_choice("attend"), _text("notes")]},
    ]  # fmt: skip
    return FormDefinition.model_validate({
        "key": "test_form", "version": 1, "stage": "consultation", "roles": ["child"],
        "review_kinds": ["cared_for"], "title": "A form", "intro": "Hello", "pages": pages,
        **extra,
    })  # fmt: skip


FORM = _form()
YOUNGEST = _form(one_question_per_page_bands=["4-7"])


def keys(router: Router, number: int, displayed: tuple[str, ...] = ()) -> list[str]:
    screen = router.screen(number)
    assert screen is not None
    return [question.key for question in router.questions_shown(screen, displayed)]


# --- screens -------------------------------------------------------------------------------------


def test_each_page_is_one_screen_for_older_respondents():
    router = Router(FORM, {})
    assert [screen.keys for screen in router.screens] == [
        ("contact", "why", "worried"),
        ("worry",),
        ("attend", "notes"),
    ]
    assert router.total == 3 and not router.one_question_per_page


def test_the_youngest_see_one_question_per_screen_and_other_bands_the_pages():
    young = Router(YOUNGEST, {}, "4-7")
    assert young.one_question_per_page
    assert [screen.keys for screen in young.screens] == [
        ("contact",), ("why",), ("worried",), ("worry",), ("attend",), ("notes",),
    ]  # fmt: skip
    assert [s.page_key for s in young.screens] == ["one", "one", "one", "two", "three", "three"]
    assert Router(YOUNGEST, {}, "8-11").total == 3
    assert Router(_form(one_question_per_page=True), {}, None).total == 6


def test_a_screen_number_outside_the_form_is_no_screen():
    router = Router(FORM, {})
    assert router.screen(-1) is None and router.screen(3) is None
    assert router.screen(2) is router.screens[2]


# --- which questions a screen shows ---------------------------------------------------------------


def test_a_conditional_question_shows_only_when_the_earlier_answer_matches():
    assert keys(Router(FORM, {}), 0) == ["contact", "worried"]
    assert keys(Router(FORM, {"contact": "yes"}), 0) == ["contact", "worried"]
    assert keys(Router(FORM, {"contact": "no"}), 0) == ["contact", "why", "worried"]
    assert keys(Router(FORM, {}), 1) == []
    assert keys(Router(FORM, {"worried": "yes"}), 1) == ["worry"]


def test_a_question_revealed_on_the_page_stays_shown_when_its_post_failed():
    # The page displayed "why" (posted in _shown); the saved answers do not reveal it yet.
    assert keys(Router(FORM, {}), 0, displayed=("contact", "why", "worried")) == [
        "contact",
        "why",
        "worried",
    ]
    assert keys(Router(FORM, {}), 0, displayed=("worry",)) == ["contact", "worried"]


def test_a_question_shown_by_a_list_answer_shows_when_any_item_matches():
    assert keys(Router(FORM, {"worried": ["no", "yes"]}), 1) == ["worry"]
    assert keys(Router(FORM, {"worried": ["no"]}), 1) == []


def test_check_your_answers_lists_only_screens_with_something_to_show():
    assert [s.number for s in Router(FORM, {}).screens_shown()] == [0, 2]
    assert [s.number for s in Router(FORM, {"worried": "yes"}).screens_shown()] == [0, 1, 2]


# --- next, previous, first -----------------------------------------------------------------------


def test_the_first_screen_is_the_first_with_something_to_show():
    assert Router(FORM, {}).first_screen() == 0
    assert Router(YOUNGEST, {}, "4-7").first_screen() == 0


def test_next_passes_over_screens_with_nothing_to_show_and_ends_at_check_answers():
    router = Router(FORM, {"worried": "no"})
    assert router.next_place(0) == 2
    assert router.next_place(2) is Stop.CHECK
    assert Router(FORM, {"worried": "yes"}).next_place(0) == 1


def test_previous_passes_over_hidden_screens_and_starts_at_the_start_page():
    router = Router(FORM, {"worried": "no"})
    assert router.previous_place(2) == 0
    assert router.previous_place(0) is Stop.START
    assert Router(FORM, {"worried": "yes"}).previous_place(2) == 1


def test_the_youngest_walk_one_question_at_a_time_skipping_what_is_not_asked():
    router = Router(YOUNGEST, {"contact": "yes", "worried": "yes"}, "4-7")
    walked, place = [], router.first_screen()
    while place is not Stop.CHECK:
        walked.append(router.screens[place].keys[0])
        place = router.next_place(place)
    assert walked == ["contact", "worried", "worry", "attend", "notes"]
    assert router.previous_place(2) == 0  # "why" is passed over going back too


def test_back_from_check_your_answers_goes_to_the_last_screen_shown():
    assert Router(FORM, {}).back_from_check() == 2
    young = Router(YOUNGEST, {}, "4-7")
    assert young.back_from_check() == 5
    only_first = FORM.model_copy(update={"pages": FORM.pages[:2]})
    assert Router(only_first, {"worried": "no"}).back_from_check() == 0


# --- answering and skipping -----------------------------------------------------------------------


def test_answering_moves_on_to_the_next_screen_shown():
    saved = Router(FORM, {"contact": "yes", "worried": "no"})
    assert saved.after_answering(0, revealed=False, returning=False) == Move(2)
    last = saved.after_answering(2, revealed=False, returning=False)
    assert last == Move(Stop.CHECK)


def test_a_change_begun_from_check_answers_goes_back_there():
    saved = Router(FORM, {"contact": "yes", "worried": "no"})
    assert saved.after_answering(0, revealed=False, returning=True) == Move(Stop.CHECK)


def test_an_answer_that_reveals_a_question_on_its_screen_asks_it_before_moving_on():
    saved = Router(FORM, {"contact": "no"})
    assert saved.after_answering(0, revealed=True, returning=False) == Move(0)
    # ...and still returns to check answers afterwards when the change began there.
    assert saved.after_answering(0, revealed=True, returning=True) == Move(0, True)


def test_a_change_from_check_answers_that_opens_a_follow_up_asks_it_before_going_back():
    # One question per screen (4-7): contact 0, why 1, worried 2, worry 3, attend 4, notes 5.
    changed = Router(YOUNGEST, {"contact": "no", "worried": "no"}, "4-7")
    assert changed.after_answering(0, revealed=False, returning=True) == Move(1, True)
    # The follow-up answered, back to check your answers.
    answered = changed.with_answers({"contact": "no", "why": "busy", "worried": "no"})
    assert answered.after_answering(1, revealed=False, returning=True) == Move(Stop.CHECK)


def test_a_follow_up_on_a_later_page_is_asked_after_a_change_from_check_answers():
    changed = Router(FORM, {"contact": "yes", "worried": "yes"})
    assert changed.after_answering(0, revealed=False, returning=True) == Move(1, True)


def test_a_change_that_opens_no_new_follow_up_goes_straight_back_to_check():
    # The follow-up is already answered: nothing new to ask.
    answered = Router(YOUNGEST, {"contact": "no", "why": "busy", "worried": "no"}, "4-7")
    assert answered.after_answering(0, revealed=False, returning=True) == Move(Stop.CHECK)
    # Another question's follow-up, left unanswered, is not this change's to ask.
    other = Router(YOUNGEST, {"contact": "yes", "worried": "yes"}, "4-7")
    assert other.after_answering(0, revealed=False, returning=True) == Move(Stop.CHECK)
    # Without a change begun from check answers, the journey simply moves on.
    assert Router(YOUNGEST, {"contact": "no"}, "4-7").after_answering(
        0, revealed=False, returning=False
    ) == Move(1)


def test_every_follow_up_of_a_changed_answer_is_asked_in_turn_then_check():
    pages = [
        {"key": "one", "questions": [
            _choice("worried"),
            _text("what", show_if={"question": "worried", "equals": "yes"}),
            _choice("told", show_if={"question": "worried", "equals": "yes"}),
            _text("who", show_if={"question": "told", "equals": "yes"}),
            _choice("attend"),
        ]},
    ]  # fmt: skip
    form = FormDefinition.model_validate(
        {**FORM.model_dump(exclude_none=True), "pages": pages, "one_question_per_page": True}
    )
    router = Router(form, {"worried": "yes"})
    assert router.after_answering(0, revealed=False, returning=True) == Move(1, True)
    router = router.with_answers({"worried": "yes", "what": "x"})
    assert router.after_answering(1, revealed=False, returning=True) == Move(2, True)
    router = router.with_answers({"worried": "yes", "what": "x", "told": "yes"})
    assert router.after_answering(2, revealed=False, returning=True) == Move(3, True)
    router = router.with_answers({"worried": "yes", "what": "x", "told": "yes", "who": "y"})
    assert router.after_answering(3, revealed=False, returning=True) == Move(Stop.CHECK)


def test_skipping_forgets_the_screens_answers_and_those_they_revealed():
    router = Router(FORM, {"contact": "no", "why": "busy", "worried": "yes", "worry": "x"})
    assert router.skip(router.screens[0]) == {}
    assert router.skip(router.screens[1]) == {"contact": "no", "why": "busy", "worried": "yes"}
    assert router.with_answers({}).next_place(0) == 2  # the revealed screen is gone again


def test_a_screen_can_be_skipped_unless_a_question_it_shows_is_required():
    router = Router(FORM, {"worried": "yes"})
    assert router.can_skip(router.questions_shown(router.screens[0]))
    assert not router.can_skip(router.questions_shown(router.screens[1]))
    assert router.can_skip([])


# --- resuming a saved draft ------------------------------------------------------------------------


def test_opening_a_link_with_no_draft_goes_to_the_start_page():
    assert Router(FORM, {}).resume(None) is Stop.START


def test_a_draft_resumes_where_it_was_left_on_any_device():
    # The first device answers screen 0; only the answers and the position are stored.
    first = Router(FORM, {}).with_answers({"contact": "yes", "worried": "yes"})
    move = first.after_answering(0, revealed=False, returning=False)
    stored_position = first.position(move.place)
    # Another device builds its router from the stored draft alone.
    other = Router(FORM, {"contact": "yes", "worried": "yes"})
    assert other.resume(stored_position) == move.place == 1


def test_a_draft_saved_after_the_last_screen_resumes_at_check_answers():
    router = Router(FORM, {})
    assert router.position(Stop.CHECK) == router.total
    assert router.resume(router.total) is Stop.CHECK
    assert router.resume(99) is Stop.CHECK


def test_a_saved_screen_that_is_now_hidden_resumes_at_the_next_one_shown():
    assert Router(FORM, {"worried": "no"}).resume(1) == 2


def test_the_start_page_carries_on_at_the_draft_or_the_first_screen():
    router = Router(FORM, {"worried": "no"})
    assert router.carry_on(None) == 0
    assert router.carry_on(2) == 2
    assert router.carry_on(router.total) is Stop.CHECK


def test_a_stored_position_names_a_screen_or_check_answers():
    router = Router(FORM, {})
    assert router.at(1) == 1 and router.at(None) is Stop.CHECK and router.at(3) is Stop.CHECK
    assert router.at(-4) is Stop.CHECK
    with pytest.raises(ValueError, match="start page"):
        router.position(Stop.START)


# --- the real catalogue -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def child_feedback() -> FormDefinition:
    return load_file(PROJECT_ROOT / "forms" / "child_feedback.yaml")


def test_the_youngest_answer_child_feedback_a_question_a_screen(child_feedback):
    young = Router(child_feedback, {}, "4-7")
    assert all(len(screen.questions) == 1 for screen in young.screens)
    assert young.total == len(child_feedback.questions)
    assert Router(child_feedback, {}, "8-11").total == len(child_feedback.pages)


def test_child_feedback_asks_did_you_fill_it_in_only_after_yes(child_feedback):
    young = Router(child_feedback, {"sent_form": "no"}, "4-7")
    assert young.screens[1].keys == ("filled_in",)
    assert young.next_place(0) == 2
    assert young.with_answers({"sent_form": "yes"}).next_place(0) == 1
    older = Router(child_feedback, {"sent_form": "yes"}, "8-11")
    assert "filled_in" in keys(older, 0)


def test_the_router_imports_nothing_from_flask_or_the_web_layer():
    import ast

    from portal.questionnaires import router

    tree = ast.parse(Path(router.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    web = ("flask", "werkzeug", "jinja2", "wtforms", "sqlalchemy", "portal.web")
    assert not {name for name in imported if name and name.startswith(web)}

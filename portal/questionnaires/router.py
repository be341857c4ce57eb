"""Where a respondent goes next: the one home of the journey's navigation (no Flask here).

A *page* is a page of the definition; a *screen* is what one request shows: the whole page, or
one question of it when the form says `one_question_per_page` for the age band (the youngest).
Screens are numbered from 0. A `Router` answers every navigation question for one form, one set
of answers and one age band: which questions a screen shows (show_if), the first, next and
previous screens (skipping those with nothing to show), where a saved draft resumes, whether a
screen may be skipped, and where answering a screen leads (back to check your answers, or the
same screen when an answer revealed a question on it). The routes only turn its answers into
URLs, so every rule can be tested without an app or a database (tests/unit/test_router.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from portal.questionnaires.schema import FormDefinition, Question


@dataclass(frozen=True)
class Screen:
    """What one request shows: a page, or one question of it."""

    number: int
    page_index: int
    page_key: str
    title: str | None
    questions: tuple[Question, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(question.key for question in self.questions)


class Stop(StrEnum):
    """The two pages of the journey that are not screens of questions."""

    START = "start"
    CHECK = "check"


# Where a respondent is sent: a screen number, the start page or check your answers.
Place = int | Stop


@dataclass(frozen=True)
class Move:
    """Where answering a screen leads; `return_to_check` keeps a change begun from check answers."""

    place: Place
    return_to_check: bool = False


def is_shown(question: Question, answers: Mapping[str, Any]) -> bool:
    """True when the question has no show_if, or the earlier answer matches it."""
    rule = question.show_if
    if rule is None:
        return True
    answer = answers.get(rule.question)
    if isinstance(answer, list):
        return any(str(item) in rule.equals for item in answer)
    return answer is not None and str(answer) in rule.equals


def prune(definition: FormDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Keep answers only to questions of this form that are shown, in the form's order."""
    kept: dict[str, Any] = {}
    for question in definition.questions:
        if question.key in answers and is_shown(question, kept):
            kept[question.key] = answers[question.key]
    return kept


# Question types whose options are radios or checkboxes: a follow-up can open under one of them.
_OPTION_TYPES = frozenset({"choice", "multi", "feelings"})


def follow_ups(screen: Screen) -> dict[str, tuple[str, str]]:
    """The questions of `screen` that open under one option of another question on it.

    `{follow-up key: (question key, option key)}`. With JavaScript the page shows such a question
    right under its option as soon as it is chosen (GOV.UK conditional reveal); without, it is
    asked after Continue, as any revealed question is. A rule naming several options has no one
    place to open, so it is left to Continue.
    """
    with_options = {q.key for q in screen.questions if q.type in _OPTION_TYPES}
    found: dict[str, tuple[str, str]] = {}
    for question in screen.questions:
        rule = question.show_if
        if rule is not None and rule.question in with_options and len(rule.equals) == 1:
            found[question.key] = (rule.question, rule.equals[0])
    return found


def build_screens(definition: FormDefinition, band: str | None = None) -> tuple[Screen, ...]:
    """The form's screens in order: one question each where the form says so for this band."""
    one_each = definition.one_question_per_page_for(band)
    screens: list[Screen] = []
    for index, page in enumerate(definition.pages):
        groups = (
            [(question,) for question in page.questions] if one_each else [tuple(page.questions)]
        )
        for group in groups:
            screens.append(Screen(len(screens), index, page.key, page.title, group))
    return tuple(screens)


class Router:
    """The navigation of one form for one respondent's answers and age band."""

    def __init__(
        self,
        form: FormDefinition,
        answers: Mapping[str, Any],
        band: str | None = None,
        screens: tuple[Screen, ...] | None = None,
    ) -> None:
        self.form = form
        self.answers: Mapping[str, Any] = answers
        self.band = band
        # The engine builds each form's screens once; a test may let the router build them.
        self.screens = screens if screens is not None else build_screens(form, band)

    def with_answers(self, answers: Mapping[str, Any]) -> Router:
        """The same form and band after the answers changed (a screen was saved)."""
        return Router(self.form, answers, self.band, self.screens)

    # --- screens -------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many screens the progress line counts ("3 of 7")."""
        return len(self.screens)

    @property
    def one_question_per_page(self) -> bool:
        return self.form.one_question_per_page_for(self.band)

    def screen(self, number: int) -> Screen | None:
        """Screen `number`, or None when the form has no such screen."""
        return self.screens[number] if 0 <= number < len(self.screens) else None

    def questions_shown(self, screen: Screen, displayed: Iterable[str] = ()) -> list[Question]:
        """The questions of `screen` that show_if allows, in order.

        A question can depend on an earlier one on the same screen, so each is judged on the
        answers to other screens plus those above it. `displayed` (the keys a failed post had on
        its page) stay shown, so a question revealed on the page is not lost with its error.
        """
        kept = set(displayed) & set(screen.keys)
        working = {k: v for k, v in self.answers.items() if k not in screen.keys}
        shown: list[Question] = []
        for question in screen.questions:
            if question.key in kept or is_shown(question, working):
                shown.append(question)
                if question.key in self.answers:
                    working[question.key] = self.answers[question.key]
        return shown

    def shows_anything(self, screen: Screen) -> bool:
        """Whether the screen has a question to show (otherwise it is passed over)."""
        return bool(self.questions_shown(screen))

    def screens_shown(self) -> list[Screen]:
        """The screens with something to show, in order (what check your answers lists)."""
        return [screen for screen in self.screens if self.shows_anything(screen)]

    def can_skip(self, questions: Iterable[Question]) -> bool:
        """A screen can be skipped unless one of the questions it shows must be answered."""
        return not any(question.required for question in questions)

    # --- moving --------------------------------------------------------------------------------

    def first_screen(self) -> Place:
        """The first screen with something to show (check your answers if none has)."""
        return self.next_place(-1)

    def next_place(self, after: int) -> Place:
        """The next screen after `after` with something to show, or check your answers."""
        for screen in self.screens[max(after + 1, 0) :]:
            if self.shows_anything(screen):
                return screen.number
        return Stop.CHECK

    def previous_place(self, before: int) -> Place:
        """The nearest screen before `before` with something to show, or the start page."""
        for screen in reversed(self.screens[: max(before, 0)]):
            if self.shows_anything(screen):
                return screen.number
        return Stop.START

    def back_from_check(self) -> Place:
        """Where Back on check your answers goes: the last screen with something to show."""
        return self.previous_place(len(self.screens))

    def after_answering(self, number: int, *, revealed: bool, returning: bool) -> Move:
        """Where saving screen `number` leads; the router holds the answers just saved.

        An answer that revealed a question on the same screen comes back to ask it (still on
        the way back to check your answers, if that is where the change began).
        """
        if revealed:
            return Move(number, return_to_check=returning)
        if returning:
            # A change that opened a follow-up on a later screen (one question per screen)
            # asks it next, and only then goes back to check your answers.
            follow_up = self.follow_up_after(number)
            if follow_up is not None:
                return Move(follow_up, return_to_check=True)
            return Move(Stop.CHECK)
        return Move(self.next_place(number))

    def follow_up_after(self, number: int) -> int | None:
        """The first later screen showing an unanswered follow-up of screen `number`, if any.

        A follow-up belongs to the question at the top of its show_if chain, so the follow-ups
        of one answer are asked in turn (a follow-up screen leads to its sibling, then check).
        """
        screen = self.screen(number)
        if screen is None:
            return None
        roots = {self._root(question) for question in screen.questions}
        for later in self.screens[number + 1 :]:
            for question in self.questions_shown(later):
                if (
                    question.show_if is not None
                    and question.key not in self.answers
                    and self._root(question) in roots
                ):
                    return later.number
        return None

    def _root(self, question: Question) -> str:
        """The key of the question at the top of `question`'s show_if chain (itself if none)."""
        while question.show_if is not None:
            source = self.form.question(question.show_if.question)
            if source is None:  # the schema refuses this; stop rather than loop
                break
            question = source
        return question.key

    def skip(self, screen: Screen) -> dict[str, Any]:
        """The answers after skipping `screen`: its own are forgotten, and so are any they showed."""
        kept = {key: value for key, value in self.answers.items() if key not in screen.keys}
        return prune(self.form, kept)

    # --- saved drafts --------------------------------------------------------------------------

    def at(self, position: int | None) -> Place:
        """The screen a stored position names; a position naming no screen is check answers."""
        if position is None or not 0 <= position < len(self.screens):
            return Stop.CHECK
        return position

    def resume(self, saved: int | None) -> Place:
        """Where opening the link again (on any device) carries on from the draft's position.

        No draft yet: the start page. A saved screen that the answers now hide moves on to the
        next one with something to show.
        """
        if saved is None:
            return Stop.START
        return self.shown_from(self.at(saved))

    def carry_on(self, saved: int | None) -> Place:
        """Where the start page's Continue goes: the draft's place, or the first screen."""
        return self.first_screen() if saved is None else self.resume(saved)

    def shown_from(self, place: Place) -> Place:
        """`place` if it is a screen with something to show, else the next that has."""
        screen = self.screen(place) if isinstance(place, int) else None
        if screen is None or self.shows_anything(screen):
            return place
        return self.next_place(screen.number)

    def position(self, place: Place) -> int:
        """What a draft stores for `place`: a screen number, or one past the last for check."""
        if place is Stop.START:
            raise ValueError("a draft is never saved at the start page")
        return len(self.screens) if place is Stop.CHECK else place

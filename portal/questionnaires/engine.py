"""The forms engine: page form classes built once, screens, validation and page views.

Screens, show_if and where to go next are the router's (portal.questionnaires.router). WTForms
classes and each form's screens are built once per (form, page, age band) when the definitions
load; translated labels are cached per locale. Answers are `{question_key: option_key | [option_keys] | int | text}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import Form

from portal.questionnaires.catalogue import FormCatalogue
from portal.questionnaires.fields import Answer, Choice, QuestionHandler, handler_for
from portal.questionnaires.loader import FormDefinitionError
from portal.questionnaires.router import Router, Screen, build_screens, is_shown, prune
from portal.questionnaires.schema import AGE_BANDS, CHILD_NAME, FormDefinition

# Posted names the engine itself uses; question keys start with a letter, so they never clash.
CONTROL_FIELDS = frozenset({"csrf_token", "_action", "_shown", "_return"})
RESERVED_KEYS = frozenset(name for name in dir(Form) if not name.startswith("_")) | {"csrf_token"}
NOT_ON_PAGE = _l("Some answers were for questions that are not on this page. Nothing was saved.")


@dataclass(frozen=True)
class QuestionView:
    """A question as the page shows it, already translated for one locale."""

    key: str
    type: str
    label: str
    help: str | None
    choices: tuple[Choice, ...]
    min_label: str | None = None
    max_label: str | None = None
    max_length: int | None = None
    audio: str | None = None
    # The translated label with %(name)s where the child's first name goes (carers' forms).
    named_label: str | None = None

    def addressed(self) -> QuestionView:
        """The view for a page that may name the child: its label still holds the placeholder.

        It holds no name, so its markup can be kept and shared (fragments.py); the name is put
        in per request with `with_name`.
        """
        if self.named_label is None:
            return self
        return replace(self, label=self.named_label, named_label=None)

    def with_name(self, name: str) -> QuestionView:
        """The view with the child's first name in its label (never kept: it is personal)."""
        return replace(self, label=put_name(self.label, name))

    @property
    def multiple(self) -> bool:
        return self.type == "multi"

    @property
    def pictures(self) -> bool:
        return self.type == "feelings" or any(choice.picture for choice in self.choices)

    def show(self, answer: Any) -> str | list[str] | None:
        """An answer in words: option labels for choices, the number, or the text as typed."""
        if answer is None:
            return None
        labels = {choice.value: choice.label for choice in self.choices}
        if isinstance(answer, list):
            return [labels.get(str(key), str(key)) for key in answer]
        return labels.get(str(answer), str(answer))


def put_name(text: str, name: str) -> str:
    """`text` with the child's first name where a named label has its placeholder."""
    return text.replace(CHILD_NAME, name)


@dataclass
class ScreenResult:
    """The outcome of validating one posted screen."""

    answers: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    # Questions on this screen that the new answers revealed (ask them before moving on).
    revealed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise_band(band: str | None) -> str | None:
    """An age band the engine knows, or None for the default wording."""
    return band if band in AGE_BANDS else None


class FormEngine:
    """Every form's page classes, handlers and screens, built once from the catalogue."""

    def __init__(self, forms: FormCatalogue) -> None:
        self.forms = forms
        self._classes: dict[tuple[str, int, str | None], type[Form]] = {}
        self._handlers: dict[tuple[str, str, str | None], QuestionHandler] = {}
        self._screens: dict[tuple[str, str | None], tuple[Screen, ...]] = {}
        self._views: dict[tuple[str, int, int, str | None, str], tuple[QuestionView, ...]] = {}
        problems = [problem for definition in forms for problem in self._build(definition)]
        if problems:
            raise FormDefinitionError(problems)

    def _build(self, definition: FormDefinition) -> list[str]:
        clashes = sorted(q.key for q in definition.questions if q.key in RESERVED_KEYS)
        if clashes:
            return [f"{definition.key}.yaml: question keys reserved by the engine: {clashes}"]
        for band in (None, *AGE_BANDS):
            self._screens[(definition.key, band)] = build_screens(definition, band)
            for index, page in enumerate(definition.pages):
                attrs: dict[str, Any] = {}
                for question in page.questions:
                    handler = handler_for(question, band)
                    self._handlers[(definition.key, question.key, band)] = handler
                    attrs[question.key] = handler.field()
                name = f"{definition.key}_{page.key}_{band or 'any'}".replace("-", "_")
                self._classes[(definition.key, index, band)] = type(name, (Form,), attrs)
        return []

    # --- lookups -----------------------------------------------------------------------------

    def page_form(self, form_key: str, page_index: int, band: str | None = None) -> type[Form]:
        """The WTForms class for one page of a form, worded for an age band."""
        return self._classes[(form_key, page_index, normalise_band(band))]

    def handler(self, form_key: str, question_key: str, band: str | None = None) -> QuestionHandler:
        """The field handler for one question of a form."""
        return self._handlers[(form_key, question_key, normalise_band(band))]

    def screens(self, definition: FormDefinition, band: str | None = None) -> tuple[Screen, ...]:
        """The form's screens in order, as shown to an age band."""
        return self._screens[(definition.key, normalise_band(band))]

    def screen(
        self, definition: FormDefinition, number: int, band: str | None = None
    ) -> Screen | None:
        """Screen `number`, or None when it is out of range."""
        screens = self.screens(definition, band)
        return screens[number] if 0 <= number < len(screens) else None

    def router(
        self, definition: FormDefinition, answers: Mapping[str, Any], band: str | None = None
    ) -> Router:
        """The navigation for these answers, over the screens built once for the band."""
        return Router(definition, answers, band, self.screens(definition, band))

    # --- validation ----------------------------------------------------------------------------

    def validate_screen(
        self,
        definition: FormDefinition,
        screen: Screen,
        band: str | None,
        formdata: Any,
        answers: Mapping[str, Any],
        shown: Iterable[str] | None = None,
        allow_unanswered: bool = False,
    ) -> ScreenResult:
        """Validate a posted screen against the saved answers; return the new answers.

        `shown` is the questions the page displayed (None: all that are shown by show_if). A
        posted key that is not on this screen is an error and nothing is taken from the post.
        `allow_unanswered` lets a required question stay blank (saving to come back later);
        what was answered is still checked, because only valid answers can be stored.
        """
        on_screen = set(screen.keys)
        unknown = sorted(set(formdata.keys()) - on_screen - CONTROL_FIELDS)
        if unknown:
            return ScreenResult(dict(answers), {"_page": str(NOT_ON_PAGE)})
        displayed = set(shown) if shown is not None else None
        form = self.page_form(definition.key, screen.page_index, band)(formdata)
        working = {key: value for key, value in answers.items() if key not in on_screen}
        errors: dict[str, str] = {}
        for question in screen.questions:
            if not is_shown(question, working):
                continue
            if displayed is not None and question.key not in displayed:
                continue  # newly revealed: asked before moving on
            if allow_unanswered and not any(v.strip() for v in formdata.getlist(question.key)):
                continue
            bound = form[question.key]
            if not bound.validate(form):
                errors[question.key] = str(bound.errors[0])
                continue
            value = self.handler(definition.key, question.key, band).answer(bound)
            if value is not None:
                working[question.key] = value
        if errors:
            return ScreenResult(dict(answers), errors)
        revealed = [
            q.key
            for q in screen.questions
            if displayed is not None and q.key not in displayed and is_shown(q, working)
        ]
        return ScreenResult(prune(definition, working), {}, revealed)

    def validate_answers(
        self, definition: FormDefinition, band: str | None, answers: Mapping[str, Any]
    ) -> dict[str, str]:
        """Check stored-shape answers (e.g. an import or paper entry) for every page at once."""
        errors: dict[str, str] = {}
        known = {question.key for question in definition.questions}
        for key in sorted(set(answers) - known):
            errors[key] = str(NOT_ON_PAGE)
        for page_index, page in enumerate(definition.pages):
            data = _MultiDict()
            for question in page.questions:
                if question.key in answers:
                    handler = self.handler(definition.key, question.key, band)
                    data.setlist(question.key, handler.formdata(answers[question.key]))
            screen = Screen(-1, page_index, page.key, page.title, tuple(page.questions))
            errors.update(self.validate_screen(definition, screen, band, data, answers).errors)
        return errors

    # --- views ---------------------------------------------------------------------------------

    def views(
        self, definition: FormDefinition, screen: Screen, band: str | None, locale: str
    ) -> tuple[QuestionView, ...]:
        """The screen's questions translated for `locale` (cached per locale)."""
        band = normalise_band(band)
        cache_key = (definition.key, definition.version, screen.number, band, locale)
        found = self._views.get(cache_key)
        if found is None:
            found = tuple(
                self._view(self.handler(definition.key, q.key, band), locale)
                for q in screen.questions
            )
            self._views[cache_key] = found
        return found

    @staticmethod
    def _view(handler: QuestionHandler, locale: str) -> QuestionView:
        question = handler.question
        # Each string goes through gettext on its own, so a missing translation falls back to
        # English for that string only.
        return QuestionView(
            key=question.key,
            type=question.type,
            label=gettext(handler.label),
            help=gettext(handler.help) if handler.help else None,
            choices=tuple(
                Choice(
                    c.value, gettext(c.label) if question.type != "scale" else c.label, c.picture
                )
                for c in handler.choices()
            ),
            min_label=gettext(question.min_label) if question.min_label else None,
            max_label=gettext(question.max_label) if question.max_label else None,
            max_length=question.max_length if question.type == "text" else None,
            audio=question.audio.get(locale),
            # An age band's own label wins: the named label is the main wording's.
            named_label=(
                gettext(question.named_label)
                if question.named_label and not handler.variant.label
                else None
            ),
        )


class _MultiDict(dict[str, list[str]]):
    """The smallest formdata WTForms accepts (getlist), without importing werkzeug here."""

    def setlist(self, key: str, values: list[str]) -> None:
        self[key] = values

    def getlist(self, key: str) -> list[str]:
        return self.get(key, [])


def answers_as_formdata(
    engine: FormEngine, definition: FormDefinition, band: str | None, answers: Mapping[str, Answer]
) -> dict[str, list[str]]:
    """Stored answers as posted values (to pre-fill a page form, e.g. for paper entry)."""
    return {
        key: engine.handler(definition.key, key, band).formdata(value)
        for key, value in answers.items()
        if definition.question(key) is not None
    }

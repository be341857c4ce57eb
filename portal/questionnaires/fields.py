"""Question type -> a small handler class -> a WTForms field, its validators and its answer value.

WTForms parses and validates; the respondent pages render the fields from `Choice` data with our
own Jinja macros (see templates/respond/macros.html), which is several times faster than WTForms
widgets. Every message is worded like GOV.UK and passed through gettext when it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from portal.questionnaires.schema import Question, Variant
from portal.rules.text import free_text_problem

Answer = str | int | list[str]

MESSAGES = {
    "choose_one": _l("Choose one of the answers shown"),
    "choose_shown": _l("Choose only from the answers shown"),
    "choose_number": _l("Choose a number from the ones shown"),
    "required_choice": _l("Choose an answer"),
    "required_text": _l("Write an answer"),
    # Text boxes: the message names the box, so the error summary says which one (GOV.UK).
    "too_long": _l("‘%(name)s’ must be %(max)s characters or fewer"),
    "hidden_character": _l(
        "‘%(name)s’ has a hidden character that cannot be saved. Check it and send it again"
    ),
}


@dataclass(frozen=True)
class Choice:
    """One radio or checkbox as the page shows it (English text; gettext applied at render)."""

    value: str
    label: str
    picture: str | None = None


class QuestionHandler:
    """Builds the field for one question type and turns its data into an answer."""

    type: ClassVar[str]

    def __init__(self, question: Question, variant: Variant | None = None) -> None:
        self.question = question
        self.variant = variant or Variant()

    @property
    def label(self) -> str:
        return self.variant.label or self.question.label

    @property
    def help(self) -> str | None:
        return self.variant.help or self.question.help

    def presence(self) -> Any:
        """`InputRequired` for required questions, else `Optional` (children may skip)."""
        if self.question.required:
            return InputRequired(message=self.required_message())
        return Optional()

    def required_message(self) -> Any:
        return MESSAGES["required_choice"]

    def field(self) -> Field:
        """A fresh unbound WTForms field for a form class."""
        raise NotImplementedError

    def choices(self) -> list[Choice]:
        """What to offer, in order (empty for free text)."""
        return []

    def answer(self, field: Field) -> Answer | None:
        """The stored answer from a validated field, or None when it was left blank."""
        return field.data if field.data not in (None, "", []) else None

    def formdata(self, answer: Answer) -> list[str]:
        """An answer as posted form values (to pre-fill a form, e.g. for paper entry)."""
        return [str(answer)]


class ChoiceHandler(QuestionHandler):
    """One answer from a list: radios whose values are option keys."""

    type = "choice"

    def choices(self) -> list[Choice]:
        return [
            Choice(
                option.key,
                self.variant.options.get(option.key, option.label),
                self.variant.pictures.get(option.key, option.picture),
            )
            for option in self.question.options
        ]

    def field(self) -> Field:
        return RadioField(
            self.label,
            choices=[(c.value, c.label) for c in self.choices()],
            validators=[self.presence()],
            invalid_choice_message=MESSAGES["choose_one"],
        )


class FeelingsHandler(ChoiceHandler):
    """A choice shown as large faces or pictures."""

    type = "feelings"


class MultiHandler(ChoiceHandler):
    """Any number of answers from a list: checkboxes."""

    type = "multi"

    def field(self) -> Field:
        return SelectMultipleField(
            self.label,
            choices=[(c.value, c.label) for c in self.choices()],
            validators=[self.presence()],
            invalid_choice_message=MESSAGES["choose_shown"],
        )

    def answer(self, field: Field) -> Answer | None:
        # Keep the definition's order and drop repeats, whatever order the browser sent.
        chosen = set(field.data or [])
        return [key for key in self.question.option_keys if key in chosen] or None

    def formdata(self, answer: Answer) -> list[str]:
        return [str(key) for key in answer] if isinstance(answer, list) else [str(answer)]


class ScaleHandler(QuestionHandler):
    """A whole number from min to max: radios in a row."""

    type = "scale"

    def choices(self) -> list[Choice]:
        low, high = self.question.min or 0, self.question.max or 0
        return [Choice(str(n), str(n)) for n in range(low, high + 1)]

    def field(self) -> Field:
        low, high = self.question.min or 0, self.question.max or 0
        return RadioField(
            self.label,
            choices=[(n, str(n)) for n in range(low, high + 1)],
            coerce=int,
            validators=[self.presence()],
            invalid_choice_message=MESSAGES["choose_number"],
            invalid_value_message=MESSAGES["choose_number"],
        )


class TextHandler(QuestionHandler):
    """Free text, stored exactly as typed, up to max_length characters."""

    type = "text"

    def required_message(self) -> Any:
        return MESSAGES["required_text"]

    def field(self) -> Field:
        return TextAreaField(
            self.label, validators=[self.presence(), self.storable, self.not_too_long]
        )

    def _named(self, message: Any, **values: Any) -> ValidationError:
        """An error naming this box in the page's language (run per request, so translated)."""
        return ValidationError(str(message) % {"name": gettext(self.label), **values})

    def storable(self, form: Any, field: Field) -> None:
        """Validator: free text holds no NUL or other control character (PostgreSQL refuses
        NUL in text and JSON); line breaks and tabs are kept."""
        if isinstance(field.data, str) and free_text_problem(field.data):
            raise self._named(MESSAGES["hidden_character"])

    def not_too_long(self, form: Any, field: Field) -> None:
        """Validator: at most max_length characters, said with the number as the reader writes it."""
        limit = self.question.max_length
        if isinstance(field.data, str) and len(field.data) > limit:
            raise self._named(MESSAGES["too_long"], max=format_decimal(limit))

    def answer(self, field: Field) -> Answer | None:
        text = field.data or ""
        return text if text.strip() else None


HANDLERS: dict[str, type[QuestionHandler]] = {
    handler.type: handler
    for handler in (ChoiceHandler, FeelingsHandler, MultiHandler, ScaleHandler, TextHandler)
}


def handler_for(question: Question, band: str | None = None) -> QuestionHandler:
    """The handler for a question, worded for an age band (None: the default wording)."""
    variant = question.variants.get(band) if band else None  # type: ignore[call-overload]
    return HANDLERS[question.type](question, variant)

"""The shape of a form definition (forms/*.yaml), validated with pydantic.

Question and option keys are the contract with reporting: they never change once released. A
changed question gets a new key and the form a new `version`, so old answers still report.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from portal.rules.roles import YOUNG_PERSON_ROLES

AgeBand = Literal["4-7", "8-11", "12-17", "16-25"]
AGE_BANDS: tuple[str, ...] = ("4-7", "8-11", "12-17", "16-25")
QuestionType = Literal["choice", "multi", "scale", "text", "feelings"]
Stage = Literal["consultation", "feedback"]
Role = Literal["child", "care_leaver", "parent", "carer", "health", "education", "guardian"]
ReviewKind = Literal["cared_for", "pathway_plan"]
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
_PICTURE = re.compile(r"^[a-z0-9_\-/]+\.svg$")
_AUDIO = re.compile(r"^[a-z0-9_\-/]+\.(mp3|ogg|m4a|wav)$")
# Where the child's first name goes in a `named_label` (the only placeholder a form may use).
CHILD_NAME = "%(name)s"
_PLACEHOLDER = re.compile(r"%\(?[a-z_]*\)?[sd]")


class Strict(BaseModel):
    """Unknown fields are errors: a typo in a definition must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    key: Key
    label: str = Field(min_length=1)
    picture: str | None = None
    # Choosing this option raises a safeguarding alert at once.
    alert: bool = False
    # Choosing this option asks for an advocate: a task for the IRO (ADR 0057), not an alert.
    advocacy: bool = False

    @model_validator(mode="after")
    def _one_kind_of_follow_up(self) -> Option:
        # An alert must reach the duty inbox at once; an advocacy task would only slow it down.
        if self.alert and self.advocacy:
            raise ValueError(f"{self.key}: an option is either alert or advocacy, not both")
        return self

    @field_validator("picture")
    @classmethod
    def _picture_is_local_svg(cls, value: str | None) -> str | None:
        if value is not None and not _PICTURE.match(value):
            raise ValueError(
                "picture must be a local .svg path under static/img, e.g. faces/happy.svg"
            )
        return value


class Variant(Strict):
    """Age-band wording: replaces the question's label, help and option labels for that band."""

    label: str | None = None
    help: str | None = None
    options: dict[str, str] = Field(default_factory=dict)
    pictures: dict[str, str] = Field(default_factory=dict)


class ShowIf(Strict):
    """Show a question only when an earlier answer is (or includes) one of `equals`."""

    question: Key
    equals: list[str] = Field(min_length=1)

    @field_validator("equals", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class Question(Strict):
    key: Key
    type: QuestionType
    label: str = Field(min_length=1)
    help: str | None = None
    # The label for someone who knows the child (a carer), with %(name)s for the child's first
    # name. Only pages that may name the child use it (never a meeting QR code); staff screens,
    # reports and paper forms keep `label`.
    named_label: str | None = None
    required: bool = False
    # Optional picture shown beside the question (decorative: the label says it all), e.g. a house.
    picture: str | None = None
    options: list[Option] = Field(default_factory=list)
    show_if: ShowIf | None = None
    variants: dict[AgeBand, Variant] = Field(default_factory=dict)
    # scale
    min: int | None = None
    max: int | None = None
    min_label: str | None = None
    max_label: str | None = None
    # text
    max_length: int = Field(default=2000, ge=1, le=10000)
    # A text box that tells more about an earlier question (its "tell us more" box). When that
    # question is a safety question (an `alert: true` option), any words typed here raise an
    # alert for a person to read, as a ticked option does: no keyword guessing (ADR 0066).
    more_about: Key | None = None
    # recorded audio per locale, e.g. {en: child/q1.mp3}, under static/audio/<locale>/
    audio: dict[str, str] = Field(default_factory=dict)

    @field_validator("picture")
    @classmethod
    def _picture_is_local_svg(cls, value: str | None) -> str | None:
        return Option._picture_is_local_svg(value)

    @field_validator("named_label")
    @classmethod
    def _names_the_child(cls, value: str | None) -> str | None:
        if value is not None and set(_PLACEHOLDER.findall(value)) != {CHILD_NAME}:
            raise ValueError(f"named_label needs {CHILD_NAME} and no other placeholder")
        return value

    @model_validator(mode="after")
    def _type_rules(self) -> Question:
        if self.type in ("choice", "multi", "feelings"):
            if len(self.options) < 2:
                raise ValueError(f"a {self.type} question needs at least two options")
            keys = [option.key for option in self.options]
            duplicates = sorted({key for key in keys if keys.count(key) > 1})
            if duplicates:
                raise ValueError(f"option keys repeated: {', '.join(duplicates)}")
        elif self.options:
            raise ValueError(f"a {self.type} question cannot have options")
        if self.type == "scale":
            if self.min is None or self.max is None or self.min >= self.max:
                raise ValueError("a scale question needs whole numbers min < max")
            if self.max - self.min > 20:
                raise ValueError("a scale question can have at most 21 points")
        elif self.min is not None or self.max is not None:
            raise ValueError("only a scale question can have min and max")
        if self.more_about is not None and self.type != "text":
            raise ValueError("only a text question can tell more about another (more_about)")
        option_keys = {option.key for option in self.options}
        for band, variant in self.variants.items():
            unknown = sorted(set(variant.options) - option_keys)
            if unknown:
                raise ValueError(f"variant {band} names unknown options: {', '.join(unknown)}")
        for locale, path in self.audio.items():
            if not _AUDIO.match(path):
                raise ValueError(f"audio for {locale} must be a local audio file path")
        return self

    @property
    def option_keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.options)

    def has_alert_options(self) -> bool:
        return any(option.alert for option in self.options)

    def has_advocacy_options(self) -> bool:
        return any(option.advocacy for option in self.options)


class Page(Strict):
    key: Key
    title: str | None = None
    questions: list[Question] = Field(min_length=1)


class FormDefinition(Strict):
    key: Key
    version: int = Field(ge=1)
    stage: Stage
    roles: list[Role] = Field(min_length=1)
    review_kinds: list[ReviewKind] = Field(min_length=1)
    # Age bands this form serves (children's forms); empty means any age (adults' forms).
    age_bands: list[AgeBand] = Field(default_factory=list)
    # One question per screen (the youngest); otherwise a few questions a page as defined.
    one_question_per_page: bool = False
    # One question per screen only for these bands (e.g. ["4-7"]); other bands get the pages.
    one_question_per_page_bands: list[AgeBand] = Field(default_factory=list)
    title: str = Field(min_length=1)
    intro: str = Field(min_length=1)
    minutes: int = Field(default=5, ge=1, le=60)
    pages: list[Page] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys_and_conditions(self) -> FormDefinition:
        seen: dict[str, Question] = {}
        page_keys: set[str] = set()
        for page in self.pages:
            if page.key in page_keys:
                raise ValueError(f"page key repeated: {page.key}")
            page_keys.add(page.key)
            for question in page.questions:
                if question.key in seen:
                    raise ValueError(f"question key repeated: {question.key}")
                if question.show_if is not None:
                    source = seen.get(question.show_if.question)
                    if source is None:
                        raise ValueError(
                            f"{question.key}: show_if names {question.show_if.question}, "
                            "which is not an earlier question"
                        )
                    unknown = sorted(set(question.show_if.equals) - set(source.option_keys))
                    if unknown:
                        raise ValueError(
                            f"{question.key}: show_if uses options {', '.join(unknown)} "
                            f"that {source.key} does not have"
                        )
                if question.more_about is not None:
                    about = seen.get(question.more_about)
                    if about is None or about.type == "text":
                        raise ValueError(
                            f"{question.key}: more_about names {question.more_about}, "
                            "which is not an earlier question with answers to choose"
                        )
                seen[question.key] = question
        self._advocacy_only_for_young_people()
        return self

    def _advocacy_only_for_young_people(self) -> None:
        """An advocacy request is the young person's own: an adult's form may not make one."""
        asking = [q.key for q in self.questions if q.has_advocacy_options()]
        adults = sorted(set(self.roles) - set(YOUNG_PERSON_ROLES))
        if asking and adults:
            raise ValueError(
                f"{', '.join(asking)}: advocacy options are for young people's forms only, "
                f"but this form is also for {', '.join(adults)}"
            )

    def one_question_per_page_for(self, band: str | None) -> bool:
        """Whether a respondent in `band` sees one question per screen."""
        return self.one_question_per_page or band in self.one_question_per_page_bands

    @property
    def questions(self) -> list[Question]:
        return [question for page in self.pages for question in page.questions]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def tells_more_about_safety(self, question: Question) -> bool:
        """Whether `question` is the text box of a safety question (words typed raise an alert)."""
        if question.type != "text" or question.more_about is None:
            return False
        about = self.question(question.more_about)
        return about is not None and about.has_alert_options()

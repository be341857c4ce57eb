"""WTForms classes for the team's screens, with GOV.UK-style messages that name the thing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from portal.languages.i18n import staff_language_choice
from portal.models import CHANNELS, REVIEW_KINDS, ROLES, STAFF_ROLES
from portal.rules import dates
from portal.rules.invitations import lacks_address, lacks_mobile
from portal.rules.mobile import uk_mobile
from portal.rules.participation import STAND_DOWN_NOTE_MAX, STAND_DOWN_REASON_LABELS
from portal.rules.roles import REVIEW_KIND_LABELS, STAFF_ROLE_LABELS
from portal.rules.text import ADDRESS_LINES, free_text_problem, postal_address, single_line_problem

CHANNEL_LABELS = {
    "email": _l("Email"),
    "sms": _l("Text message"),
    "post": _l("Post"),
    "hand": _l("By hand"),
    "qr": _l("QR code"),
}
EMAIL_MESSAGE = _l("Enter an email address in the correct format, like name@example.com")
NO_ADDRESS_MESSAGE = _l("Enter an email address, or choose another way to send")
NO_MOBILE_MESSAGE = _l("Enter a mobile number, or choose another way to send")
MOBILE_MESSAGE = _l(
    "Enter a UK mobile number, like 07700 900123: a landline or a number abroad cannot get texts"
)


def line_field(
    label: str,
    max_length: int,
    *,
    noun: str | None = None,
    required: str | None = None,
    checks: tuple[Any, ...] = (),
    kind: type[StringField] = StringField,
) -> StringField:
    """A one-line text field: SingleLine first (naming `noun`, else the label), then the
    `required` message when it must be filled in, then `checks`, then the length limit."""
    validators: list[Any] = [SingleLine(noun or label)]
    if required:
        validators.append(DataRequired(required))
    return kind(label, validators=[*validators, *checks, Length(max=max_length)])


def mobile_field() -> StringField:
    """A UK mobile number, stored normalised (+447…) by `normalise_mobile`."""
    return line_field(_l("Mobile number (for texts)"), 40)


def normalise_mobile(field: Any) -> None:
    """Check a mobile field and keep it in E.164; a clear message for a landline or abroad."""
    number, problem = uk_mobile(field.data)
    if problem:
        raise ValidationError(MOBILE_MESSAGE)
    field.data = number


def check_recipient_mobile(form: Any, field: Any) -> None:
    """Inline validator for a form's `recipient_mobile`: a UK mobile, and one if it is texted."""
    normalise_mobile(field)
    if lacks_mobile(form.channel.data, field.data):
        raise ValidationError(NO_MOBILE_MESSAGE)


ADDRESS_MESSAGE = _l(
    "Enter a postal address of up to %(lines)d lines, each up to 80 characters", lines=ADDRESS_LINES
)


def parse_date(raw: str | None) -> dt.date | None:
    """A date from an <input type=date> value (YYYY-MM-DD) or DD/MM/YYYY; None if not a date."""
    raw = (raw or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


class DateInput:
    """Validator: the field holds a real date, optionally not in the past or the future."""

    def __init__(self, noun: str, *, not_past: bool = False, not_future: bool = False) -> None:
        self.noun, self.not_past, self.not_future = noun, not_past, not_future

    def __call__(self, form: Any, field: Any) -> None:
        value = parse_date(field.data)
        if value is None:
            raise ValidationError(
                _l("%(noun)s must be a real date, like 27/3/2026", noun=self.noun)
            )
        today = dates.today()
        if self.not_past and value < today:
            raise ValidationError(_l("%(noun)s must be today or in the future", noun=self.noun))
        if self.not_future and value > today:
            raise ValidationError(_l("%(noun)s must be today or in the past", noun=self.noun))
        if value.year < 1900 or value.year > today.year + 5:
            raise ValidationError(
                _l("%(noun)s must be a real date, like 27/3/2026", noun=self.noun)
            )


class SingleLine:
    """Validator: no line break, tab or other control character (portal.rules.text).

    These values reach email headers, log lines, CSV cells and letters, where a line break
    breaks the format or injects into it. Runs first and stops the chain: one clear message.
    """

    def __init__(self, noun: str) -> None:
        self.noun = noun

    def __call__(self, form: Any, field: Any) -> None:
        if isinstance(field.data, str) and single_line_problem(field.data):
            raise StopValidation(
                _l(
                    "%(noun)s must be on one line, with no tabs or other hidden characters",
                    noun=self.noun,
                )
            )


def free_text(form: Any, field: Any) -> None:
    """Validator: free text may span lines but holds no NUL or other control character."""
    if isinstance(field.data, str) and free_text_problem(field.data):
        raise ValidationError(_l("Remove the hidden characters (such as NUL) from the text"))


def valid_time(form: Any, field: Any) -> None:
    """Validator: empty, or a time of day like 10:30."""
    if field.data and parse_time(field.data) is None:
        raise ValidationError(_l("Enter the start time as a time, like 10:30"))


def parse_time(raw: str | None) -> dt.time | None:
    """A time of day from HH:MM, or None."""
    try:
        return dt.datetime.strptime((raw or "").strip(), "%H:%M").time()
    except ValueError:
        return None


def language_choices() -> list[tuple[str, str]]:
    """Every respondent language, named as the team says it and in itself ("Dari – دری")."""
    return [(code, staff_language_choice(code)) for code in current_app.config["LANGUAGES"]]


class ChildForm(FlaskForm):
    case_ref = line_field(_l("Case reference"), 40, required=_l("Enter the case reference"))
    first_name = line_field(
        _l("First name or known-as name"),
        80,
        noun=_l("First name"),
        required=_l("Enter the child's first name"),
    )
    date_of_birth = StringField(
        _l("Date of birth"),
        validators=[
            DataRequired(_l("Enter the date of birth")),
            DateInput(_l("Date of birth"), not_future=True),
        ],
    )
    preferred_language = SelectField(_l("Preferred language"))
    iro_id = SelectField(_l("IRO"), validate_choice=False)
    version_id = HiddenField()

    def validate_iro_id(self, field: Any) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose an IRO from the list"))

    def validate_preferred_language(self, field: Any) -> None:
        if field.data not in current_app.config["LANGUAGES"]:
            raise ValidationError(_l("Choose a language from the list"))


class ReviewForm(FlaskForm):
    kind = SelectField(
        _l("Kind of review"),
        choices=[(k, REVIEW_KIND_LABELS[k]) for k in REVIEW_KINDS],
        validators=[InputRequired(_l("Choose the kind of review"))],
    )
    review_date = StringField(
        _l("Review date"),
        validators=[
            DataRequired(_l("Enter the review date")),
            # A review that has already happened may be added for its feedback forms;
            # "mark held" still refuses a date before the review (rules/participation).
            DateInput(_l("Review date")),
        ],
    )
    start_time = StringField(_l("Start time (optional)"), validators=[Optional(), valid_time])
    venue = line_field(_l("Venue (optional)"), 200, noun=_l("Venue"))
    iro_id = SelectField(_l("IRO"), validate_choice=False)
    version_id = HiddenField()

    def validate_iro_id(self, field: Any) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose an IRO from the list"))


YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


class HeldForm(FlaskForm):
    """Mark as held. Choices are set per review by the view; the view re-checks every
    value against the rules (rules/participation), never trusting what was offered."""

    held_on = StringField(
        _l("Date the review was held"),
        validators=[
            DataRequired(_l("Enter the date the review was held")),
            DateInput(_l("Date the review was held"), not_future=True),
        ],
    )
    participation = RadioField(
        _l("How did the child or young person take part?"),
        validate_choice=False,
        validators=[InputRequired(_l("Choose how the child or young person took part"))],
    )
    chaired = RadioField(
        _l("Did the young person chair or co-chair their review?"),
        choices=YES_NO,
        validate_choice=False,
        validators=[
            InputRequired(_l("Say whether the young person chaired or co-chaired the review"))
        ],
    )
    attended = SelectMultipleField(_l("Who attended?"), validate_choice=False)
    iro_saw_child_on = StringField(
        _l("Date the IRO saw the child before the review (optional)"),
        validators=[
            Optional(),
            DateInput(_l("The date the IRO saw the child"), not_future=True),
        ],
    )


class StandDownForm(FlaskForm):
    """Stand down: a reason from the short list, and a note when it is "other"."""

    reason = RadioField(
        _l("Why was the review stood down?"),
        choices=[(key, label) for key, label in STAND_DOWN_REASON_LABELS.items()],
        validate_choice=False,
        validators=[InputRequired(_l("Choose why the review was stood down"))],
    )
    note = StringField(
        _l("If other, say why"),
        validators=[
            SingleLine(_l("The reason")),
            Length(
                max=STAND_DOWN_NOTE_MAX, message=_l("The reason must be 200 characters or fewer")
            ),
        ],
    )


class RearrangeForm(FlaskForm):
    review_date = StringField(
        _l("New review date"),
        validators=[
            DataRequired(_l("Enter the new review date")),
            DateInput(_l("New review date"), not_past=True),
        ],
    )
    start_time = StringField(_l("Start time (optional)"), validators=[Optional(), valid_time])
    version_id = HiddenField()


class InvitationRow(PlainForm):
    """One proposed invitation on the Prepare invitations page."""

    include = BooleanField(_l("Invite"))
    role = HiddenField()
    form_key = SelectField(_l("Form"), validate_choice=False)
    recipient_name = line_field(_l("Name"), 120)
    recipient_email = line_field(_l("Email address"), 254, checks=(Optional(),), kind=EmailField)
    recipient_mobile = mobile_field()
    postal_address = TextAreaField(_l("Postal address"), validators=[Length(max=700)])
    channel = SelectField(_l("How to send"), choices=[(c, CHANNEL_LABELS[c]) for c in CHANNELS])
    language = SelectField(_l("Language"), validate_choice=False)

    validate_recipient_mobile = check_recipient_mobile

    def validate_postal_address(self, field: Any) -> None:
        field.data, problem = postal_address(field.data or "")
        if problem:
            raise ValidationError(ADDRESS_MESSAGE)

    def validate_role(self, field: Any) -> None:
        if field.data not in ROLES:
            raise ValidationError(_l("Choose a role from the list"))


class PrepareForm(FlaskForm):
    rows = FieldList(FormField(InvitationRow), min_entries=0, max_entries=30)
    # The review's newest invitation at this stage when the page was drawn
    # (invitations.invitations_mark); absent, the page was drawn when there were none.
    drawn_after = IntegerField(widget=HiddenInput(), default=0)


class RecipientForm(FlaskForm):
    """Change who an invitation goes to (reissue)."""

    recipient_name = line_field(_l("Name"), 120)
    recipient_email = line_field(
        _l("Email address"), 254, checks=(Optional(), Email(EMAIL_MESSAGE)), kind=EmailField
    )
    recipient_mobile = mobile_field()
    channel = SelectField(_l("How to send"), choices=[(c, CHANNEL_LABELS[c]) for c in CHANNELS])
    language = SelectField(_l("Language"), validate_choice=False)

    validate_recipient_mobile = check_recipient_mobile

    def validate_recipient_email(self, field: Any) -> None:
        if lacks_address(self.channel.data, field.data):
            raise ValidationError(NO_ADDRESS_MESSAGE)


class PaperReturnForm(FlaskForm):
    returned_on = StringField(
        _l("Date the paper form came back"),
        validators=[
            DataRequired(_l("Enter the date the paper form came back")),
            DateInput(_l("Date the paper form came back"), not_future=True),
        ],
    )


class MeetingQRForm(FlaskForm):
    max_responses = IntegerField(
        _l("Most responses allowed"),
        default=12,
        validators=[
            InputRequired(_l("Enter how many people may answer")),
            NumberRange(1, 40, _l("Enter a number from 1 to 40")),
        ],
    )


class AcknowledgeForm(FlaskForm):
    note = TextAreaField(_l("What was done (optional)"), validators=[free_text, Length(max=2000)])


class UserForm(FlaskForm):
    email = line_field(
        _l("Email address"),
        254,
        required=_l("Enter an email address"),
        checks=(Email(EMAIL_MESSAGE),),
        kind=EmailField,
    )
    name = line_field(_l("Name"), 120, required=_l("Enter a name"))
    role = SelectField(_l("Role"), choices=[(r, STAFF_ROLE_LABELS[r]) for r in STAFF_ROLES])


class UserEditForm(FlaskForm):
    name = line_field(_l("Name"), 120, required=_l("Enter a name"))
    role = SelectField(_l("Role"), choices=[(r, STAFF_ROLE_LABELS[r]) for r in STAFF_ROLES])
    active = BooleanField(_l("Account is active (untick when someone leaves)"))


class SecuritySettingsForm(FlaskForm):
    require_totp = BooleanField(_l("Everyone must use a second factor (authenticator app)"))


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password")), Length(max=200)],
    )

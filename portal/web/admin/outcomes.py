"""The IRO's message to the young person after a held review: write it, paste a translation,
print it. The rules (headings, reading age, when it counts as sent) are portal.rules.outcomes.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import Length

from portal.delivery import letters
from portal.extensions import db
from portal.languages.i18n import staff_language_name
from portal.models import WRITE_ROLES, Review
from portal.rules import outcomes
from portal.staff import audit
from portal.staff.access import get_review_or_404, staff_required
from portal.web.admin import bp
from portal.web.admin.forms import free_text
from portal.web.admin.helpers import saved


def _parts_form(name: str) -> type[FlaskForm]:
    """A form with one textarea per guided heading (the message and its translation share it)."""
    fields = {
        key: TextAreaField(
            heading,
            validators=[
                free_text,
                Length(
                    max=outcomes.MAX_PART_LENGTH,
                    message=_l(
                        "%(heading)s must be %(max)d characters or fewer",
                        heading=heading,
                        max=outcomes.MAX_PART_LENGTH,
                    ),
                ),
            ],
        )
        for key, heading in outcomes.HEADINGS
    }
    return type(name, (FlaskForm,), fields)


# What to write under each heading (the IRO's screen only).
WRITING_HINTS = {
    "talked_about": _l(
        'For example: "We talked about school and seeing your brother." Use short sentences '
        "and everyday words."
    ),
    "decided": _l(
        'For example: "You will stay with Sam and Alex." Say it the way you would say it to them.'
    ),
    "next_steps": _l(
        'For example: "Your social worker will visit in two weeks." Say who does what, and when.'
    ),
    "who_to_talk_to": _l(
        'For example: "You can talk to me, your social worker or your carer." Name people '
        "they know."
    ),
}

MessageForm = _parts_form("MessageForm")
TranslationForm = _parts_form("TranslationForm")
NOTHING_WRITTEN = _l("Write something under at least one heading")


def _words(form: FlaskForm) -> dict[str, str]:
    return {key: form[key].data or "" for key in outcomes.PARTS}


def _held_review(review_id: int) -> Review:
    """A held review the user may see (404 otherwise); the message follows the meeting."""
    review = get_review_or_404(review_id, current_user)
    if review.status != "held":
        abort(409)
    return review


def _page(
    review: Review,
    form: FlaskForm,
    translation_form: FlaskForm,
    *,
    words: dict[str, str] | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> str:
    outcome = review.outcome
    language = outcomes.message_language(review)
    if words is None:
        words = {key: getattr(outcome, key) for key in outcomes.PARTS} if outcome else {}
    return render_template(
        "admin/outcome.html",
        review=review,
        outcome=outcome,
        form=form,
        translation_form=translation_form,
        headings=[(key, heading, WRITING_HINTS[key]) for key, heading in outcomes.HEADINGS],
        band=outcomes.band(review),
        picture_band=outcomes.PICTURE_BAND,
        hint=outcomes.reading_hint(words, review.child.date_of_birth, review.review_date),
        editable=outcomes.can_edit(outcome),
        language=language,
        language_label=staff_language_name(language),
        needs_translation=language != "en",
        errors=errors or [],
    )


def _translation_form(review: Review) -> FlaskForm:
    outcome = review.outcome
    form = TranslationForm(formdata=None)
    if outcome is not None and outcome.translation:
        for key in outcomes.PARTS:
            form[key].data = outcome.translation.get(key, "")
    return form


@bp.get("/reviews/<int:review_id>/message")
@staff_required()
def outcome_message(review_id: int) -> str:
    """The message to the young person: written by their IRO, read by everyone who sees the review."""
    review = _held_review(review_id)
    form = MessageForm(formdata=None, obj=review.outcome)
    return _page(review, form, _translation_form(review))


@bp.post("/reviews/<int:review_id>/message")
@staff_required(*WRITE_ROLES)
def outcome_message_save(review_id: int) -> str | Response | tuple[str, int]:
    """Save the message (or only check its reading age); refused once it has been sent."""
    review = _held_review(review_id)
    if not outcomes.can_edit(review.outcome):
        abort(409)
    form = MessageForm()
    valid = form.validate_on_submit()
    words = _words(form)
    errors = [
        (field_id, message) for field_id, messages in form.errors.items() for message in messages
    ]
    if valid and not any(text.strip() for text in words.values()):
        errors = [("talked_about", str(NOTHING_WRITTEN))]
    if errors:
        return _page(review, form, _translation_form(review), words=words, errors=errors), 400
    if request.form.get("_action") == "check":
        return _page(review, form, _translation_form(review), words=words)
    first = review.outcome is None
    outcome = outcomes.save_words(review, words, current_user.id)
    db.session.flush()
    # Which headings were filled, never the words themselves.
    filled = [key for key in outcomes.PARTS if getattr(outcome, key)]
    audit.record("outcome_written" if first else "outcome_changed", outcome, parts=filled,
                 sent=outcome.sent_at is not None)  # fmt: skip
    db.session.commit()
    if outcome.sent_at is not None:
        saved(
            _(
                "Message saved. The young person's invitation has already gone, so they can read it now."
            )
        )
    else:
        saved(
            _("Message saved. The young person sees it when they open their feedback invitation.")
        )
    return redirect(url_for("admin.outcome_message", review_id=review.id))


@bp.post("/reviews/<int:review_id>/message/translation")
@staff_required(*WRITE_ROLES)
def outcome_translation_save(review_id: int) -> str | Response | tuple[str, int]:
    """Keep a pasted translation beside the IRO's words (allowed after sending too)."""
    review = _held_review(review_id)
    outcome = review.outcome
    if outcome is None or not outcomes.has_words(outcome):
        abort(409)
    form = TranslationForm()
    if not form.validate_on_submit():
        errors = [
            (f"translation-{field_id}", message)
            for field_id, messages in form.errors.items()
            for message in messages
        ]
        return _page(review, MessageForm(formdata=None, obj=outcome), form, errors=errors), 400
    language = outcomes.message_language(review)
    outcomes.save_translation(outcome, language, _words(form), current_user.id)
    audit.record("outcome_translation_saved", outcome, language=language,
                 removed=outcome.translation is None)  # fmt: skip
    db.session.commit()
    saved(_("Translation saved."))
    return redirect(url_for("admin.outcome_message", review_id=review.id))


@bp.get("/reviews/<int:review_id>/message/print")
@staff_required(*WRITE_ROLES)
def outcome_print(review_id: int) -> str:
    """A printable copy of the message, in the young person's band's design."""
    review = _held_review(review_id)
    if not outcomes.has_words(review.outcome):
        abort(404)
    audit.record("outcome_printed", review.outcome)
    db.session.commit()
    return render_template(
        "admin/outcome_print.html",
        review=review,
        message=letters.outcome_html(review),
        back_url=url_for("admin.outcome_message", review_id=review.id),
    )

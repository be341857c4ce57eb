"""Text messages (SMS) for invitations and reminders, and how many SMS fragments they take.

A text is short and carries the link as the short address and code (the full link would not
fit two fragments in a Unicode language). A parent's or carer's text names no child at all:
a text is read on a lock screen, so it says less than the email. The wording is in
our gettext catalogues; a test holds every catalogue to two fragments.
"""

from __future__ import annotations

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from portal.languages.i18n import text_direction
from portal.models import Invitation
from portal.rules.roles import is_young_person

MAX_FRAGMENTS = 2
# GSM 03.38: the basic set costs one septet a character, the extension set two (ESC + char).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
# Unicode isolates: an address and code read left to right inside right-to-left text.
LRI, PDI = "\u2066", "\u2069"


def fragments(text: str) -> int:
    """How many SMS fragments a text is sent as: GSM-7 (160 alone, 153 each when split) when
    every character is in the GSM set, else UCS-2 (70, then 67; a character outside the Basic
    Multilingual Plane takes two units)."""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        units = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        single, part = 160, 153
    else:
        units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
        single, part = 70, 67
    if units <= single:
        return 1
    return -(-units // part)


def compose_text(invitation: Invitation, *, reminder: bool, short_code: str, code_url: str) -> str:
    """The invitation or reminder text in the recipient's language."""
    with force_locale(invitation.language):
        address, code = code_url, short_code
        if text_direction(invitation.language) == "rtl":
            address, code = f"{LRI}{address}{PDI}", f"{LRI}{code}{PDI}"
        date = format_date(invitation.review_date, "d MMMM")
        text = _body(invitation, address=address, code=code, date=date)
        if reminder:
            text = _("Reminder: %(text)s", text=text)
    return text


def _body(invitation: Invitation, *, address: str, code: str, date: str) -> str:
    # Short on purpose: in a Unicode language two fragments are 134 characters, and the
    # address and code take about 55 of them.
    feedback = invitation.stage == "feedback"
    if is_young_person(invitation.role):
        if feedback:
            return _("How did your review go? Tell us at %(address)s, code %(code)s",
                     address=address, code=code)  # fmt: skip
        return _("Your review is on %(date)s. Have your say at %(address)s, code %(code)s",
                 date=date, address=address, code=code)  # fmt: skip
    if feedback:
        return _("Tell us how a review went at %(address)s, code %(code)s",
                 address=address, code=code)  # fmt: skip
    return _("Have your say before a review on %(date)s at %(address)s, code %(code)s",
             date=date, address=address, code=code)  # fmt: skip

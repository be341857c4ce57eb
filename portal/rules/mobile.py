"""UK mobile numbers: checked and normalised with `phonenumbers` (Google's libphonenumber data),
so a landline, a short or foreign number is refused where it is typed, not by Notify later."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
# Ofcom keeps 07700 900000-900999 for drama: never a real person, so training and tests use it
# (libphonenumber calls it invalid).
DRAMA_RANGE = range(7700900000, 7700901000)
PROBLEM_NOT_A_NUMBER = "is not a phone number"
PROBLEM_NOT_UK = "is not a UK number (texts go to UK mobiles only)"
PROBLEM_NOT_MOBILE = "is not a UK mobile number (07…): a landline cannot receive texts"


def uk_mobile(text: str | None) -> tuple[str | None, str | None]:
    """The number in E.164 (+447…), or why it is not a UK mobile. Blank is fine: no mobile."""
    text = (text or "").strip()
    if not text:
        return None, None
    if len(text) > 40:
        return None, PROBLEM_NOT_A_NUMBER
    try:
        number = phonenumbers.parse(text, "GB")
    except NumberParseException:
        return None, PROBLEM_NOT_A_NUMBER
    if number.country_code != 44:
        return None, PROBLEM_NOT_UK
    if number.national_number not in DRAMA_RANGE:
        if not phonenumbers.is_valid_number(number):
            return None, PROBLEM_NOT_A_NUMBER
        if phonenumbers.number_type(number) not in MOBILE_TYPES:
            return None, PROBLEM_NOT_MOBILE
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def display(e164: str | None) -> str:
    """How staff read a stored mobile: 07700 900123."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "GB")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

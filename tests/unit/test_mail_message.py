"""The MIME message built for every email: headers encoded, UTF-8 bodies, nothing broken."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from portal.delivery.mail import Mail, MessageNotBuilt, build_message

SENDER = "Review voice portal <no-reply@portal.example>"


def parsed(mail: Mail, sender: str = SENDER):
    return message_from_bytes(build_message(mail, sender).as_bytes(), policy=policy.default)


def test_right_to_left_subject_and_bodies_read_back_as_written():
    subject = "تذكير: شارك برأيك قبل المراجعة"
    message = parsed(Mail(to=["a@example.org"], subject=subject, text="مرحبا\r\nرابط",
                          html='<p dir="rtl">مرحبا</p>'))  # fmt: skip
    assert message["Subject"] == subject and message["To"] == "a@example.org"
    assert message["From"] == SENDER and message["Auto-Submitted"] == "auto-generated"
    assert message["Date"] and message["Message-ID"].endswith("@portal.example>")
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content() == "مرحبا\nرابط\n"
    assert message.get_body(("html",)).get_content() == '<p dir="rtl">مرحبا</p>\n'


def test_english_text_stays_readable_in_the_file_and_a_very_long_line_is_encoded():
    raw = build_message(Mail(to=["a@example.org"], subject="Hi", text="A link"), SENDER).as_bytes()
    assert b"\nA link\n" in raw and b"Content-Transfer-Encoding: 7bit" in raw
    long_line = "x" * 2000
    message = parsed(Mail(to=["a@example.org"], subject="Hi", text=long_line))
    assert message["Content-Transfer-Encoding"] == "base64"
    assert message.get_content() == long_line + "\n"


def test_a_display_name_is_encoded_and_a_non_ascii_address_refused():
    assert (
        parsed(Mail(to=["a@example.org"], subject="Hi", text="x"), "Zoë <z@example.org>")["From"]
        == "Zoë <z@example.org>"
    )
    with pytest.raises(MessageNotBuilt, match="To is not valid"):
        build_message(Mail(to=["zoë@example.org"], subject="Hi", text="x"), SENDER)


@pytest.mark.parametrize("subject", ["Hi\r\nBcc: x@example.org", "Hi\x00"])
def test_a_header_that_would_break_is_refused_without_naming_its_value(subject):
    with pytest.raises(MessageNotBuilt) as refused:
        build_message(Mail(to=["a@example.org"], subject=subject, text="x"), SENDER)
    assert str(refused.value).startswith("Subject has a") and "Bcc" not in str(refused.value)

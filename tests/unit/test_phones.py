"""Phone numbers in sentences become tel: links that right-to-left text cannot split."""

from __future__ import annotations

from markupsafe import Markup

from portal.web.phones import phone_link, phone_links

CHILDLINE = '<a href="tel:08001111"><bdi dir="ltr" class="phone">0800 1111</bdi></a>'
EMERGENCY = '<a href="tel:999"><bdi dir="ltr" class="phone">999</bdi></a>'


def test_999_and_childline_in_a_sentence_become_tel_links():
    linked = phone_links(
        "If you are in danger now, call 999. You can talk to Childline any time on 0800 1111."
    )
    assert linked == Markup(
        f"If you are in danger now, call {EMERGENCY}. You can talk to Childline any time on "
        f"{CHILDLINE}."
    )


def test_a_translators_isolate_marks_around_a_number_give_way_to_the_link():
    arabic = "Childline: اتصل بالرقم \u20660800 1111\u2069، مجانًا"
    assert phone_links(arabic) == Markup(f"Childline: اتصل بالرقم {CHILDLINE}، مجانًا")


def test_a_no_break_space_inside_the_number_is_still_the_number():
    assert CHILDLINE in phone_links("ring 0800\u00a01111 now")


def test_the_text_is_escaped_before_it_is_marked_up():
    linked = phone_links('<script>alert("x")</script> call 999')
    assert "<script>" not in linked and "&lt;script&gt;" in linked and EMERGENCY in linked


def test_999_inside_a_longer_number_or_a_year_is_left_alone():
    assert phone_links("call 0800 999 123 or in 19990") == Markup("call 0800 999 123 or in 19990")
    assert phone_links("on 9999") == Markup("on 9999")


def test_extra_numbers_are_linked_in_their_own_spelling():
    linked = phone_links("Ring the team on 01632960321.", "01632 960 321")
    assert linked == Markup(
        'Ring the team on <a href="tel:01632960321"><bdi dir="ltr" class="phone">'
        "01632 960 321</bdi></a>."
    )


def test_an_international_number_keeps_its_plus_in_the_link():
    assert phone_link("+44 1632 960 321") == Markup(
        '<a href="tel:+441632960321"><bdi dir="ltr" class="phone">+44 1632 960 321</bdi></a>'
    )


def test_an_empty_number_is_no_link():
    assert phone_link("") == Markup("")

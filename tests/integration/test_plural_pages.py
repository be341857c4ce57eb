"""Plural words on a real page: the start page's "It takes about N minutes" (docs/adr/0070)."""

from __future__ import annotations

from flask_babel import force_locale, ngettext

from tests.respond_support import make_invitation

MINUTES = ("It takes about %(num)d minute.", "It takes about %(num)d minutes.")


def start_page(client, link, lang: str) -> str:
    assert client.get(link.url).status_code == 302
    page = client.get(f"/r/start?lang={lang}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_arabic_start_page_says_5_minutes_with_the_plural_of_3_to_10(app, client):
    # child_feedback takes 5 minutes (forms/child_feedback.yaml)
    link = make_invitation(app, stage="feedback", form_key="child_feedback")
    html = start_page(client, link, "ar")
    assert "يستغرق حوالي 5 دقائق." in html
    assert "5 دقيقة" not in html


def test_arabic_ngettext_takes_each_cldr_form(app):
    expected = {
        1: "يستغرق حوالي 1 دقيقة واحدة.",
        2: "يستغرق حوالي 2 دقيقتين.",
        10: "يستغرق حوالي 10 دقائق.",
        11: "يستغرق حوالي 11 دقيقةً.",
        100: "يستغرق حوالي 100 دقيقة.",
    }
    with app.test_request_context(), force_locale("ar"):
        for n, words in expected.items():
            assert ngettext(*MINUTES, n) == words


def test_polish_start_page_counts_minutes_as_polish_does(app, client):
    link = make_invitation(app, stage="feedback", form_key="child_feedback")
    assert "To zajmie około 5 minut." in start_page(client, link, "pl")
    with app.test_request_context(), force_locale("pl"):
        assert ngettext(*MINUTES, 3) == "To zajmie około 3 minuty."
        assert ngettext(*MINUTES, 22) == "To zajmie około 22 minuty."
        assert ngettext(*MINUTES, 12) == "To zajmie około 12 minut."

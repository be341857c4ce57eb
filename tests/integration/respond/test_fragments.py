"""The cached question markup is exactly the macro's, with the answers put in outside the cache."""

from __future__ import annotations

from flask import get_template_attribute

from portal.questionnaires import catalogue, engine
from portal.web.respond import fragments


def _views(app, locale: str = "en"):
    form = next(form for form in catalogue() if any(q.type == "text" for q in form.questions))
    forms = engine()
    return [
        view
        for screen in forms.screens(form, None)
        for view in forms.views(form, screen, None, locale)
    ]


def test_cached_choice_markup_is_the_macros_for_each_set_of_chosen_options(app):
    app.jinja_env.auto_reload = False  # as in production
    with app.test_request_context("/r/page/1"):
        macro = get_template_attribute("respond/macros.html", "question")
        choice = next(view for view in _views(app) if view.choices)
        for chosen in ([], [choice.choices[0].value], [choice.choices[-1].value]):
            values = {choice.key: chosen}
            for heading in (False, True):
                expected = str(macro(choice, values, None, heading=heading))
                assert str(fragments.question_html(choice, values, None, heading)) == expected
                assert str(fragments.question_html(choice, values, None, heading)) == expected


def test_cached_text_markup_is_the_macros_with_the_typed_text_escaped(app):
    app.jinja_env.auto_reload = False
    with app.test_request_context("/r/page/1"):
        macro = get_template_attribute("respond/macros.html", "question")
        text = next(view for view in _views(app) if view.type == "text")
        for typed in ([], [""], ["my own words"], ["</textarea><script>x('&')</script>"]):
            values = {text.key: typed}
            expected = str(macro(text, values, None))
            assert str(fragments.question_html(text, values, None)) == expected
        assert "<script>" not in expected and "&lt;script&gt;" in expected


def test_typed_text_and_errors_are_never_kept(app):
    app.jinja_env.auto_reload = False
    with app.test_request_context("/r/page/1"):
        text = next(view for view in _views(app) if view.type == "text")
        choice = next(view for view in _views(app) if view.choices)
        html = fragments.question_html(text, {text.key: ["my own words"]}, None)
        before = len(fragments.kept())
        fragments.question_html(choice, {choice.key: []}, "Choose an answer")
        assert "my own words" in html
        assert len(fragments.kept()) == before
        assert all("my own words" not in "".join(parts) for parts in fragments.kept().values())

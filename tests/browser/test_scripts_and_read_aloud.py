"""Scripts render (no boxes), right-to-left layout, and "Read this to me" in real Chromium."""

from __future__ import annotations

import secrets
import wave
from pathlib import Path

import pytest
from flask import render_template_string

from portal.config import PROJECT_ROOT
from portal.questionnaires import Question
from tests.browser.wcag import no_violations

pytestmark = pytest.mark.browser

# Characters drawn like U+10FFFD (no font has it: the .notdef box) have no glyph on this machine.
FIND_BOXES = """(root) => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  ctx.font = "32px " + getComputedStyle(document.body).fontFamily;
  const draw = (ch) => {
    ctx.clearRect(0, 0, 64, 64); ctx.fillText(ch, 8, 44);
    return ctx.getImageData(0, 0, 64, 64).data.join("");
  };
  const box = draw("\\u{10FFFD}");
  const text = (root ? document.querySelector(root) : document.body).innerText;
  const chars = [...new Set([...text])].filter((c) => /\\S/u.test(c) && !/\\p{Cf}/u.test(c));
  return {checked: chars.length, boxes: chars.filter((c) => draw(c) === box),
          detectorWorks: draw("\\u0378") === box};
}"""

QUESTION_PAGE = """{% extends "base.html" %}
{% from "macros/read_aloud.html" import read_aloud %}
{% block title %}{{ _(question.label) }}{% endblock %}
{% block content %}
<form method="post" action="#"><fieldset id="q-{{ question.key }}">
  <legend class="question">{{ _(question.label) }}</legend>
  {{ read_aloud(question, target_id="q-" ~ question.key, prominent=True) }}
  <div class="choices">{% for option in question.options %}
    <label class="choice" for="o-{{ option.key }}"><input type="radio" id="o-{{ option.key }}" name="a" value="{{ option.key }}"><span>{{ _(option.label) }}</span></label>
  {% endfor %}</div>
</fieldset></form>
{% endblock %}
{% block scripts %}{{ frame_piece("read_aloud_script") }}{% endblock %}"""

FAKE_VOICES = """
  window.__spoken = [];
  const voices = [{lang: "ps-AF", name: "Pashto"}, {lang: "en-GB", name: "English"}];
  Object.defineProperty(window, "speechSynthesis", {value: {
    getVoices: () => voices, cancel: () => {}, addEventListener: () => {},
    speak: (u) => window.__spoken.push({text: u.text, lang: u.lang}),
  }});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


@pytest.fixture
def question_page(app):
    """A page with one question and the read-aloud hook, at /_test/question."""
    state = {"question": Question(
        key="listened_to", type="feelings", label="Did you feel listened to?",
        options=[{"key": "yes", "label": "Yes"}, {"key": "no", "label": "No"}],
    )}  # fmt: skip

    def view() -> str:
        return render_template_string(QUESTION_PAGE, question=state["question"])

    app.add_url_rule("/_test/question", "test_question", view)
    return state


@pytest.mark.parametrize("lang", ["ti", "am", "ps", "ckb", "fa_AF", "ar", "vi", "cy", "pl", "om"])
def test_no_character_renders_as_a_box(page, live_server, lang):
    for path in ("/", "/no-such-page"):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        result = page.evaluate(FIND_BOXES, None)
        assert result["detectorWorks"]
        assert result["checked"] > 15
        assert result["boxes"] == [], f"{lang} {path}: no glyph for {result['boxes']}"


def test_right_to_left_page_puts_the_name_on_the_right_without_mirrored_css(page, live_server):
    page.goto(f"{live_server.url}/?lang=ps")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ps"
    name = page.locator(".site-header__name").bounding_box()
    switcher = page.locator(".language-switcher summary").bounding_box()
    assert name["x"] > switcher["x"], "in Pashto the site name starts on the right"
    css = (PROJECT_ROOT / "static/css/portal.css").read_text()
    for physical in ("margin-left", "margin-right", "padding-left", "padding-right", "float: left",
                     "float: right", "text-align: left", "text-align: right", " left:", " right:"):  # fmt: skip
        assert physical not in css, f"portal.css uses {physical}: use a logical property"


def test_read_aloud_is_absent_without_javascript(browser, live_server, question_page):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.goto(f"{live_server.url}/_test/question?lang=ps")
    assert page.locator("[data-read-aloud]").is_hidden()
    assert page.locator("[data-read-aloud] button").count() == 0
    context.close()


def test_read_aloud_stays_away_when_the_browser_has_no_voice(page, live_server, question_page):
    page.goto(f"{live_server.url}/_test/question?lang=ti")
    page.wait_for_load_state("load")
    assert page.evaluate("speechSynthesis.getVoices().length") == 0  # headless Chromium here
    assert page.locator("[data-read-aloud]").is_hidden()
    assert page.locator("[data-read-aloud] button").count() == 0


def test_read_aloud_speaks_the_question_in_the_page_language(
    page, live_server, question_page, artifacts
):
    page.add_init_script(FAKE_VOICES)
    page.goto(f"{live_server.url}/_test/question?lang=ps")
    button = page.locator("[data-read-aloud] button")
    assert button.inner_text() == "دا ماته ولوله"
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0]["lang"] == "ps-AF"
    assert spoken[0]["text"].splitlines() == [
        "ایا تا احساس وکړ چې خبرو ته دې غوږ نیول کېږي؟",
        "هو",
        "نه",
    ]
    assert button.get_attribute("aria-pressed") == "true"
    assert button.inner_text() == "لوستل ودروه"
    page.screenshot(path=str(artifacts / "read-aloud-ps.png"), full_page=True)
    no_violations(page)


def test_recorded_audio_takes_precedence_over_the_voice(page, live_server, question_page):
    name = f"test-{secrets.token_hex(4)}.wav"
    path = Path(live_server.app.static_folder) / "audio" / "ti" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as recording:  # 0.2 s of silence
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(b"\0\0" * 1600)
    try:
        question_page["question"] = question_page["question"].model_copy(
            update={"audio": {"ti": name}}
        )
        page.add_init_script(FAKE_VOICES)
        response = page.request.get(f"{live_server.url}/static/audio/ti/{name}")
        assert response.ok and response.headers["content-type"].startswith("audio/")
        page.goto(f"{live_server.url}/_test/question?lang=ti")
        slot = page.locator("[data-read-aloud]")
        audio = slot.get_attribute("data-audio")
        assert audio.split("?v=")[0].endswith(f"/static/audio/ti/{name}")  # fingerprinted
        page.get_by_role("button", name="እዚ ኣንብበለይ").click()
        assert page.evaluate("window.__spoken") == []  # the recording, not the voice
        # In another language there is no recording: the voice reads instead.
        page.goto(f"{live_server.url}/_test/question?lang=en")
        assert page.locator("[data-read-aloud]").get_attribute("data-audio") is None
    finally:
        path.unlink()

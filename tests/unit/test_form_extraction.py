"""The Babel extractor for forms/*.yaml: every string a respondent reads reaches messages.pot."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from portal.config import PROJECT_ROOT
from portal.languages.coverage import extract_sources
from portal.questionnaires import FormDefinition, load_directory
from portal.questionnaires.extract import messages_from_yaml


def form_strings(form: FormDefinition) -> set[str]:
    """Every user-visible string of a loaded form, found through the schema (not the YAML)."""
    found = {form.title, form.intro}
    for page in form.pages:
        if page.title:
            found.add(page.title)
        for question in page.questions:
            found |= {question.label, question.named_label, question.help}
            found |= {question.min_label, question.max_label}
            found |= {option.label for option in question.options}
            for variant in question.variants.values():
                found |= {variant.label, variant.help, *variant.options.values()}
    return {text for text in found if text}


def makefile_extract(output: Path) -> list[str]:
    """The `pybabel extract` line of `make translations`, writing to `output` instead."""
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    keywords = re.search(r"^EXTRACT_KEYWORDS := (.*)$", makefile, re.M).group(1)
    line = re.search(r"^\t\$\(BIN\)/pybabel extract (.*)$", makefile, re.M).group(1)
    line = line.replace("$(EXTRACT_KEYWORDS)", keywords)
    line = line.replace("translations/messages.pot", str(output))
    return [str(Path(sys.executable).parent / "pybabel"), "extract", *shlex.split(line)]


def test_every_form_string_is_in_the_pot_that_make_translations_writes(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(makefile_extract(pot), cwd=PROJECT_ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        msgids = {message.id for message in read_po(handle) if message.id}
    forms = load_directory(PROJECT_ROOT / "forms")
    assert forms
    missing = {
        f"{key}: {text!r}"
        for key, form in forms.items()
        for text in form_strings(form)
        if text not in msgids
    }
    assert not missing, "not extracted: " + "; ".join(sorted(missing))
    # Strings from Python's lazy texts and templates are in the same file.
    assert "Page not found" in msgids
    assert "Skip to main content" in msgids


def test_the_coverage_report_extracts_the_same_strings_as_make_translations(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(makefile_extract(pot), cwd=PROJECT_ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        from_make = {message.id for message in read_po(handle) if message.id}
    from_report = {source.msgid for source in extract_sources()}
    assert from_report == from_make


def test_each_form_message_names_form_page_question_option_and_age_band():
    text = """\
key: sample
title: A title
intro: >-
  Two lines
  folded.
age_bands: ["8-11", "12-17"]
pages:
  - key: first
    title: First page
    questions:
      - key: colour
        type: choice
        label: Which colour?
        help: Pick one.
        options:
          - {key: red, label: "Red"}
          - {key: blue, label: "Blue"}
        variants:
          "4-7":
            label: "Pick a colour"
            options: {red: "Red like a bus"}
      - key: score
        type: scale
        label: How much?
        min: 1
        max: 5
        min_label: Not much
        max_label: Lots
        audio: {en: sample/score.mp3}
"""
    messages = list(messages_from_yaml(text))
    by_text = {message: (line, comments) for line, _f, message, comments in messages}
    assert by_text["Two lines folded."] == (3, ["form: sample / intro (ages 8-11, 12-17)"])
    assert by_text["Red"][1] == [
        "form: sample / page first / question colour / option red (ages 8-11, 12-17)"
    ]
    assert by_text["Red like a bus"] == (
        21,
        ["form: sample / page first / question colour / option red (age band 4-7)"],
    )
    assert by_text["Pick a colour"][1] == [
        "form: sample / page first / question colour / label (age band 4-7)"
    ]
    assert by_text["Lots"][0] == 28
    assert "sample/score.mp3" not in by_text
    assert len(messages) == 12


def test_form_messages_point_at_the_line_that_holds_them():
    for path in sorted((PROJECT_ROOT / "forms").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, _function, message, comments in messages_from_yaml(path.read_text("utf-8")):
            source = lines[line - 1]
            assert message[:12] in source or re.search(r":\s*[>|]", source), (path.name, line)
            assert comments[0].startswith(f"form: {path.stem} /")

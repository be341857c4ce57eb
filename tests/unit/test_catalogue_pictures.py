"""Pictures the forms show: they exist, are small, self-contained and titled; the check says so."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal.questionnaires import FormCatalogue, load_directory, load_file
from portal.questionnaires.pictures import (
    MAX_PICTURE_BYTES,
    picture_problems,
    picture_references,
    svg_problems,
)

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "static" / "img"
CATALOGUE = FormCatalogue(load_directory(ROOT / "forms"))
# static/img/journey/ belongs to the respondent journey, not to the catalogue.
SVGS = sorted(path for path in IMAGES.rglob("*.svg") if "journey" not in path.parts)

FORM = """\
key: sample
version: 1
stage: consultation
roles: [child]
review_kinds: [cared_for]
title: A form
intro: Hello
pages:
  - key: one
    questions:
      - key: mood
        type: feelings
        label: How do you feel?
        options:
          - {key: good, label: "Good", picture: faces/happy.svg}
          - {key: bad, label: "Bad", picture: PICTURE}
"""
GOOD_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><title>Dot</title>'
    '<circle cx="4" cy="4" r="3"/></svg>'
)


def test_every_picture_a_form_refers_to_exists_and_passes_the_check():
    assert picture_problems(CATALOGUE, IMAGES) == []


def named_pictures(node: object) -> list[str]:
    """Every value of a `picture:` or `pictures:` key anywhere in a YAML document."""
    if isinstance(node, list):
        return [name for item in node for name in named_pictures(item)]
    if not isinstance(node, dict):
        return []
    found = []
    for key, value in node.items():
        if key == "picture":
            found.append(value)
        elif key == "pictures" and isinstance(value, dict):
            found.extend(value.values())
        else:
            found.extend(named_pictures(value))
    return found


@pytest.mark.parametrize("path", sorted((ROOT / "forms").glob("*.yaml")), ids=lambda p: p.name)
def test_every_picture_named_in_a_form_file_is_drawn(path):
    """Read from the YAML itself, so a picture the schema does not know of is still checked."""
    names = named_pictures(yaml.safe_load(path.read_text(encoding="utf-8")))
    missing = [name for name in names if not (IMAGES / name).is_file()]
    assert missing == [], f"{path.name}: not drawn: {missing}"


def test_the_three_houses_are_drawn_and_titled():
    for house, title in [
        ("worries", "House of worries"),
        ("good-things", "House of good things"),
        ("dreams", "House of dreams"),
    ]:
        path = IMAGES / "houses" / f"{house}.svg"
        assert svg_problems(path) == [] and f"<title>{title}</title>" in path.read_text()
    names = {
        name
        for path in (ROOT / "forms").glob("*.yaml")
        for name in named_pictures(yaml.safe_load(path.read_text(encoding="utf-8")))
    }
    assert {"houses/worries.svg", "houses/good-things.svg", "houses/dreams.svg"} <= names


def test_the_catalogue_refers_to_pictures_through_options_variants_and_questions():
    where = [where for form in CATALOGUE for where, _ in picture_references(form)]
    assert any("[4-7]" in item for item in where)
    assert "child_consultation.dreams" in where
    assert len({picture for form in CATALOGUE for _, picture in picture_references(form)}) >= 30


@pytest.mark.parametrize("path", SVGS, ids=lambda path: str(path.relative_to(IMAGES)))
def test_each_picture_is_small_titled_and_cannot_run_or_fetch_anything(path):
    data = path.read_text(encoding="utf-8")
    assert len(path.read_bytes()) < MAX_PICTURE_BYTES
    assert "<script" not in data.lower()
    assert "href" not in data and "url(" not in data and "<text" not in data
    assert data.count("http://") == data.count('xmlns="http://www.w3.org/2000/svg"') == 1
    assert "<title>" in data and 'role="img"' in data
    assert svg_problems(path) == []


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        (GOOD_SVG.replace("<circle", "<script>alert(1)</script><circle"), "'<script'"),
        (GOOD_SVG.replace("<circle", '<a href="https://example.org"><circle'), "outside"),
        (GOOD_SVG.replace("<circle", "<use xlink:href='//example.org/x.svg'/><circle"), "outside"),
        (GOOD_SVG.replace('r="3"', 'r="3" onclick="x()"'), "onclick"),
        (GOOD_SVG.replace('r="3"', "fill=\"url('https://example.org/p')\""), "url("),
        (GOOD_SVG.replace("<title>Dot</title>", ""), "no <title>"),
        (GOOD_SVG.replace("</svg>", " " * MAX_PICTURE_BYTES + "</svg>"), "bytes"),
        (GOOD_SVG.replace("</svg>", ""), "not well-formed"),
        ("<html><title>x</title></html>", "is not an SVG"),
    ],
)
def test_the_picture_check_refuses_unsafe_or_untitled_svgs(tmp_path, svg, problem):
    path = tmp_path / "bad.svg"
    path.write_text(svg)
    assert problem in " ".join(svg_problems(path))


def test_the_picture_check_allows_references_inside_the_same_file(tmp_path):
    path = tmp_path / "ok.svg"
    path.write_text(GOOD_SVG.replace('r="3"', 'r="3" fill="url(#shade)"'))
    assert svg_problems(path) == []


def write_form(tmp_path: Path, picture: str, extra: str = "") -> Path:
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "sample.yaml").write_text(FORM.replace("PICTURE", picture) + extra)
    return forms


def test_a_missing_picture_is_named_with_its_form_question_and_option(tmp_path):
    definition = load_file(write_form(tmp_path, "faces/gone.svg") / "sample.yaml")
    assert picture_problems([definition], IMAGES) == [
        "sample.mood.bad: faces/gone.svg does not exist"
    ]


def test_variant_pictures_must_name_real_options_and_feelings_need_pictures(tmp_path):
    text = FORM.replace(", picture: PICTURE}", "}") + (
        '        variants:\n          "4-7": {pictures: {ugly: faces/sad.svg}}\n'
    )
    path = tmp_path / "sample.yaml"
    path.write_text(text)
    problems = " | ".join(picture_problems([load_file(path)], IMAGES))
    assert "sample.mood[4-7]: pictures for unknown options: ugly" in problems
    assert "needs a picture for every option; missing for bad" in problems


@pytest.fixture
def app_config(tmp_path):
    return {"FORMS_DIR": str(write_form(tmp_path, "faces/gone.svg"))}


def test_forms_check_fails_when_a_picture_is_missing(runner):
    result = runner.invoke(args=["forms", "check"])
    assert result.exit_code != 0
    assert "sample.mood.bad: faces/gone.svg does not exist" in result.output
    assert "forms OK" not in result.output

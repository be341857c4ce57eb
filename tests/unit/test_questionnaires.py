import datetime as dt
from pathlib import Path

import pytest
import yaml

from portal.questionnaires import FormDefinitionError, age_band, load_directory, load_file

FORMS = Path(__file__).resolve().parents[2] / "forms"

MINIMAL = """\
key: sample
version: 1
stage: feedback
roles: [carer]
review_kinds: [cared_for]
title: A form
intro: Hello
pages:
  - key: one
    questions:
      - key: liked
        type: choice
        label: Did you like it?
        options:
          - {key: "yes", label: "Yes"}
          - {key: "no", label: "No"}
"""


def write(tmp_path: Path, text: str, name: str = "sample.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_every_shipped_form_is_valid():
    forms = load_directory(FORMS)
    assert "child_feedback" in forms


def test_a_valid_form_is_parsed_once_by_libyaml_without_a_node_tree(tmp_path, monkeypatch):
    # Start-up parses every form for every app; line numbers are only needed for an error.
    loaders = []
    real_load = yaml.load
    monkeypatch.setattr(
        yaml, "load", lambda text, Loader: loaders.append(Loader) or real_load(text, Loader)
    )
    monkeypatch.setattr(yaml, "compose", lambda *args, **kwargs: pytest.fail("node tree built"))
    load_file(write(tmp_path, MINIMAL))
    assert loaders == [yaml.CSafeLoader]


def test_minimal_definition_loads(tmp_path):
    form = load_file(write(tmp_path, MINIMAL))
    assert [q.key for q in form.questions] == ["liked"]


def test_unknown_field_names_file_line_and_path(tmp_path):
    path = write(
        tmp_path,
        MINIMAL.replace("        label: Did you like it?", "        lable: Did you like it?"),
    )
    with pytest.raises(FormDefinitionError) as error:
        load_file(path)
    problems = "\n".join(error.value.problems)
    assert "sample.yaml:13 pages.0.questions.0.lable: unknown field" in problems


def test_a_named_label_puts_the_childs_first_name_where_its_placeholder_is(tmp_path):
    text = MINIMAL.replace(
        "        label: Did you like it?\n",
        "        label: Did you like it?\n        named_label: Did %(name)s like it?\n",
    )
    assert load_file(write(tmp_path, text)).questions[0].named_label == "Did %(name)s like it?"


@pytest.mark.parametrize(
    "named", ["Did the child like it?", "Did %(child)s like it?", "Did %(name)s like %s?"]
)
def test_a_named_label_needs_the_name_placeholder_and_no_other(tmp_path, named):
    text = MINIMAL.replace(
        "        label: Did you like it?\n",
        f"        label: Did you like it?\n        named_label: {named}\n",
    )
    with pytest.raises(FormDefinitionError, match="named_label needs"):
        load_file(write(tmp_path, text))


def test_choice_needs_two_options(tmp_path):
    text = MINIMAL.replace('          - {key: "no", label: "No"}\n', "")
    with pytest.raises(FormDefinitionError, match="at least two options"):
        load_file(write(tmp_path, text))


def test_show_if_must_name_an_earlier_question(tmp_path):
    text = (
        MINIMAL
        + """      - key: why
        type: text
        label: Why?
        show_if: {question: nothing, equals: "yes"}
"""
    )
    with pytest.raises(FormDefinitionError, match="not an earlier question"):
        load_file(write(tmp_path, text))


def test_key_must_match_file_name(tmp_path):
    with pytest.raises(FormDefinitionError, match="file name"):
        load_file(write(tmp_path, MINIMAL, name="other.yaml"))


def test_unquoted_yes_key_is_rejected(tmp_path):
    with pytest.raises(FormDefinitionError, match="string"):
        load_file(write(tmp_path, MINIMAL.replace('{key: "yes"', "{key: yes")))


def test_invalid_yaml_names_the_line(tmp_path):
    with pytest.raises(FormDefinitionError, match=r"sample.yaml:\d+: not valid YAML"):
        load_file(write(tmp_path, MINIMAL + "  - : : :\n   bad"))


@pytest.mark.parametrize(
    ("age", "band"),
    [(4, "4-7"), (7, "4-7"), (8, "8-11"), (11, "8-11"), (12, "12-17"), (17, "12-17")],
)
def test_age_band_on_review_date(age, band):
    review = dt.date(2026, 6, 1)
    born = dt.date(2026 - age, 5, 31)
    assert age_band(born, review) == band


def test_age_band_changes_on_the_birthday_not_before():
    born = dt.date(2018, 6, 2)  # 8 on 2026-06-02
    assert age_band(born, dt.date(2026, 6, 1)) == "4-7"
    assert age_band(born, dt.date(2026, 6, 2)) == "8-11"


def test_care_leavers_are_always_16_to_25():
    assert age_band(dt.date(2005, 1, 1), dt.date(2026, 1, 1), care_leaver=True) == "16-25"


def test_a_role_specific_form_beats_the_form_for_everyone():
    from portal.questionnaires import FormCatalogue

    forms = FormCatalogue(load_directory(FORMS))
    assert "parent" in forms.get("meeting_feedback").roles
    assert forms.choose("feedback", "parent", "cared_for").key == "parent_feedback"
    assert forms.choose("feedback", "health", "cared_for").key == "meeting_feedback"
    assert [f.key for f in forms.matching("feedback", "parent", "cared_for")] == [
        "parent_feedback",
        "meeting_feedback",
    ]

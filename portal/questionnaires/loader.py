"""Load and validate forms/*.yaml; a bad definition stops start-up with file, path and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from portal.questionnaires.schema import FormDefinition

# libyaml parses the forms many times faster than the pure-Python loader; it is optional in PyYAML.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FormDefinitionError(ValueError):
    """One or more form definitions are invalid; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Invalid form definitions:\n" + "\n".join(problems))
        self.problems = problems


def _node_line(node: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest YAML node that `path` reaches."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _describe(error: dict[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown field (check the spelling)"
    return message


def load_file(path: Path) -> FormDefinition:
    """Parse and validate one definition file."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise FormDefinitionError([f"{path.name}{where}: not valid YAML ({error})"]) from error
    if not isinstance(data, dict):
        raise FormDefinitionError([f"{path.name}:1: a form definition must be a mapping"])
    try:
        definition = FormDefinition.model_validate(data)
    except ValidationError as error:
        raise FormDefinitionError(_problems(path.name, text, error)) from error
    if definition.key != path.stem:
        raise FormDefinitionError(
            [f"{path.name}:1 key: is {definition.key!r} but the file name says {path.stem!r}"]
        )
    return definition


def _problems(name: str, text: str, error: ValidationError) -> list[str]:
    """One line per problem with its line number; the node tree is built only on this path."""
    root = yaml.compose(text, Loader=_LOADER)
    problems = []
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if not isinstance(part, str) or "[" not in part)
        where = ".".join(str(part) for part in loc) or "(top level)"
        problems.append(f"{name}:{_node_line(root, loc)} {where}: {_describe(item)}")
    return problems


def load_directory(directory: Path) -> dict[str, FormDefinition]:
    """Load every definition in `directory`, collecting all problems before failing."""
    definitions: dict[str, FormDefinition] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            definition = load_file(path)
        except FormDefinitionError as error:
            problems.extend(error.problems)
            continue
        definitions[definition.key] = definition
    if problems:
        raise FormDefinitionError(problems)
    return definitions

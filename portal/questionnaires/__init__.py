"""Form definitions as data: load, validate, and look up the right form."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from portal.config import PROJECT_ROOT
from portal.questionnaires.catalogue import FormCatalogue, age_band, age_on
from portal.questionnaires.engine import (
    FormEngine,
    QuestionView,
    Screen,
    ScreenResult,
)
from portal.questionnaires.loader import FormDefinitionError, load_directory, load_file
from portal.questionnaires.router import Move, Place, Router, Stop, is_shown, prune
from portal.questionnaires.schema import AGE_BANDS, FormDefinition, Option, Page, Question

__all__ = [
    "AGE_BANDS",
    "FormCatalogue",
    "FormDefinition",
    "FormDefinitionError",
    "FormEngine",
    "Move",
    "Option",
    "Page",
    "Place",
    "Question",
    "QuestionView",
    "Router",
    "Screen",
    "ScreenResult",
    "Stop",
    "age_band",
    "age_on",
    "catalogue",
    "engine",
    "init_app",
    "is_shown",
    "load_directory",
    "load_file",
    "prune",
]


def init_app(app: Flask) -> None:
    """Load every definition once at start-up; a bad one stops the app from starting."""
    directory = Path(app.config.get("FORMS_DIR") or PROJECT_ROOT / "forms")
    forms = FormCatalogue(load_directory(directory))
    app.extensions["form_catalogue"] = forms
    # Page form classes are built here, once, never per request.
    app.extensions["form_engine"] = FormEngine(forms)


def catalogue() -> FormCatalogue:
    """The current app's form catalogue."""
    return current_app.extensions["form_catalogue"]


def engine() -> FormEngine:
    """The current app's forms engine (page form classes, screens, validation, views)."""
    return current_app.extensions["form_engine"]

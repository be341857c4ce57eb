"""Respondent journey tests run on the fixture forms (tests/fixtures/forms)."""

import pytest

from tests.respond_support import FIXTURE_FORMS


@pytest.fixture
def app_config():
    return {"FORMS_DIR": str(FIXTURE_FORMS)}

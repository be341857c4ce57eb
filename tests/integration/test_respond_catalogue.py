"""The real catalogue (forms/*.yaml) through the respondent journey: every form can be walked
and no page is over 60 KB with its assets."""

import pytest

from portal import create_app
from portal.questionnaires import AGE_BANDS, catalogue
from tests.respond_support import AGES, PAGE_BUDGET, make_invitation, walk_form


def _cases():
    app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "x" * 40})
    with app.app_context():
        for form in catalogue():
            role = form.roles[0]
            bands = form.age_bands or (
                [None] if role not in ("child", "care_leaver") else ["16-25"]
            )
            for band in bands:
                yield pytest.param(
                    form.key, role, form.review_kinds[0], band, id=f"{form.key}-{band}"
                )


@pytest.mark.parametrize(("form_key", "role", "kind", "band"), list(_cases()))
def test_every_catalogue_form_can_be_walked_within_the_page_budget(
    app, client, form_key, role, kind, band
):
    assert band is None or band in AGE_BANDS
    age = AGES.get(band or "", 40)
    stage = catalogue_stage(app, form_key)
    link = make_invitation(app, role=role, age=age, kind=kind, stage=stage, form_key=form_key)
    weights = walk_form(app, client, link)
    for name, (size, missing) in weights.items():
        assert not missing, (name, missing)
        assert size < PAGE_BUDGET, (name, size)


def catalogue_stage(app, form_key):
    with app.app_context():
        return catalogue().get(form_key).stage

"""No respondent page over 60 KB including its CSS and pictures (fixture forms with pictures)."""

import pytest

from tests.respond_support import PAGE_BUDGET, make_invitation, walk_form


@pytest.mark.parametrize(
    ("role", "age", "kind"),
    [("child", 6, "cared_for"), ("child", 14, "cared_for"), ("parent", 40, "cared_for"),
     ("care_leaver", 19, "pathway_plan")],
)  # fmt: skip
def test_every_respondent_page_is_under_60_kb_with_its_assets(app, client, role, age, kind):
    link = make_invitation(app, role=role, age=age, kind=kind)
    weights = walk_form(app, client, link)
    heaviest = max(weights, key=lambda name: weights[name][0])
    print(f"{role} {age}: heaviest {heaviest} {weights[heaviest][0]} bytes")
    for name, (size, missing) in weights.items():
        assert not missing, (name, missing)
        assert size < PAGE_BUDGET, (name, size)

"""A signed-in member of staff who hits an error stays in the team's workspace: the team's
navigation and a way back to their home page, not the children's Childline footer."""


def test_a_bad_report_filter_gives_a_400_in_the_team_layout(client, make_staff, sign_in):
    sign_in(client, make_staff("admin"))
    page = client.get("/admin/reports/returns?iro=99999999999999999999")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'aria-label="Team"' in html  # the team navigation
    assert "Go to your home page" in html and 'href="/admin/"' in html
    assert "Childline" not in html and "Go to the start page" not in html


def test_an_unknown_team_page_is_a_404_in_the_team_layout(client, make_staff, sign_in):
    sign_in(client, make_staff("iro"))
    page = client.get("/admin/no-such-page")
    assert page.status_code == 404
    assert 'aria-label="Team"' in page.get_data(as_text=True)


def test_signed_out_visitors_and_respondents_keep_the_public_error_page(client):
    for url in ("/admin/no-such-page", "/r/not-a-real-link-at-all"):
        html = client.get(url).get_data(as_text=True)
        assert 'aria-label="Team"' not in html

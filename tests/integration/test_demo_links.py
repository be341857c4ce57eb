"""`portal demo` prints a working link and short code for every demo invitation, new each run."""

import re

from portal.extensions import db
from portal.models import Invitation, MeetingQR

LINK = re.compile(r"http://[^/\s]+(/r/[A-Za-z0-9_-]+)\s+code (\w{4}-\w{4})(.*)")
QR = re.compile(r"http://[^/\s]+(/m/[A-Za-z0-9_-]+)")


def run_demo(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_prints_a_link_and_code_for_every_invitation_and_each_works(app, runner):
    output = run_demo(runner)
    links = LINK.findall(output)
    with app.app_context():
        invitations = db.session.scalar(
            db.select(db.func.count(Invitation.id)).where(Invitation.meeting_qr_id.is_(None))
        )
        stages = set(db.session.scalars(db.select(Invitation.stage)))
    assert len(links) == invitations and stages == {"consultation", "feedback"}
    for band in ("4-7", "8-11", "12-17", "16-25", "adult"):
        assert f" {band} " in output
    working = [(path, note) for path, _code, note in links if "not in the catalogue" not in note]
    assert working, "at least the feedback form is in the catalogue"
    for path, _note in working:
        # A young person whose IRO wrote a message sees it first.
        assert app.test_client().get(path).location in ("/r/start", "/r/message")


def test_running_demo_again_reissues_links_and_the_old_ones_stop_working(app, runner):
    first = LINK.findall(run_demo(runner))
    second_output = run_demo(runner)
    second = LINK.findall(second_output)
    assert len(first) == len(second)
    assert {p for p, _, _ in first}.isdisjoint({p for p, _, _ in second})
    assert app.test_client().get(first[0][0]).status_code == 404
    assert "Demo data already loaded." in second_output


def test_demo_prints_a_meeting_qr_link_that_works(app, runner):
    run_demo(runner)
    path = QR.search(run_demo(runner)).group(1)
    assert app.test_client().get(path).location == "/m/role"
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count(MeetingQR.id)).where(MeetingQR.revoked_at.is_(None))
            )
            == 1
        )


def test_demo_writes_one_message_on_a_held_review_shown_to_the_young_person(app, runner):
    from portal.models import ReviewOutcome

    run_demo(runner)
    output = run_demo(runner)  # a second run adds no second message
    with app.app_context():
        [message] = db.session.scalars(db.select(ReviewOutcome)).all()
        review = message.review
        assert review.status == "held" and review.child.preferred_language != "en"
        name = review.child.first_name
    line = next(x for x in output.splitlines() if name in x and "feedback" in x)
    assert app.test_client().get(LINK.search(line).group(1)).location == "/r/message"

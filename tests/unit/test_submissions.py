"""Submissions of several posts: what one submission stores, the history (earlier ones replaced by the
next), the revision banner's text per state, the backfill of older single-post data, and the campaign
the influencer profile presets for a sponsor."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from brandifiers.clock import utcnow
from brandifiers.models import Deliverable, MetricSnapshot, Submission, SubmissionPost
from brandifiers.services.common.errors import ValidationFailed
from brandifiers.services.deals import adrequests, campaigns, submissions
from brandifiers.services.metrics import metrics
from tests.unit import factories
from tests.unit.collab_factories import (  # noqa: F401  (cheap_passwords is an autouse fixture)
    PAY,
    advance,
    campaign,
    cast,
    cheap_passwords,
    send,
    today,
)

REEL = {"platform": "instagram", "post_url": "https://instagram.com/p/reel1", "note": "Live at 7 pm"}
CLIP = {"platform": "tiktok", "post_url": "https://www.tiktok.com/@me/video/1", "note": "Short cut"}
MIGRATION = (Path(__file__).resolve().parents[2] / "alembic" / "versions"
             / "e2b4c6d8f0a1_submissions_of_several_posts.py")


def _in_progress(session):
    p = cast(session)
    return p, advance(session, send(session, p.sponsor, p.campaign, p.influencer), "in_progress", p)


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_one_submission_lists_several_posts_with_their_notes_for_both_parties(session):
    p, r = _in_progress(session)
    adrequests.submit_deliverables(session, p.influencer.id, r.id, [REEL, CLIP])
    session.commit()
    for who in (p.sponsor, p.influencer):
        view = adrequests.get_request(session, who.id, r.id)
        assert len(view.submissions) == 1
        only = view.submissions[0]
        assert only.replaced_by is None
        assert [(x.platform, x.post_url, x.note) for x in only.posts] == [
            ("instagram", REEL["post_url"], "Live at 7 pm"), ("tiktok", CLIP["post_url"], "Short cut")]
        assert view.revision_note == ""


def test_a_bad_row_is_named_and_nothing_is_written(session):
    p, r = _in_progress(session)
    with pytest.raises(ValidationFailed) as err:
        adrequests.submit_deliverables(session, p.influencer.id, r.id,
                                       [REEL, {**CLIP, "post_url": "https://instagram.com/p/x"}, {**CLIP, "note": ""}])
    session.rollback()
    assert set(err.value.errors) == {"post_url_1"}  # the third row is a fine post: only row 1 is wrong
    assert "tiktok.com" in err.value.errors["post_url_1"]
    assert (_count(session, Submission), _count(session, SubmissionPost), _count(session, Deliverable)) == (0, 0, 0)


def test_revision_banner_follows_the_current_state_and_resubmission_replaces(session):
    p, r = _in_progress(session)
    t0 = utcnow() - timedelta(hours=3)
    adrequests.submit_deliverables(session, p.influencer.id, r.id, [REEL, CLIP], now=t0)
    session.commit()
    reel_id = session.exec(select(Deliverable.id).where(Deliverable.post_url == REEL["post_url"])).one()
    metrics.enter_day(session, p.influencer.id, reel_id, today(), {"views": "100"})  # the reel's figures
    adrequests.request_revision(session, p.sponsor.id, r.id, "Tag the brand", now=t0 + timedelta(hours=1))
    session.commit()
    assert adrequests.get_request(session, p.influencer.id, r.id).revision_note == "Tag the brand"
    new_clip = {**CLIP, "post_url": "https://www.tiktok.com/@me/video/2", "note": "Tagged now"}
    t2 = t0 + timedelta(hours=2)
    adrequests.submit_deliverables(session, p.influencer.id, r.id, [{**REEL, "note": "Tagged"}, new_clip], now=t2)
    session.commit()
    view = adrequests.get_request(session, p.sponsor.id, r.id)
    assert view.revision_note == ""  # resubmitted: no banner
    new, old = view.submissions
    assert (new.replaced_by, old.replaced_by) == (None, t2)
    assert old.submission.revision_note == "Tag the brand"
    assert [(x.post_url, x.note) for x in old.posts] == [(REEL["post_url"], "Live at 7 pm"),
                                                        (CLIP["post_url"], "Short cut")]
    assert [(x.post_url, x.note) for x in new.posts] == [(REEL["post_url"], "Tagged"),
                                                        (new_clip["post_url"], "Tagged now")]
    # the reel is the same post in both submissions: its figures stay with it
    assert new.posts[0].deliverable_id == old.posts[0].deliverable_id == reel_id
    assert session.exec(select(MetricSnapshot.deliverable_id)).all() == [reel_id]
    adrequests.approve_deliverables(session, p.sponsor.id, r.id)
    adrequests.record_payment(session, p.sponsor.id, r.id, {**PAY, "amount": "300", "paid_on": today()})
    session.commit()
    assert adrequests.get_request(session, p.influencer.id, r.id).revision_note == ""


def _migration_backfill() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location("e2b4_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BACKFILL


@pytest.mark.parametrize("statements", ["migration", "service"])
def test_backfill_turns_older_posts_into_submissions(session, statements):
    """Data written before the submission tables (deliverables only, a revision note on the request)
    becomes one submission per submission time; a request back in progress keeps its banner."""
    p, r = _in_progress(session)
    t0 = utcnow() - timedelta(hours=3)
    adrequests.submit_deliverables(session, p.influencer.id, r.id, [REEL, CLIP], now=t0)
    adrequests.request_revision(session, p.sponsor.id, r.id, "Tag the brand")
    session.commit()
    conn = session.connection()
    conn.execute(sa.text("DELETE FROM submissionpost"))  # as the old code left it: no submission rows
    conn.execute(sa.text("DELETE FROM submission"))
    for sql in _migration_backfill() if statements == "migration" else submissions.BACKFILL:
        conn.execute(sa.text(sql))
    session.commit()
    session.expire_all()
    view = adrequests.get_request(session, p.sponsor.id, r.id)
    assert view.revision_note == "Tag the brand"
    assert [[(x.platform, x.post_url, x.note) for x in s.posts] for s in view.submissions] == [
        [("instagram", REEL["post_url"], "Live at 7 pm"), ("tiktok", CLIP["post_url"], "Short cut")]]


def test_the_profile_presets_the_campaign_the_sponsor_came_from_else_its_newest_running_public_one(session):
    sponsor, other = factories.sponsor(session, approved=True), factories.sponsor(session, approved=True)
    private = campaign(session, sponsor, name="Private live", visibility="private")
    came_from = campaign(session, sponsor, name="Came from")
    newest_public = campaign(session, sponsor, name="Newest public")
    campaign(session, sponsor, name="Future", start_date=(today() + timedelta(days=5)).isoformat())
    campaign(session, sponsor, name="Draft", status="draft", visibility="private")  # the newest of all
    foreign = campaign(session, other, name="Someone else's")
    choices, preset = campaigns.request_campaigns(session, sponsor.id, came_from.id)
    assert preset == came_from.id
    assert [c.name for c in choices] == ["Draft", "Future", "Newest public", "Came from", "Private live"]
    assert campaigns.request_campaigns(session, sponsor.id)[1] == newest_public.id
    assert campaigns.request_campaigns(session, sponsor.id, foreign.id)[1] == newest_public.id  # not its own
    assert foreign.id not in {c.id for c in campaigns.request_campaigns(session, sponsor.id, foreign.id)[0]}
    for c in (came_from, newest_public):
        campaigns.set_campaign_status(session, sponsor.id, c.id, "paused")
    session.commit()
    assert campaigns.request_campaigns(session, sponsor.id)[1] == private.id  # running, though private
    campaigns.set_campaign_status(session, sponsor.id, private.id, "paused")
    session.commit()
    assert campaigns.request_campaigns(session, sponsor.id)[1] is None  # nothing running: the sponsor chooses


def test_the_form_rows_through_the_handlers(session):
    from brandifiers.state.requests import RequestState
    from tests.unit.test_state_handlers import logged_in

    p, r = _in_progress(session)
    creator = logged_in(RequestState, p.influencer)
    creator.request_id = r.id
    for _ in range(3):
        creator.add_post_row()
    creator.remove_post_row(7)  # no such row: nothing happens
    creator.remove_post_row(0)
    assert len(creator.post_form) == 2 and len({row.key for row in creator.post_form}) == 2
    rows = {"platform_0": "instagram", "post_url_0": REEL["post_url"], "note_0": "Live at 7 pm",
            "platform_1": "tiktok", "post_url_1": "https://instagram.com/p/x", "note_1": "",
            "platform_2": "instagram", "post_url_2": "https://instagram.com/p/ignored"}  # no third row on the page
    creator.submit_post(rows)
    assert set(creator.errors) == {"post_url_1"}
    assert _count(session, Submission) == 0
    creator.submit_post({**rows, "post_url_1": CLIP["post_url"]})
    assert creator.errors == {} and creator.form_error == ""
    session.expire_all()
    assert sorted(session.exec(select(Deliverable.post_url)).all()) == sorted([REEL["post_url"], CLIP["post_url"]])
    creator.remove_post_row(0)
    creator.remove_post_row(0)
    assert len(creator.post_form) == 1  # the last row stays

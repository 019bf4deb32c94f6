"""Ad requests: the status machine, the offer ledger, work steps, payments, reads and refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from brandifiers.models import AdRequest, AuditEvent, Campaign, Deliverable, Notification, Offer, UserStatus
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from brandifiers.services.deals import adrequests, campaigns
from brandifiers.services.deals.adrequests import FROZEN, STALE, transition
from tests.unit.collab_factories import (  # noqa: F401  (cheap_passwords is an autouse fixture)
    BAD_POSTS,
    MUTATIONS,
    PAY,
    POST,
    STATUSES,
    advance,
    apply,
    campaign,
    cast,
    cheap_passwords,
    request_form,
    send,
    snapshot,
    today,
)

SPEC = {  # the brief's table, written out independently of the code
    "pending": {"negotiating", "accepted", "rejected", "withdrawn"},
    "negotiating": {"accepted", "rejected", "withdrawn"},
    "accepted": {"in_progress", "withdrawn"}, "in_progress": {"submitted", "withdrawn"},  # withdrawn: a deal cancelled
    "submitted": {"completed", "in_progress"},
    "rejected": set(), "withdrawn": set(), "completed": set(),
}
OPEN, COMMITTED = {"pending", "negotiating"}, {"accepted", "in_progress", "submitted", "completed"}


def test_allowed_is_the_specified_machine():
    assert adrequests.ALLOWED == SPEC


@pytest.mark.parametrize("old", STATUSES)
@pytest.mark.parametrize("new", STATUSES)
def test_transition_table(old, new):
    request = AdRequest(campaign_id=1, influencer_id=2, sponsor_id=3, initiated_by="sponsor", payment_cents=1,
                        status=old)
    if new in SPEC[old]:
        assert transition(request, new) == old and request.status == new
    else:
        with pytest.raises(DomainError) as err:
            transition(request, new)
        words = {"in_progress": "in progress"}  # statuses are told as words
        assert err.value.message == f"Cannot move this request from {words.get(old, old)} to {words.get(new, new)}."
        assert request.status == old


# action -> (who acts, call, {from status: to status}); "turn" = whoever did not make the latest offer.
ACTIONS = {
    "counter": ("turn", lambda s, a, r: adrequests.counter_offer(s, a, r, {"amount": "320"}),
                {"pending": "negotiating", "negotiating": "negotiating"}),
    "accept": ("turn", adrequests.accept_offer, {"pending": "accepted", "negotiating": "accepted"}),
    "reject": ("turn", adrequests.reject_request, {"pending": "rejected", "negotiating": "rejected"}),
    "withdraw": ("sponsor", adrequests.withdraw_request, {"pending": "withdrawn", "negotiating": "withdrawn"}),
    "start": ("influencer", adrequests.start_work, {"accepted": "in_progress"}),
    "submit": ("influencer", lambda s, a, r: adrequests.submit_deliverables(s, a, r, [POST]),
               {"in_progress": "submitted"}),
    "approve": ("sponsor", adrequests.approve_deliverables, {"submitted": "completed"}),
    "revise": ("sponsor", lambda s, a, r: adrequests.request_revision(s, a, r, "Show the logo"),
               {"submitted": "in_progress"}),
    "pay": ("sponsor", lambda s, a, r: adrequests.record_payment(s, a, r, {**PAY, "paid_on": today()}),
            {s: s for s in COMMITTED}),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_from_every_status(session, subtests, action):
    p = cast(session)
    for status in STATUSES:  # one campaign per status: a pair has one open request per campaign
        with subtests.test(status=status):
            session.rollback()
            c = campaign(session, p.sponsor)
            r = advance(session, send(session, p.sponsor, c, p.influencer), status, p)
            _check_action(session, p, r, action, status)


def _check_action(session, p, r, action, status):
    who, call, legal = ACTIONS[action]
    if who == "turn":
        actors = [p.sponsor if status == "negotiating" else p.influencer] if status in OPEN else [p.sponsor,
                                                                                                  p.influencer]
    else:
        actors = [getattr(p, who)]
    if status not in legal:
        before = snapshot(session)
        for actor in actors:
            assert action not in adrequests.get_request(session, actor.id, r.id).actions
            with pytest.raises(DomainError) as err:
                call(session, actor.id, r.id)
            assert not isinstance(err.value, (NotFound, PermissionDenied))
            session.rollback()
        assert snapshot(session) == before
        return
    (actor,) = actors
    assert action in adrequests.get_request(session, actor.id, r.id).actions
    before = r.updated_at
    call(session, actor.id, r.id)
    session.commit()
    session.refresh(r)
    assert r.status == legal[status] and r.updated_at > before
    event = session.exec(select(AuditEvent).where(AuditEvent.target_type == "adrequest")
                         .order_by(AuditEvent.id.desc())).first()
    assert (event.actor_id, event.target_id, event.before, event.after) == (actor.id, r.id, status, legal[status])
    other, link = ((p.influencer, f"/influencer/requests/{r.id}") if actor is p.sponsor
                   else (p.sponsor, f"/sponsor/requests/{r.id}"))
    note = session.exec(select(Notification).where(Notification.user_id == other.id)
                        .order_by(Notification.id.desc())).first()
    assert note.link == link


def test_ledger_is_ordered_and_immutable_and_the_latest_offer_is_the_terms(session):
    p = cast(session)
    r = send(session, p.sponsor, p.campaign, p.influencer, payment="300", terms="Net 30")
    first = session.exec(select(Offer)).one()
    assert (first.author_id, first.author_role, first.amount_cents, first.terms) == (
        p.sponsor.id, "sponsor", 30000, "Net 30")
    frozen_first = first.model_dump()
    o2 = adrequests.counter_offer(session, p.influencer.id, r.id, {"amount": "350", "terms": "Net 15"},
                                  expected_offer_id=first.id)
    session.commit()
    o3 = adrequests.counter_offer(session, p.sponsor.id, r.id, {"amount": "325", "message": "Meet halfway?"},
                                  expected_offer_id=o2.id)
    session.commit()
    view = adrequests.get_request(session, p.influencer.id, r.id)
    assert [(o.author_role, o.amount_cents) for o in view.offers] == [
        ("sponsor", 30000), ("influencer", 35000), ("sponsor", 32500)]
    assert view.latest_offer.id == o3.id and view.request.payment_cents == 32500
    assert view.request.status == "negotiating" and view.actions == {"counter", "accept", "reject"}
    adrequests.accept_offer(session, p.influencer.id, r.id, expected_offer_id=o3.id)
    session.commit()
    session.expire_all()
    assert session.get(AdRequest, r.id).payment_cents == 32500
    assert session.get(Offer, first.id).model_dump() == frozen_first
    assert len(session.exec(select(Offer)).all()) == 3


def test_only_the_side_that_did_not_make_the_latest_offer_answers(session):
    p = cast(session)
    r = send(session, p.sponsor, p.campaign, p.influencer)
    before = snapshot(session)
    for call in (lambda a: adrequests.counter_offer(session, a, r.id, {"amount": "1"}),
                 lambda a: adrequests.accept_offer(session, a, r.id),
                 lambda a: adrequests.reject_request(session, a, r.id)):
        with pytest.raises(DomainError, match="Wait for the other side's answer"):
            call(p.sponsor.id)
    session.rollback()
    assert snapshot(session) == before
    assert adrequests.get_request(session, p.sponsor.id, r.id).actions == {"withdraw"}
    adrequests.counter_offer(session, p.influencer.id, r.id, {"amount": "400"})
    session.commit()
    with pytest.raises(DomainError, match="Wait for the other side's answer"):
        adrequests.accept_offer(session, p.influencer.id, r.id)
    assert adrequests.get_request(session, p.influencer.id, r.id).actions == set()
    adrequests.reject_request(session, p.sponsor.id, r.id, message="Too expensive")
    session.commit()
    note = session.exec(select(Notification).where(Notification.user_id == p.influencer.id)
                        .order_by(Notification.id.desc())).first()
    assert note.body == "Too expensive"


def test_only_the_opener_withdraws(session):
    p = cast(session, others=True)
    sent = send(session, p.sponsor, p.campaign, p.influencer)
    applied = apply(session, p.other_influencer, p.campaign)
    before = snapshot(session)
    for actor, r in ((p.influencer, sent), (p.sponsor, applied)):
        with pytest.raises(DomainError, match="You did not open this request, so you cannot withdraw it"):
            adrequests.withdraw_request(session, actor.id, r.id)
    session.rollback()
    assert snapshot(session) == before
    adrequests.withdraw_request(session, p.other_influencer.id, applied.id)
    session.commit()
    assert session.get(AdRequest, applied.id).status == "withdrawn"


def test_a_stale_offer_id_and_a_second_accept_change_nothing(session):
    p = cast(session)
    r = send(session, p.sponsor, p.campaign, p.influencer)
    old = adrequests.get_request(session, p.influencer.id, r.id).latest_offer.id
    adrequests.counter_offer(session, p.influencer.id, r.id, {"amount": "310"}, expected_offer_id=old)
    session.commit()
    before = snapshot(session)
    for call in (lambda: adrequests.counter_offer(session, p.sponsor.id, r.id, {"amount": "305"},
                                                  expected_offer_id=old),
                 lambda: adrequests.accept_offer(session, p.sponsor.id, r.id, expected_offer_id=old),
                 lambda: adrequests.reject_request(session, p.sponsor.id, r.id, expected_offer_id=old)):
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.message == STALE
    session.rollback()
    assert snapshot(session) == before
    latest = adrequests.get_request(session, p.sponsor.id, r.id).latest_offer.id
    adrequests.accept_offer(session, p.sponsor.id, r.id, expected_offer_id=latest)
    session.commit()
    before = snapshot(session)
    with pytest.raises(DomainError, match="already accepted"):
        adrequests.accept_offer(session, p.sponsor.id, r.id, expected_offer_id=latest)
    session.rollback()
    assert snapshot(session) == before


def test_submit_refuses_bad_posts(session, subtests):
    p = cast(session)
    r = advance(session, send(session, p.sponsor, p.campaign, p.influencer), "in_progress", p)
    before = snapshot(session)
    for posts, field in BAD_POSTS:
        with subtests.test(posts=posts[:2], field=field):
            with pytest.raises(ValidationFailed) as err:
                adrequests.submit_deliverables(session, p.influencer.id, r.id, posts)
            assert field in err.value.errors
            session.rollback()
    assert snapshot(session) == before


def test_revision_and_resubmission_update_posts_in_place(session):
    p = cast(session)
    r = advance(session, send(session, p.sponsor, p.campaign, p.influencer), "submitted", p)
    for bad in ("", "  ", "n" * 2001):
        with pytest.raises(ValidationFailed) as err:
            adrequests.request_revision(session, p.sponsor.id, r.id, bad)
        assert "revision_note" in err.value.errors
    adrequests.request_revision(session, p.sponsor.id, r.id, "Tag the brand, please")
    session.commit()
    assert session.get(AdRequest, r.id).revision_note == "Tag the brand, please"
    second = {"platform": "tiktok", "post_url": "https://tiktok.com/@me/video/1", "note": ""}
    rows = adrequests.submit_deliverables(session, p.influencer.id, r.id, [{**POST, "note": "Tagged"}, second])
    session.commit()
    assert len(rows) == 2
    stored = session.exec(select(Deliverable).order_by(Deliverable.id)).all()
    assert [(d.post_url, d.note) for d in stored] == [(POST["post_url"], "Tagged"), (second["post_url"], "")]
    adrequests.approve_deliverables(session, p.sponsor.id, r.id)
    session.commit()
    assert session.get(AdRequest, r.id).completed_at is not None


def test_payments_never_exceed_the_agreed_amount_and_earnings_add_up(session):
    p = cast(session, others=True)
    r = advance(session, send(session, p.sponsor, p.campaign, p.influencer, payment="300"), "accepted", p)
    send(session, p.sponsor, p.campaign, p.other_influencer, payment="50")  # someone else's
    pay = lambda amount, **kw: adrequests.record_payment(  # noqa: E731
        session, p.sponsor.id, r.id, {"amount": amount, "paid_on": today().isoformat(), **kw})
    pay("100", reference="INV-1")
    session.commit()
    before = snapshot(session)
    for amount, kw, field, fragment in [
        ("200.01", {}, "amount", "$200.00 still outstanding"), ("0", {}, "amount", "more than zero"),
        ("-5", {}, "amount", "negative"), ("50", {"reference": "INV-1"}, "reference", "already recorded"),
        ("50", {"paid_on": (today() + timedelta(days=1)).isoformat()}, "paid_on", "future"),
        ("50", {"paid_on": "yesterday"}, "paid_on", "YYYY-MM-DD"),
        ("50", {"reference": "r" * 121}, "reference", "at most 120")]:
        with pytest.raises(ValidationFailed) as err:
            pay(amount, **kw)
        assert fragment in err.value.errors[field]
    with pytest.raises(PermissionDenied):
        adrequests.record_payment(session, p.influencer.id, r.id, PAY)
    session.rollback()
    assert snapshot(session) == before
    pay("200", reference="INV-2")
    session.commit()
    assert "pay" not in adrequests.get_request(session, p.sponsor.id, r.id).actions
    with pytest.raises(ValidationFailed, match=r"\$0.00 still outstanding"):
        pay("0.01")
    none = {"funded_cents": 0, "released_cents": 0, "disputed_cents": 0}
    assert adrequests.earnings(session, p.influencer.id) == {
        "agreed_cents": 30000, "paid_cents": 30000, "outstanding_cents": 0, **none}
    assert adrequests.earnings(session, p.other_influencer.id) == {
        "agreed_cents": 0, "paid_cents": 0, "outstanding_cents": 0, **none}
    with pytest.raises(PermissionDenied):
        adrequests.earnings(session, p.sponsor.id)


@pytest.mark.parametrize(("status", "call"), MUTATIONS)
def test_foreign_unknown_and_frozen_requests_are_refused(session, status, call):
    p = cast(session, others=True)
    r = advance(session, send(session, p.sponsor, p.campaign, p.influencer), status, p)
    before = snapshot(session)
    for actor, rid in ((p.other_sponsor, r.id), (p.other_influencer, r.id), (p.sponsor, 999_999),
                       (p.influencer, 999_999)):
        with pytest.raises((NotFound, PermissionDenied)) as err:
            call(session, actor.id, rid)
        if isinstance(err.value, NotFound):
            assert err.value.message == "That ad request does not exist."
    with pytest.raises(PermissionDenied):
        call(session, None, r.id)
    session.rollback()
    assert snapshot(session) == before
    r.flagged = True
    session.add(r)
    session.commit()
    before = snapshot(session)
    for actor in (p.sponsor, p.influencer):
        with pytest.raises((DomainError, PermissionDenied)) as err:
            call(session, actor.id, r.id)
        assert isinstance(err.value, PermissionDenied) or err.value.message == FROZEN
        session.rollback()
    assert snapshot(session) == before
    assert adrequests.get_request(session, p.sponsor.id, r.id).actions == set()


def test_send_request_refusals(session):
    p = cast(session, others=True)
    end = p.campaign.end_date
    for data, field, fragment in [
        ({"due_date": (today() - timedelta(days=1)).isoformat()}, "due_date", "past"),
        ({"due_date": (end + timedelta(days=1)).isoformat()}, "due_date", "after the campaign ends"),
        ({"due_date": "soon"}, "due_date", "YYYY-MM-DD"), ({"payment": "0"}, "payment", "more than zero"),
        ({"payment": "1000.01"}, "payment", "$1,000.00 left"), ({"requirements": "r" * 4001}, "requirements", "4000")]:
        with pytest.raises(ValidationFailed) as err:
            adrequests.send_request(session, p.sponsor.id, p.campaign.id, p.influencer.id, request_form(**data))
        assert fragment in err.value.errors[field]
    before = snapshot(session)
    with pytest.raises(NotFound):  # a sponsor is not an influencer
        adrequests.send_request(session, p.sponsor.id, p.campaign.id, p.other_sponsor.id, request_form())
    with pytest.raises(NotFound):  # somebody else's campaign
        adrequests.send_request(session, p.other_sponsor.id, p.campaign.id, p.influencer.id, request_form())
    p.other_influencer.status = UserStatus.DEACTIVATED.value
    session.add(p.other_influencer)
    with pytest.raises(DomainError, match="cannot take requests"):
        adrequests.send_request(session, p.sponsor.id, p.campaign.id, p.other_influencer.id, request_form())
    session.rollback()
    assert snapshot(session) == before
    r = send(session, p.sponsor, p.campaign, p.influencer, due_date=end.isoformat())
    with pytest.raises(DomainError, match="already an open request"):
        send(session, p.sponsor, p.campaign, p.influencer)
    session.rollback()
    advance(session, r, "rejected", p)
    assert send(session, p.sponsor, p.campaign, p.influencer).status == "pending"  # a fresh one after a no
    for status in ("completed", "archived"):
        closed = campaign(session, p.sponsor, status="active")
        campaigns.set_campaign_status(session, p.sponsor.id, closed.id, status)
        session.commit()
        with pytest.raises(DomainError, match=status):
            send(session, p.sponsor, closed, p.influencer)


def test_a_closed_or_flagged_campaign_takes_no_agreement_but_can_be_declined(session):
    p = cast(session, others=True)
    archived = send(session, p.sponsor, p.campaign, p.influencer)
    flagged = apply(session, p.other_influencer, campaign(session, p.sponsor))
    campaigns.set_campaign_status(session, p.sponsor.id, p.campaign.id, "archived")
    flagged_campaign = session.get(Campaign, flagged.campaign_id)
    flagged_campaign.flagged = True
    session.add(flagged_campaign)
    session.commit()
    before = snapshot(session)
    for actor, r, fragment in ((p.influencer, archived, "archived"),
                               (p.sponsor, flagged, "An admin paused this campaign")):
        assert adrequests.get_request(session, actor.id, r.id).actions == {"reject"}
        for call in (lambda: adrequests.accept_offer(session, actor.id, r.id),
                     lambda: adrequests.counter_offer(session, actor.id, r.id, {"amount": "10"})):
            with pytest.raises(DomainError, match=fragment):
                call()
    session.rollback()
    assert snapshot(session) == before
    assert adrequests.reject_request(session, p.influencer.id, archived.id).status == "rejected"


def test_applications_go_to_public_active_approved_campaigns_only(session):
    p = cast(session)
    for overrides, error in (({"visibility": "private"}, NotFound), ({"status": "draft"}, DomainError)):
        c = campaign(session, p.sponsor, **overrides)
        with pytest.raises(error):
            apply(session, p.influencer, c)
    p.campaign.approved = False
    session.add(p.campaign)
    session.commit()
    with pytest.raises(NotFound):
        apply(session, p.influencer, p.campaign)
    with pytest.raises(PermissionDenied):
        adrequests.apply_to_campaign(session, p.sponsor.id, p.campaign.id, {"payment": "1"})
    p.campaign.approved = True
    session.add(p.campaign)
    session.commit()
    r = apply(session, p.influencer, p.campaign, payment="450")
    offer = session.exec(select(Offer)).one()
    assert (r.initiated_by, r.status, r.payment_cents, offer.author_id) == ("influencer", "pending", 45000,
                                                                             p.influencer.id)
    assert adrequests.get_request(session, p.sponsor.id, r.id).actions == {"counter", "accept", "reject"}
    assert session.exec(select(Notification).where(Notification.user_id == p.sponsor.id)).one().link == \
        f"/sponsor/requests/{r.id}"


def test_an_admin_sends_for_the_sponsor(session):
    p = cast(session, admin=True)
    r = adrequests.send_request(session, p.admin.id, p.campaign.id, p.influencer.id, request_form())
    session.commit()
    offer = session.exec(select(Offer)).one()
    assert (r.initiated_by, r.sponsor_id, r.created_by_id, offer.author_role) == (
        "admin", p.sponsor.id, p.admin.id, "admin")
    event = session.exec(select(AuditEvent).where(AuditEvent.target_type == "adrequest")).one()
    assert event.on_behalf_of_id == p.sponsor.id
    notified = set(session.exec(select(Notification.user_id).where(Notification.kind == "request.new")))
    assert notified == {p.sponsor.id, p.influencer.id}
    adrequests.withdraw_request(session, p.sponsor.id, r.id)  # the sponsor's side opened it


def test_lists_by_box_with_counterparts(session):
    p = cast(session, others=True)
    mine = send(session, p.sponsor, p.campaign, p.influencer)
    theirs = apply(session, p.other_influencer, p.campaign)
    other = campaign(session, p.other_sponsor)
    send(session, p.other_sponsor, other, p.influencer)
    advance(session, mine, "accepted", p)
    boxes = lambda actor: {b: [r.id for r in adrequests.list_requests(session, actor.id, box=b)[0]]  # noqa: E731
                           for b in adrequests.BOXES}
    assert boxes(p.sponsor) == {"all": [mine.id, theirs.id], "awaiting_me": [theirs.id], "open": [theirs.id],
                                "active": [mine.id], "closed": []}
    rows, total = adrequests.list_requests(session, p.influencer.id)
    assert total == 2 and [(r.campaign_name, r.awaiting_me) for r in rows] == [(p.campaign.name, False),
                                                                                (other.name, True)]
    assert rows[1].counterpart_name.startswith("Brand") and rows[0].status == "accepted"  # newest update first
    sponsor_rows, _ = adrequests.list_requests(session, p.sponsor.id, box="awaiting_me")
    assert sponsor_rows[0].counterpart_name.startswith("Creator") and sponsor_rows[0].payment_cents == 30000
    with pytest.raises(DomainError):
        adrequests.list_requests(session, p.sponsor.id, box="spam")
    adrequests.withdraw_request(session, p.other_influencer.id, theirs.id)
    session.commit()
    for _ in range(50):
        adrequests.withdraw_request(session, p.other_influencer.id,
                                    apply(session, p.other_influencer, p.campaign).id)
    session.commit()
    rows, total = adrequests.list_requests(session, p.other_influencer.id, box="closed", page_size=1000)
    assert total == 51 and len(rows) == 50
    with pytest.raises(NotFound):
        adrequests.get_request(session, p.other_sponsor.id, mine.id)

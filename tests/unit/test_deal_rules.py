"""Rules a person expects of a deal: no application to a campaign whose sponsor is flagged or
deactivated, no counter or accept while the other party is not active, no asking price above the
campaign's whole budget, a post address on the platform it names, and offers the database keeps
immutable. Each refusal writes nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from brandifiers.models import PLATFORM_HOSTS, Offer, User
from brandifiers.services.common.errors import DomainError, ValidationFailed
from brandifiers.services.deals import adrequests, campaigns
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)


def _set_status(session, user: User, status: str) -> None:
    user.status, user.status_reason = status, "test"
    session.add(user)
    session.commit()


@pytest.mark.parametrize("status", ["flagged", "deactivated"])
def test_no_application_to_a_campaign_of_an_inactive_sponsor(session, status):
    people = cf.cast(session)
    _set_status(session, people.sponsor, status)
    before = cf.snapshot(session)
    with pytest.raises(DomainError, match="not taking applications"):  # the id sent directly
        adrequests.apply_to_campaign(session, people.influencer.id, people.campaign.id,
                                     {"payment": "100", "message": "", "terms": ""})
    session.rollback()
    assert cf.snapshot(session) == before


@pytest.mark.parametrize("status", ["flagged", "deactivated"])
def test_an_admin_sends_no_request_for_an_inactive_sponsor(session, status):
    people = cf.cast(session, admin=True)
    _set_status(session, people.sponsor, status)
    with pytest.raises(DomainError, match="sponsor is not active"):
        adrequests.send_request(session, people.admin.id, people.campaign.id, people.influencer.id, cf.request_form())


# (who becomes inactive, who answers, the answer)
ANSWERS = [
    ("sponsor", "influencer", lambda s, a, r: adrequests.counter_offer(s, a, r, {"amount": "350"})),
    ("sponsor", "influencer", adrequests.accept_offer),
    ("influencer", "sponsor", lambda s, a, r: adrequests.counter_offer(s, a, r, {"amount": "350"})),
    ("influencer", "sponsor", adrequests.accept_offer),
    ("influencer", "admin", adrequests.accept_offer),  # an admin answering for the sponsor
]


@pytest.mark.parametrize("status", ["flagged", "deactivated"])
@pytest.mark.parametrize(("gone", "who", "answer"), ANSWERS)
def test_no_counter_or_accept_while_the_other_party_is_inactive(session, status, gone, who, answer):
    people = cf.cast(session, admin=True)
    if who == "influencer":
        request = cf.send(session, people.sponsor, people.campaign, people.influencer)
    else:
        request = cf.apply(session, people.influencer, people.campaign)
    _set_status(session, getattr(people, gone), status)
    before = cf.snapshot(session)
    with pytest.raises(DomainError, match=f"{gone}'s account is not active"):
        answer(session, getattr(people, who).id, request.id)
    session.rollback()
    assert cf.snapshot(session) == before
    # Closing it stays possible.
    adrequests.reject_request(session, getattr(people, who).id, request.id)
    session.commit()


def test_an_asking_price_above_the_whole_budget_is_refused_next_to_the_field(session):
    people = cf.cast(session, budget="1,000.00")
    before = cf.snapshot(session)
    with pytest.raises(ValidationFailed) as err:
        adrequests.apply_to_campaign(session, people.influencer.id, people.campaign.id, {"payment": "1000.01"})
    assert err.value.errors == {"payment": "Your price is more than the campaign's whole budget of $1,000.00."}
    session.rollback()
    assert cf.snapshot(session) == before
    request = cf.apply(session, people.influencer, people.campaign, payment="1000")  # the whole budget is fine
    adrequests.counter_offer(session, people.sponsor.id, request.id, {"amount": "800"})
    session.commit()
    with pytest.raises(ValidationFailed) as err:
        adrequests.counter_offer(session, people.influencer.id, request.id, {"amount": "1200"})
    assert err.value.errors["amount"].startswith("Your price is more than the campaign's whole budget")
    session.rollback()
    with pytest.raises(DomainError) as refused:  # the reader is the influencer: "you", not "this influencer"
        cf.apply(session, people.influencer, people.campaign)
    assert refused.value.message == ("You already have an open request on this campaign; answer it under "
                                     "My requests.")


BAD_URLS = [
    ("instagram", "http://localhost:3000/admin"),
    ("instagram", "https://localhost/p/abc"),
    ("instagram", "http://instagram.com/p/abc"),  # https only
    ("instagram", "https://www.youtube.com/watch?v=abc"),  # another platform's host
    ("instagram", "https://instagram.com.evil.example/p/abc"),
    ("instagram", "https://instagram.com@evil.example/p/abc"),
    ("instagram", "https://fakeinstagram.com/p/abc"),
    ("instagram", "https://instagram.com:8443/p/abc"),
    ("youtube", "https://youtu.be.evil.example/abc"),
]


@pytest.mark.parametrize(("platform", "url"), BAD_URLS)
def test_a_post_address_must_be_on_the_platform_it_names(session, platform, url):
    people = cf.cast(session)
    request = cf.advance(session, cf.send(session, people.sponsor, people.campaign, people.influencer),
                         "in_progress", people)
    before = cf.snapshot(session)
    with pytest.raises(ValidationFailed) as err:
        adrequests.submit_deliverables(session, people.influencer.id, request.id,
                                       [{"platform": platform, "post_url": url, "note": ""}])
    assert "https://" in err.value.errors["post_url_0"]
    session.rollback()
    assert cf.snapshot(session) == before


def test_every_host_of_the_table_is_accepted(session):
    people = cf.cast(session)
    request = cf.advance(session, cf.send(session, people.sponsor, people.campaign, people.influencer),
                         "in_progress", people)
    posts = [{"platform": platform, "post_url": f"https://www.{host}/post/{i}", "note": ""}
             for i, (platform, hosts) in enumerate(PLATFORM_HOSTS.items()) for host in hosts]
    assert len(adrequests.submit_deliverables(session, people.influencer.id, request.id, posts)) == len(posts)


@pytest.mark.parametrize("sql", ["UPDATE offer SET amount_cents = 1", "UPDATE offer SET message = 'rewritten'"])
def test_the_database_keeps_offers_immutable(session, sql):
    people = cf.cast(session)
    cf.send(session, people.sponsor, people.campaign, people.influencer)
    with pytest.raises(sa.exc.DatabaseError, match="offers are immutable"):
        session.exec(sa.text(sql))
        session.flush()
    session.rollback()
    assert [o.amount_cents for o in session.exec(select(Offer))] == [30_000]
    # A campaign without agreements can still be deleted with its requests and their offers.
    campaigns.delete_campaign(session, people.sponsor.id, people.campaign.id)
    session.commit()
    assert session.exec(select(Offer)).all() == []

"""The budget guard, for real: concurrent sessions (one per thread, on the test engine of each
backend) race to accept offers on one campaign; never more than the budget is committed."""

from __future__ import annotations

import threading
import time

import pytest
from sqlmodel import Session

from brandifiers.models import AdRequest
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.money import format_cents
from brandifiers.services.deals import adrequests, campaigns
from tests.unit import factories
from tests.unit.collab_factories import (  # noqa: F401  (cheap_passwords is an autouse fixture)
    apply,
    campaign,
    campaign_form,
    cheap_passwords,
    send,
)

ROUNDS = 5


def race(engine, *calls) -> list:
    """Run each call(session) in its own thread and session, released together by a barrier.
    Returns per call "ok" (committed) or the exception it raised (rolled back)."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        with Session(engine, expire_on_commit=False) as s:
            try:
                barrier.wait(timeout=10)
                call(s)
                s.commit()
                results[i] = "ok"
            except Exception as exc:  # anything but DomainError fails the test below
                s.rollback()
                results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racing call hung"
    return results


@pytest.fixture
def people(session):
    return (factories.sponsor(session, approved=True),
            [factories.influencer(session) for _ in range(3)])


def _setup_round(session, sponsor, influencers, who):
    """Budget 1000, 200 already committed, two open offers of 500 and 450 (each fits, not both)."""
    c = campaign(session, sponsor, budget="1000")
    first = send(session, sponsor, c, influencers[2], payment="200")
    adrequests.accept_offer(session, influencers[2].id, first.id)
    session.commit()
    if who == "influencer":  # the sponsor sent both; each influencer accepts its own
        reqs = [send(session, sponsor, c, inf, payment=amount) for inf, amount in zip(influencers, ("500", "450"))]
        actors = [inf.id for inf in influencers[:2]]
    else:  # both influencers applied; the sponsor accepts both at once (two tabs)
        reqs = [apply(session, inf, c, payment=amount) for inf, amount in zip(influencers, ("500", "450"))]
        actors = [sponsor.id, sponsor.id]
    return c, reqs, actors


@pytest.mark.parametrize("who", ["sponsor", "influencer"])
def test_two_accepts_at_once_never_exceed_the_budget(engine, session, people, who):
    sponsor, influencers = people
    for _ in range(ROUNDS):
        c, reqs, actors = _setup_round(session, sponsor, influencers, who)
        results = race(engine, *[
            (lambda s, a=a, r=r: adrequests.accept_offer(s, a, r.id)) for a, r in zip(actors, reqs)])
        assert sorted(map(str, results)).count("ok") == 1, results
        loser = next(i for i, res in enumerate(results) if res != "ok")
        winner = 1 - loser
        error = results[loser]
        assert type(error) is DomainError, repr(error)
        winner_cents = reqs[winner].payment_cents
        if who == "sponsor":  # the sponsor is told the remaining budget
            assert error.message == (f"Not enough budget left: this offer is {format_cents(reqs[loser].payment_cents)}"
                                     f" but only {format_cents(80000 - winner_cents)} of the campaign budget remains.")
        else:  # the influencer is not shown the sponsor's figures
            assert "budget no longer covers this offer" in error.message
        session.expire_all()
        panel = campaigns.budget_panel(session, c.id)
        assert panel["committed_cents"] == 20000 + winner_cents <= panel["budget_cents"]
        assert [session.get(AdRequest, r.id).status for r in reqs][loser] == "pending"


def test_a_double_click_in_two_tabs_accepts_once(engine, session, people):
    sponsor, (influencer, *_) = people
    for _ in range(ROUNDS):
        c = campaign(session, sponsor, budget="1000")
        r = send(session, sponsor, c, influencer, payment="400")
        offer_id = adrequests.get_request(session, influencer.id, r.id).latest_offer.id
        results = race(engine, *[lambda s: adrequests.accept_offer(s, influencer.id, r.id, expected_offer_id=offer_id)
                                 for _ in range(2)])
        assert results.count("ok") == 1, results
        error = next(res for res in results if res != "ok")
        assert type(error) is DomainError and "already accepted" in error.message
        assert campaigns.budget_panel(session, c.id)["committed_cents"] == 40000


def test_a_session_that_already_read_waits_and_sees_the_winner(engine, session, people):
    """B reads first, A accepts and holds the lock; B's accept waits for A's commit (no
    SQLITE_BUSY_SNAPSHOT, no deadlock) and then decides on the fresh committed total."""
    sponsor, influencers = people
    c, reqs, actors = _setup_round(session, sponsor, influencers, "influencer")
    with Session(engine, expire_on_commit=False) as a, Session(engine, expire_on_commit=False) as b:
        assert adrequests.get_request(b, actors[1], reqs[1].id).actions >= {"accept"}
        assert campaigns.budget_panel(b, c.id)["remaining_cents"] == 80000  # B has read the old state
        adrequests.accept_offer(a, actors[0], reqs[0].id)  # A now holds the lock, uncommitted
        outcome = []

        def accept_b():
            try:
                adrequests.accept_offer(b, actors[1], reqs[1].id)
                b.commit()
                outcome.append("ok")
            except Exception as exc:  # the outcome is checked below
                b.rollback()
                outcome.append(exc)

        thread = threading.Thread(target=accept_b)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive() and outcome == [], "B must wait for A's lock"
        a.commit()
        thread.join(timeout=10)
        assert len(outcome) == 1 and type(outcome[0]) is DomainError, outcome
        assert "budget" in outcome[0].message
    assert campaigns.budget_panel(session, c.id)["committed_cents"] == 70000


def test_a_budget_cut_and_an_accept_at_once_keep_committed_within_budget(engine, session, people):
    sponsor, (influencer, *_) = people
    for _ in range(ROUNDS):
        c = campaign(session, sponsor, budget="1000")
        r = send(session, sponsor, c, influencer, payment="600")
        form = campaign_form(name=c.name, budget="500")
        results = race(engine, lambda s: campaigns.update_campaign(s, sponsor.id, c.id, form),
                       lambda s: adrequests.accept_offer(s, influencer.id, r.id))
        assert results.count("ok") == 1 and all(isinstance(x, DomainError) for x in results if x != "ok"), results
        session.expire_all()
        panel = campaigns.budget_panel(session, c.id)
        assert panel["committed_cents"] <= panel["budget_cents"]

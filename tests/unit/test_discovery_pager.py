"""Discovery's one pager (DiscoveryState._turn_page), as both searches use it: on while there is a next page,
back to the first, never below it."""

from __future__ import annotations

import asyncio

from brandifiers.state.discovery import DiscoveryState
from tests.unit import collab_factories as cf
from tests.unit.collab_factories import cheap_passwords  # noqa: F401  (autouse fixture)
from tests.unit.test_state_handlers import logged_in


def test_the_campaign_search_pages_on_and_back(session):
    people = cf.cast(session, name="Campaign 00")
    for n in range(1, 23):  # 23 public campaigns: a page of 20 and one of 3
        cf.campaign(session, people.sponsor, name=f"Campaign {n:02}")
    state = logged_in(DiscoveryState, people.influencer)
    asyncio.run(state.search_campaigns({"text": ""}))
    first = [r["name"] for r in state.rows]
    assert len(first) == 20 and state.has_next and state.page == 0
    asyncio.run(state.campaign_page(1))
    second = [r["name"] for r in state.rows]
    assert state.page == 1 and not state.has_next and len(second) == 3 and not set(first) & set(second)
    asyncio.run(state.campaign_page(1))  # no next page: nothing moves
    assert state.page == 1 and [r["name"] for r in state.rows] == second
    asyncio.run(state.campaign_page(-1))
    assert state.page == 0 and [r["name"] for r in state.rows] == first
    asyncio.run(state.campaign_page(-1))  # never below the first page
    assert state.page == 0 and [r["name"] for r in state.rows] == first

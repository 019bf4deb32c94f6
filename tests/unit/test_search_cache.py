"""The discovery pages the app serves come from a short-lived cache: a repeat runs no search SQL, role and
campaign ownership are still checked on every call, and an admin's moderation drops the cache at once."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from brandifiers.services.common.errors import NotFound, PermissionDenied
from brandifiers.services.deals import moderation
from brandifiers.services.discovery import search_cache
from brandifiers.services.discovery.search import CampaignFilters, InfluencerFilters
from tests.unit import factories
from tests.unit.test_search import add_campaign, add_influencer, add_sponsor, names, pw  # noqa: F401 (fixture)


@pytest.fixture
def world(session, pw):
    w = {"sponsor": add_sponsor(session, pw, "Acme Foods"), "other": add_sponsor(session, pw, "Rival"),
         "admin": factories.admin(session), "creator": add_influencer(session, pw, "Ann", followers=9000)}
    add_influencer(session, pw, "Bob", followers=5000)
    w["campaign"] = add_campaign(session, w["sponsor"], "Spring bake")
    w["rival_campaign"] = add_campaign(session, w["other"], "Rival bake")
    session.commit()
    return w


def statements(session, fn):
    """fn()'s result and how many SQL statements it ran."""
    n = [0]

    def count(*_a, **_k):
        n[0] += 1
    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        return fn(), n[0]
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_repeated_search_is_served_from_the_cache(session, world):
    sp = world["sponsor"].id
    first, cold = statements(session, lambda: search_cache.search_influencers(session, sp, InfluencerFilters()))
    again, warm = statements(session, lambda: search_cache.search_influencers(session, sp, InfluencerFilters()))
    assert names(first) == names(again) == ["Ann", "Bob"] and again.total == 2
    assert warm < cold and warm <= 1  # at most the role check; no search statement


def test_campaign_ownership_is_checked_even_when_the_page_is_cached(session, world):
    mine = InfluencerFilters(sort="fit", campaign_id=world["campaign"].id)
    page = search_cache.search_influencers(session, world["sponsor"].id, mine)
    assert page.rows and page.rows[0].fit is not None
    with pytest.raises(NotFound):
        search_cache.search_influencers(session, world["other"].id, mine)
    with pytest.raises(PermissionDenied):
        search_cache.search_influencers(session, world["creator"].id, InfluencerFilters())


def test_moderation_drops_the_cached_pages_at_once(session, world):
    sp = world["sponsor"].id
    assert names(search_cache.search_influencers(session, sp, InfluencerFilters())) == ["Ann", "Bob"]
    moderation.flag_user(session, world["admin"].id, world["creator"].id, "Fake followers")
    session.commit()
    assert names(search_cache.search_influencers(session, sp, InfluencerFilters())) == ["Bob"]


def test_campaign_pages_keep_their_dates_through_the_cache(session, world):
    inf = world["creator"].id
    first = search_cache.search_campaigns(session, inf, CampaignFilters())
    again = search_cache.search_campaigns(session, inf, CampaignFilters())
    assert sorted(names(first)) == sorted(names(again)) == ["Rival bake", "Spring bake"]
    assert again.rows[0].start_date == first.rows[0].start_date == world["campaign"].start_date
    with pytest.raises(PermissionDenied):
        search_cache.search_campaigns(session, world["sponsor"].id, CampaignFilters())

"""Discovery search: visibility rules, filters, sorts, full text (FTS5 / tsvector), paging and profiles."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from brandifiers.models import Campaign, InfluencerProfile, SocialAccount, SponsorProfile, User
from brandifiers.services.accounts.passwords import hash_password
from brandifiers.services.common.errors import DomainError, NotFound, PermissionDenied
from brandifiers.services.discovery import fit, fulltext, search
from brandifiers.services.discovery.search import CampaignFilters, InfluencerFilters
from tests.unit import factories

_n = itertools.count(1)
TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def pw() -> str:
    return hash_password("search-tests-pw")


def add_influencer(session, pw, name, *, category="Food", niche="Baking", bio="", handles=("h",), followers=1000,
                   er=0.03, price=10_000, status="active", location="Lisbon") -> User:
    n = next(_n)
    u = User(email=f"inf{n}@example.com", password_hash=pw, role="influencer", status=status)
    session.add(u)
    session.flush()
    p = InfluencerProfile(user_id=u.id, display_name=name, category=category, niche=niche, bio=bio,
                          location=location, asking_price_cents=price, total_followers=followers,
                          avg_engagement_rate=er)
    session.add(p)
    session.flush()
    platforms = ("instagram", "tiktok", "youtube")
    for i, h in enumerate(handles):
        session.add(SocialAccount(influencer_id=p.id, platform=platforms[i], handle=h,
                                  followers=followers // len(handles), avg_engagement_rate=er))
    session.flush()
    return u


def add_sponsor(session, pw, company="Acme", status="active") -> User:
    n = next(_n)
    u = User(email=f"sp{n}@example.com", password_hash=pw, role="sponsor", status=status)
    session.add(u)
    session.flush()
    session.add(SponsorProfile(user_id=u.id, company_name=company, industry="Food"))
    session.flush()
    return u


def add_campaign(session, sponsor, name="Spring bake", *, description="Bake with us.", category="Food",
                 niche="Baking", budget=1_000_000, start=TODAY, days=30, visibility="public", status="active",
                 flagged=False, approved=True, created_days_ago=0) -> Campaign:
    c = Campaign(sponsor_id=sponsor.id, name=name, description=description, category=category, niche=niche,
                 budget_cents=budget, start_date=start, end_date=start + timedelta(days=days),
                 visibility=visibility, status=status, flagged=flagged, approved=approved,
                 created_at=datetime(2026, 11, 1, tzinfo=UTC) - timedelta(days=created_days_ago))
    session.add(c)
    session.flush()
    return c


def names(page) -> list[str]:
    return [r.display_name if hasattr(r, "display_name") else r.name for r in page.rows]


@pytest.fixture
def people(session, pw):
    """A sponsor, an admin, an influencer actor and a small catalogue of influencers."""
    d = {"sponsor": add_sponsor(session, pw, "Acme Foods"), "admin": factories.admin(session)}
    d["anna"] = add_influencer(session, pw, "Anna Bakes", bio="Sourdough and pastry from Porto.",
                               handles=("annabakes", "anna.tiktok"), followers=50_000, er=0.05, price=40_000)
    d["bruno"] = add_influencer(session, pw, "Bruno Gomes", category="Gaming", niche="Esports",
                                bio="Speedruns every night. Café addict.", handles=("brunoplays",),
                                followers=900_000, er=0.02, price=None)
    d["carla"] = add_influencer(session, pw, "Carla Vegan", niche="Vegan recipes", bio="Plant based baking.",
                                handles=("carlacooks", "carla_yt", "carla"), followers=120_000, er=0.08, price=90_000)
    d["dora"] = add_influencer(session, pw, "Dora Flagged", bio="Sourdough too.", handles=("dora",),
                               followers=2_000_000, status="flagged")
    d["eve"] = add_influencer(session, pw, "Eve Gone", bio="Sourdough also.", handles=("eve",),
                              followers=3_000_000, status="deactivated")
    d["fay"] = add_influencer(session, pw, "Fay Pending", bio="Sourdough.", handles=("fay",), followers=10,
                              status="pending")
    session.commit()
    return d


def test_only_active_influencers_sorted_by_reach(session, people):
    page = search.search_influencers(session, people["sponsor"].id, InfluencerFilters())
    assert names(page) == ["Bruno Gomes", "Carla Vegan", "Anna Bakes"]
    assert (page.total, page.has_next, page.page, page.page_size) == (3, False, 0, 20)
    card = page.rows[1]
    assert (card.user_id, card.category, card.niche, card.location) == (people["carla"].id, "Food", "Vegan recipes",
                                                                        "Lisbon")
    assert card.platforms == ["instagram", "tiktok", "youtube"] and card.fit is None
    assert card.engagement_rate == pytest.approx(0.08) and card.asking_price_cents == 90_000
    admin_page = search.search_influencers(session, people["admin"].id, InfluencerFilters())
    assert names(admin_page) == names(page)  # admins search the same active catalogue


def test_paging_has_next_total_and_page_size_cap(session, people, pw):
    for i in range(60):
        add_influencer(session, pw, f"Bulk {i:02d}", followers=100 + i)
    session.commit()
    p0 = search.search_influencers(session, people["sponsor"].id, InfluencerFilters(page_size=500))
    assert p0.page_size == search.MAX_PAGE_SIZE and len(p0.rows) == 50 and p0.has_next and p0.total == 63
    p1 = search.search_influencers(session, people["sponsor"].id, InfluencerFilters(page=1, page_size=50))
    assert len(p1.rows) == 13 and not p1.has_next and p1.total == 63
    assert not set(names(p0)) & set(names(p1)) and names(p1)[-1] == "Bulk 00"
    beyond = search.search_influencers(session, people["sponsor"].id, InfluencerFilters(page=9, page_size=50))
    assert beyond.rows == [] and not beyond.has_next and beyond.total == 63


def test_total_is_none_above_the_cap(session, people, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    page = search.search_influencers(session, people["sponsor"].id, InfluencerFilters(page_size=1))
    assert page.has_next and page.total is None
    last = search.search_influencers(session, people["sponsor"].id, InfluencerFilters(page=2, page_size=1))
    assert not last.has_next and last.total == 3  # the last page knows the total without counting


def test_filters(session, people):
    sid = people["sponsor"].id

    def run(**kw):
        return names(search.search_influencers(session, sid, InfluencerFilters(**kw)))

    assert run(category="food") == ["Carla Vegan", "Anna Bakes"]  # category is case-insensitive
    assert run(category="Food", niche="baking") == ["Anna Bakes"]
    assert run(platform="YouTube") == ["Carla Vegan"]
    assert run(platform="tiktok", category="Food") == ["Carla Vegan", "Anna Bakes"]
    assert run(min_followers=50_000, max_followers=120_000) == ["Carla Vegan", "Anna Bakes"]
    assert run(min_followers=50_001) == ["Bruno Gomes", "Carla Vegan"]
    assert run(min_er=0.05, max_er=0.05) == ["Anna Bakes"]
    assert run(min_er=0.06) == ["Carla Vegan"]
    assert run(category="Travel") == []


def test_sort_by_engagement_and_price(session, people, pw):
    sid = people["sponsor"].id
    page = search.search_influencers(session, sid, InfluencerFilters(sort="engagement"))
    assert names(page) == ["Carla Vegan", "Anna Bakes", "Bruno Gomes"]
    # price: cheapest first, unknown prices last (newest profile first among them)
    add_influencer(session, pw, "Zed NoPrice", price=None, followers=5)
    session.commit()
    assert names(search.search_influencers(session, sid, InfluencerFilters(sort="price"))) == [
        "Anna Bakes", "Carla Vegan", "Zed NoPrice", "Bruno Gomes"]
    pages = [names(search.search_influencers(session, sid, InfluencerFilters(sort="price", page=i, page_size=1)))
             for i in range(5)]
    assert pages == [["Anna Bakes"], ["Carla Vegan"], ["Zed NoPrice"], ["Bruno Gomes"], []]
    p = search.search_influencers(session, sid, InfluencerFilters(sort="price", page=1, page_size=2))
    assert names(p) == ["Zed NoPrice", "Bruno Gomes"] and not p.has_next and p.total == 4


@pytest.mark.parametrize("text, expected", [
    ("anna", ["Anna Bakes"]),  # display name
    ("SOURDOUGH", ["Anna Bakes"]),  # bio, case-insensitive; flagged/deactivated/pending never appear
    ("porto pastry", ["Anna Bakes"]),  # every word, any order
    ("brunoplay", ["Bruno Gomes"]),  # a handle, by prefix
    ("@carla_yt", ["Carla Vegan"]),  # handle punctuation is a word break
    ("bak", ["Carla Vegan", "Anna Bakes"]),  # word prefix: Bakes, baking
    ("anna tiktok", ["Anna Bakes"]),  # words from the name and a handle together
    ("cafe", ["Bruno Gomes"]),  # diacritics do not matter on SQLite ("Café")
    ("sourdough gaming", []),
    ("xyzzy", []),
    ("  ", ["Bruno Gomes", "Carla Vegan", "Anna Bakes"]),  # blank: no text filter
])
def test_text_search(session, people, text, expected):
    if text == "cafe" and session.get_bind().dialect.name == "postgresql":
        text = "café"  # the 'simple' configuration keeps accents
    page = search.search_influencers(session, people["sponsor"].id, InfluencerFilters(text=text))
    assert names(page) == expected


def test_text_index_follows_profile_and_handle_changes(session, people):
    sid = people["sponsor"].id
    carla = session.exec(select(InfluencerProfile).where(InfluencerProfile.user_id == people["carla"].id)).one()
    carla.bio = "Now mostly kombucha."
    session.add(carla)
    acct = session.exec(select(SocialAccount).where(SocialAccount.handle == "carlacooks")).one()
    acct.handle = "carlabrews"
    session.add(acct)
    session.delete(session.exec(select(SocialAccount).where(SocialAccount.handle == "carla_yt")).one())
    session.add(SocialAccount(influencer_id=carla.id, platform="x", handle="carla_on_x"))
    session.commit()

    def run(text):
        return names(search.search_influencers(session, sid, InfluencerFilters(text=text)))

    assert run("kombucha") == ["Carla Vegan"] and run("plant") == []
    assert run("carlabrews") == ["Carla Vegan"] and run("carlacooks") == [] and run("yt") == []
    assert run("carla on") == ["Carla Vegan"]
    session.delete(session.get(User, people["anna"].id))  # cascades to the profile and its handles
    session.commit()
    assert run("annabakes") == [] and run("sourdough") == []


def test_text_search_totals(session, people, monkeypatch):
    monkeypatch.setattr(fulltext, "READ_ALWAYS", 10**9)  # SQLite: always read the matches (and count them)
    sid = people["sponsor"].id
    for sort in ("reach", "engagement", "price"):
        first = search.search_influencers(session, sid, InfluencerFilters(text="bak", sort=sort, page_size=1))
        assert len(first.rows) == 1 and first.has_next and first.total == 2, sort
        last = search.search_influencers(session, sid, InfluencerFilters(text="bak", sort=sort, page=1, page_size=1))
        assert len(last.rows) == 1 and not last.has_next and last.total == 2, sort
        past = search.search_influencers(session, sid, InfluencerFilters(text="bak", sort=sort, page=5, page_size=1))
        assert past.rows == [] and past.total == 2, sort


def test_common_words_take_the_index_scan_path(session, people, monkeypatch):
    monkeypatch.setattr(fulltext, "READ_COST", 10**9)  # SQLite: always scan the sort index
    monkeypatch.setattr(fulltext, "READ_ALWAYS", 0)
    many = search.search_influencers(session, people["sponsor"].id, InfluencerFilters(text="bak", page_size=1))
    sqlite = session.get_bind().dialect.name == "sqlite"
    assert many.has_next and many.total == (None if sqlite else 2)  # scanning: not counted
    page = search.search_influencers(session, people["sponsor"].id, InfluencerFilters(text="b"))  # one letter
    assert names(page) == ["Bruno Gomes", "Carla Vegan", "Anna Bakes"]
    assert names(search.search_influencers(session, people["sponsor"].id,
                                           InfluencerFilters(text="bak", sort="engagement"))) == [
        "Carla Vegan", "Anna Bakes"]


def test_fit_sort_and_fit_column(session, people, pw):
    sponsor = people["sponsor"]
    camp = add_campaign(session, sponsor, niche="Vegan recipes", budget=1_200_000)
    other = add_campaign(session, add_sponsor(session, pw, "Other"))
    session.commit()
    page = search.search_influencers(session, sponsor.id, InfluencerFilters(sort="fit", campaign_id=camp.id))
    fits = [r.fit for r in page.rows]
    assert names(page)[0] == "Carla Vegan" and fits == sorted(fits, reverse=True) and None not in fits
    assert fits[0] == fit.fit_for(session, sponsor.id, camp.id, people["carla"].id).score
    assert page.total == 3 and page.note == ""
    reach = search.search_influencers(session, sponsor.id, InfluencerFilters(campaign_id=camp.id))
    assert names(reach)[0] == "Bruno Gomes" and {r.user_id: r.fit for r in reach.rows} == {
        r.user_id: r.fit for r in page.rows}
    with pytest.raises(DomainError) as err:
        search.search_influencers(session, sponsor.id, InfluencerFilters(sort="fit"))
    assert err.value.field == "campaign_id"
    with pytest.raises(NotFound):
        search.search_influencers(session, sponsor.id, InfluencerFilters(sort="fit", campaign_id=other.id))
    admin_page = search.search_influencers(session, people["admin"].id,
                                           InfluencerFilters(sort="fit", campaign_id=other.id))
    assert len(admin_page.rows) == 3


def test_fit_sort_ranks_a_bounded_candidate_set(session, people, pw, monkeypatch):
    monkeypatch.setattr(search, "FIT_CANDIDATES", 2)
    camp = add_campaign(session, people["sponsor"], niche="Vegan recipes")
    session.commit()
    page = search.search_influencers(session, people["sponsor"].id, InfluencerFilters(sort="fit", campaign_id=camp.id))
    assert set(names(page)) == {"Bruno Gomes", "Carla Vegan"} and page.total == 2 and "2 matches" in page.note


@pytest.mark.parametrize("kw, field", [
    (dict(min_followers=-1), "min_followers"), (dict(min_followers=10, max_followers=5), "max_followers"),
    (dict(min_er=-0.1), "min_er"), (dict(max_er=1.5), "max_er"), (dict(min_er=0.5, max_er=0.1), "max_er"),
    (dict(sort="popularity"), "sort"), (dict(category="Astrology"), "category"), (dict(platform="myspace"), "platform"),
    (dict(page=-1), "page"), (dict(page_size=0), "page_size"), (dict(page=100_000), "page"),
    (dict(text="x" * 201), "text"),
])
def test_bad_influencer_filters_name_the_field(session, people, kw, field):
    with pytest.raises(DomainError) as err:
        search.search_influencers(session, people["sponsor"].id, InfluencerFilters(**kw))
    assert err.value.field == field and err.value.message


def test_roles(session, people, pw):
    pending = add_sponsor(session, pw, "Waiting", status="pending")
    session.commit()
    for actor in (people["anna"].id, pending.id, None):
        with pytest.raises(PermissionDenied):
            search.search_influencers(session, actor, InfluencerFilters())
    for actor in (people["sponsor"].id, pending.id):
        with pytest.raises(PermissionDenied):
            search.search_campaigns(session, actor, CampaignFilters())


# ---- campaigns ----------------------------------------------------------------------------------

@pytest.fixture
def catalogue(session, pw):
    acme, bad = add_sponsor(session, pw, "Acme Foods"), add_sponsor(session, pw, "Shady", status="flagged")
    add_campaign(session, acme, "Summer Sourdough Launch", description="Bake sourdough with our flour. " * 10,
                 created_days_ago=1)
    add_campaign(session, acme, "Gaming Chair Reviews", description="Honest reviews of the Pro chair.",
                 category="Gaming", niche="Esports", budget=5_000_000, start=TODAY + timedelta(days=20), days=10,
                 created_days_ago=2)
    add_campaign(session, acme, "Vegan Week", description="Plant based recipes.", niche="Vegan recipes",
                 budget=300_000, start=TODAY - timedelta(days=10), days=14, created_days_ago=3)
    add_campaign(session, acme, "Private Sourdough", visibility="private")
    add_campaign(session, acme, "Draft Sourdough", status="draft")
    add_campaign(session, acme, "Paused Sourdough", status="paused")
    add_campaign(session, acme, "Flagged Sourdough", flagged=True)
    add_campaign(session, acme, "Held Sourdough", approved=False)
    add_campaign(session, bad, "Shady Sourdough")
    inf = add_influencer(session, pw, "Reader")
    session.commit()
    return {"acme": acme, "influencer": inf}


def test_campaign_search_shows_only_open_public_campaigns(session, catalogue):
    page = search.search_campaigns(session, catalogue["influencer"].id, CampaignFilters())
    assert names(page) == ["Summer Sourdough Launch", "Gaming Chair Reviews", "Vegan Week"]  # newest first
    assert page.total == 3 and not page.has_next
    card = page.rows[0]
    assert card.sponsor_name == "Acme Foods" and card.budget_cents == 1_000_000 and card.start_date == TODAY
    assert card.description_snippet.endswith("…") and len(card.description_snippet) <= search.SNIPPET + 1
    assert page.rows[2].description_snippet == "Plant based recipes."


@pytest.mark.parametrize("kw, expected", [
    (dict(category="gaming"), ["Gaming Chair Reviews"]),
    (dict(niche="vegan recipes"), ["Vegan Week"]),
    (dict(min_budget_cents=1_000_000), ["Summer Sourdough Launch", "Gaming Chair Reviews"]),
    (dict(max_budget_cents=1_000_000), ["Summer Sourdough Launch", "Vegan Week"]),
    (dict(starts_after=TODAY), ["Summer Sourdough Launch", "Gaming Chair Reviews"]),
    (dict(ends_before=TODAY + timedelta(days=30)), ["Summer Sourdough Launch", "Gaming Chair Reviews", "Vegan Week"]),
    (dict(ends_before=TODAY + timedelta(days=29)), ["Vegan Week"]),
    (dict(text="sourdough"), ["Summer Sourdough Launch"]),
    (dict(text="chair honest"), ["Gaming Chair Reviews"]),
    (dict(text="plant recip"), ["Vegan Week"]),
    (dict(text="shady"), []),
    # niche and text match words and word prefixes; the sponsor's company name is searchable
    (dict(niche="vegan"), ["Vegan Week"]),
    (dict(niche="RECIP"), ["Vegan Week"]),
    (dict(niche="recipes vegan"), ["Vegan Week"]),
    (dict(niche="vegan snacks"), []),  # every word must be in the niche
    (dict(niche="week"), []),  # the niche filter reads the niche, not the name
    (dict(text="acme"), ["Summer Sourdough Launch", "Gaming Chair Reviews", "Vegan Week"]),
    (dict(text="acme foo plant"), ["Vegan Week"]),  # words from the brand and the description
    (dict(text="acme", niche="esport", category="Gaming"), ["Gaming Chair Reviews"]),
])
def test_campaign_filters(session, catalogue, kw, expected):
    assert names(search.search_campaigns(session, catalogue["influencer"].id, CampaignFilters(**kw))) == expected


def test_campaign_text_follows_edits_and_the_common_word_path(session, catalogue, monkeypatch):
    c = session.exec(select(Campaign).where(Campaign.name == "Vegan Week")).one()
    c.name, c.description = "Oat Milk Week", "Barista oat milk."
    session.add(c)
    session.commit()
    run = lambda text: names(search.search_campaigns(session, catalogue["influencer"].id,  # noqa: E731
                                                     CampaignFilters(text=text)))
    assert run("vegan") == [] and run("barista") == ["Oat Milk Week"]
    monkeypatch.setattr(fulltext, "READ_COST", 10**9)
    monkeypatch.setattr(fulltext, "READ_ALWAYS", 0)
    assert run("week") == ["Oat Milk Week"]


def test_campaign_words_follow_niche_edits_and_sponsor_renames(session, catalogue):
    run = lambda **kw: names(search.search_campaigns(session, catalogue["influencer"].id,  # noqa: E731
                                                     CampaignFilters(**kw)))
    c = session.exec(select(Campaign).where(Campaign.name == "Vegan Week")).one()
    c.niche = "Vegan snacks"
    session.add(c)
    profile = session.exec(select(SponsorProfile).where(SponsorProfile.user_id == catalogue["acme"].id)).one()
    profile.company_name = "Peak Oats"
    session.add(profile)
    session.commit()
    assert run(niche="snack") == ["Vegan Week"] and run(niche="recipes") == []
    assert run(text="acme") == [] and run(text="peak week") == ["Vegan Week"]
    assert run(text="oats") == ["Summer Sourdough Launch", "Gaming Chair Reviews", "Vegan Week"]
    newcomer = add_campaign(session, catalogue["acme"], "Granola Days", niche="Breakfast")
    session.commit()
    assert run(text="peak granola") == ["Granola Days"] and run(niche="break") == [newcomer.name]


def test_influencer_niche_matches_words_and_prefixes(session, people):
    sid = people["sponsor"].id
    run = lambda niche: names(search.search_influencers(session, sid,  # noqa: E731
                                                        InfluencerFilters(niche=niche)))
    assert run("vegan") == run("Recipe") == run("recipes, vegan") == ["Carla Vegan"]
    assert run("vegan snacks") == [] and run("plant") == []  # "plant" is in the bio, not the niche
    assert run("esp") == ["Bruno Gomes"]
    with pytest.raises(DomainError) as err:
        search.search_influencers(session, sid, InfluencerFilters(niche="x" * 201))
    assert err.value.field == "niche"


@pytest.mark.parametrize("kw, field", [
    (dict(min_budget_cents=-5), "min_budget_cents"),
    (dict(min_budget_cents=10, max_budget_cents=5), "max_budget_cents"),
    (dict(starts_after=TODAY, ends_before=TODAY - timedelta(days=1)), "ends_before"),
    (dict(category="Nope"), "category"), (dict(page=-2), "page"),
])
def test_bad_campaign_filters_name_the_field(session, catalogue, kw, field):
    with pytest.raises(DomainError) as err:
        search.search_campaigns(session, catalogue["influencer"].id, CampaignFilters(**kw))
    assert err.value.field == field


# ---- one influencer's profile -------------------------------------------------------------------


def test_text_search_pages_only_through_its_first_results(session, people, catalogue):
    sid, iid = people["sponsor"].id, catalogue["influencer"].id
    last = fulltext.MAX_RESULTS // 20 - 1
    assert search.search_influencers(session, sid, InfluencerFilters(text="bak", page=last)).rows == []
    for run in (lambda p: search.search_influencers(session, sid, InfluencerFilters(text="bak", page=p)),
                lambda p: search.search_campaigns(session, iid, CampaignFilters(text="week", page=p))):
        with pytest.raises(DomainError) as err:
            run(last + 1)
        assert err.value.field == "page" and "first 1,000 results" in str(err.value)
    # without words the usual bound applies
    assert search.search_influencers(session, sid, InfluencerFilters(page=last + 1)).rows == []


def test_unknown_totals_say_what_is_known(session, people, monkeypatch):
    sid = people["sponsor"].id
    monkeypatch.setattr(search, "COUNT_CAP", 1)
    capped = search.search_influencers(session, sid, InfluencerFilters(page_size=1))
    assert capped.has_next and (capped.total, capped.more_than, capped.note) == (None, 1, "")
    small = search.search_influencers(session, sid, InfluencerFilters(text="carla"))
    assert (small.total, small.more_than, small.note) == (1, 0, "")
    monkeypatch.setattr(fulltext, "READ_COST", 10**9)  # SQLite: scan once more than 1 match
    monkeypatch.setattr(fulltext, "READ_ALWAYS", 1)
    many = search.search_influencers(session, sid, InfluencerFilters(text="bak", page_size=1))
    assert many.has_next and (many.total, many.more_than) == (None, 1)  # SQLite: counted 2 > 1; PG: capped
    assert "first 1,000 results" in many.note

"""Discovery pages as the app serves them: a search repeated within SEARCH_TTL seconds is read from the cache
(memory or Redis) after the role and ownership checks; moderation drops it, a Recommended page is keyed by the
model version too. The uncached searches: search.py; why and what it costs: docs/discovery.md."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from sqlmodel import Session

from brandifiers.models import Role
from brandifiers.services.common import cache
from brandifiers.services.common.rbac import require_role
from brandifiers.services.discovery import fit as fitmod
from brandifiers.services.discovery import recommend, search
from brandifiers.services.recommend import scoring

SEARCH_TTL = 15.0  # a profile edit reaches discovery within this many seconds; moderation at once


def _key(kind: str, filters) -> str:
    return f"{cache.SEARCH_CACHE_PREFIX}{kind}:" + json.dumps(asdict(filters), sort_keys=True, default=str)


def _recommended(filters: search.InfluencerFilters) -> bool:
    return isinstance(filters.sort, str) and filters.sort.strip().lower() == "recommended"


def _page(data: dict, card) -> search.Page:
    rows = [card(**r) for r in data.pop("rows")]
    return search.Page(rows=rows, **data)


def search_influencers(session: Session, actor_id: int | None, filters: search.InfluencerFilters) -> search.Page:
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    key = _key("influencers", filters)
    if _recommended(filters):  # NotFound for another sponsor's campaign; a new model's ranking at once
        recommend.own_campaign(session, actor, filters.campaign_id)
        key += f":model={scoring.status().get('version', '')}"
    elif filters.campaign_id is not None:
        fitmod.load_own_campaign(session, actor, filters.campaign_id)  # NotFound for another sponsor's campaign
    data = cache.get_or_compute(key,
                                lambda: asdict(search.search_influencers(session, actor_id, filters)), SEARCH_TTL)
    return _page(data, search.InfluencerCard)


def search_campaigns(session: Session, actor_id: int | None, filters: search.CampaignFilters) -> search.Page:
    require_role(session, actor_id, Role.INFLUENCER, Role.ADMIN)
    data = cache.get_or_compute(_key("campaigns", filters),
                                lambda: asdict(search.search_campaigns(session, actor_id, filters)), SEARCH_TTL)
    for row in data["rows"]:
        row["start_date"], row["end_date"] = date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"])
    return _page(data, search.CampaignCard)

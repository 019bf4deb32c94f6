"""What each role is shown of one campaign: owner and admins the whole page (row, budget panel, the
campaign's requests); an influencer the brief and its own request, never the money totals. Raises NotFound."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from brandifiers.models import Campaign, Role
from brandifiers.services.common.errors import NotFound
from brandifiers.services.common.rbac import require_role
from brandifiers.services.deals.campaigns import budget_panel, get_campaign
from brandifiers.services.deals.requests_read import RequestRow, list_requests

# The brief: what anyone who may open the campaign sees (the budget is advertised in discovery too).
BRIEF = ("id", "name", "description", "goals", "category", "niche", "budget_cents", "start_date", "end_date",
         "visibility", "status")


@dataclass
class CampaignPage:
    brief: dict
    managed: Campaign | None = None  # the whole row (targets, flags, approval): owner and admins only
    panel: dict | None = None  # budget, committed, paid, remaining: owner and admins only
    requests: list[RequestRow] = field(default_factory=list)  # the campaign's requests: owner and admins only
    own_request: RequestRow | None = None  # an influencer's own request on it, if any


def campaign_page(session: Session, actor_id: int | None, campaign_id: int) -> CampaignPage:
    """The campaign as this actor may see it (who may open it at all: campaigns.get_campaign)."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN, Role.INFLUENCER)
    campaign = get_campaign(session, actor.id, campaign_id)
    brief = {k: getattr(campaign, k) for k in BRIEF}
    rows, _total = list_requests(session, actor.id, campaign_id=campaign.id, page=0, page_size=50, with_total=False)
    if actor.role == Role.INFLUENCER.value:  # list_requests keeps to the actor's own requests
        return CampaignPage(brief, own_request=rows[0] if rows else None)
    return CampaignPage(brief, campaign, budget_panel(session, campaign.id), rows)


def managed_campaign_page(session: Session, actor_id: int | None, campaign_id: int) -> CampaignPage:
    """The management page (sponsor and admin routes): NotFound for anyone who may not manage it."""
    page = campaign_page(session, actor_id, campaign_id)
    if page.managed is None:
        raise NotFound("campaign")
    return page

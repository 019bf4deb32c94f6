"""The Recommended sort: a sponsor's own campaign's candidates (its category, active and verified, priced within
its remaining budget, plus the form's other filters) ranked by the learned model, or by the fit score when there
is no usable model for the category (said in Page.banner). NotFound for another's campaign. docs/discovery.md."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models import Campaign, InfluencerProfile, Role, User
from brandifiers.services.common import parse
from brandifiers.services.common.errors import DomainError, NotFound
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.rbac import require_role
from brandifiers.services.deals.campaigns import committed_cents
from brandifiers.services.discovery import fit as fitmod
from brandifiers.services.discovery import results
from brandifiers.services.recommend import scoring

RECOMMEND_CANDIDATES = 500  # the matches with the largest reach that are scored (in one batch)
_IP = InfluencerProfile.__table__


def own_campaign(session: Session, actor: User, campaign_id) -> Campaign:
    """The actor's campaign (admins: any); the refusal goes next to the campaign chooser."""
    if campaign_id is None or campaign_id == "":
        raise DomainError("Choose one of your campaigns to see recommendations for it.", "campaign_id")
    try:
        return fitmod.load_own_campaign(session, actor, parse.record_id(campaign_id))  # hostile ids: 0, no row
    except NotFound as exc:
        exc.field = "campaign_id"
        raise


def remaining_cents(session: Session, campaign: Campaign) -> int:
    """The budget less what the budget guard counts as committed (agreed payments at accepted or later, card
    funds left on closed requests)."""
    return int(campaign.budget_cents) - committed_cents(session, campaign.id)


def _candidates(session: Session, campaign: Campaign, filters: results.InfluencerFilters, offset: int,
                left: int) -> list:
    """The cheap rules in one query: the campaign's category, active and verified, no asking price or one
    within what is left of the budget, the form's other filters; the largest reach first."""
    conds, _text = results.influencer_conditions(session, filters, offset, RECOMMEND_CANDIDATES, use_category=False)
    c = _IP.c
    conds += [c.category == campaign.category, sa.or_(c.asking_price_cents.is_(None), c.asking_price_cents <= left)]
    return session.execute(sa.select(
        c.id, c.user_id, c.category, c.niche, c.total_followers, c.avg_engagement_rate, c.asking_price_cents)
        .where(*conds).order_by(*results.REACH).limit(RECOMMEND_CANDIDATES)).all()


def recommended(session: Session, actor_id: int | None, campaign_id, filters: results.InfluencerFilters, *,
                now: datetime | None = None) -> results.Page:
    """One page (filters.page) of the campaign's candidates, the most recommended first (sponsors: their own
    campaigns; admins: any). All candidates are scored in one scoring.predict call."""
    actor = require_role(session, actor_id, Role.SPONSOR, Role.ADMIN)
    page, size = results.paging(filters.page, filters.page_size)
    campaign = own_campaign(session, actor, campaign_id)
    left = remaining_cents(session, campaign)
    offset = page * size
    candidates = _candidates(session, campaign, filters, offset, left)
    ids = [r.user_id for r in candidates]
    # reasons for this page's ranks only: the rest are never shown
    predictions = (scoring.predict(session, campaign, ids, now=now or utcnow(), explain_top=offset + size,
                                   explain_from=offset) if ids else {})
    fits, banner = None, ""
    if predictions is None:
        fits = results.fit_scores(session, campaign, candidates)
        banner = (f"Not enough past results to learn from yet for {campaign.category}: "
                  "ranked by the fit score.")

        def key(r):
            return (-fits[r.user_id], -r.total_followers, -r.id)
    else:
        def key(r):  # an influencer the model gave no prediction follows those it did
            p = predictions.get(r.user_id)
            return (p is None, -(p.score if p else 0.0), -r.total_followers, -r.id)
    ranked = sorted(candidates, key=key)
    cards = results.cards(session, results.card_rows(session, [r.id for r in ranked[offset:offset + size]]), fits)
    for card in cards:
        if p := (predictions or {}).get(card.user_id):
            card.predicted, card.low, card.high, card.p_complete = p.value, p.low, p.high, p.p_complete
            card.reasons = list(p.reasons[:3])
    scope = f"{campaign.category} influencers priced within the remaining budget of {format_cents(max(left, 0))}"
    note = (f"Recommended among the {RECOMMEND_CANDIDATES} {scope} with the largest reach."
            if len(candidates) == RECOMMEND_CANDIDATES else f"Recommended among {scope}.")
    return results.Page(cards, page, size, offset + size < len(ranked), len(ranked), note, 0, banner)

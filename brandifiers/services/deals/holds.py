"""Why a deal waits, in the words of the person reading it: a request frozen by an admin, a campaign paused
by an admin, a party's account on hold or closed. `holds` says what each stops; `check_holds` refuses those
moves (DomainError with the same text). Design: docs/deals.md, "Moderation"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from brandifiers.models import AdRequest, Campaign, InfluencerProfile, Role, SponsorProfile, User, UserStatus
from brandifiers.services.common.errors import DomainError

EVERYTHING = frozenset({"*"})
# What a paused campaign or an account on hold stops (rejecting, withdrawing, approving delivered work
# and paying what is owed go on: they settle what exists).
NEW_MOVES = frozenset({"counter", "accept", "start", "submit"})
_YOURS = "You can read your history; new offers, counters and submissions wait until "


@dataclass(frozen=True)
class Hold:
    kind: str  # request | campaign | account
    text: str  # who put it, why, and what it means for the reader
    stops: frozenset[str]  # the actions it holds back (EVERYTHING: all of them)

    def holds_back(self, action: str) -> bool:
        return self.stops is EVERYTHING or action in self.stops


def display_name(session: Session, user: User) -> str:
    """An influencer's display name or a sponsor's company name."""
    if user.role == Role.SPONSOR.value:
        name = session.exec(select(SponsorProfile.company_name).where(SponsorProfile.user_id == user.id)).first()
    else:
        name = session.exec(select(InfluencerProfile.display_name)
                            .where(InfluencerProfile.user_id == user.id)).first()
    return name or f"({user.role})"


def party_names(session: Session, request: AdRequest) -> tuple[str, str]:
    """(influencer display name, sponsor company name) of a request."""
    return (display_name(session, session.get(User, request.influencer_id)),
            display_name(session, session.get(User, request.sponsor_id)))


def campaign_hold(campaign: Campaign) -> Hold | None:
    if not campaign.flagged:
        return None
    return Hold("campaign", f"An admin paused this campaign: {campaign.flag_reason or 'no reason given'}. "
                            f"{_YOURS}the flag is lifted.", NEW_MOVES)


def account_hold(session: Session, user: User) -> Hold | None:
    """The hold a party's account puts on its deals (None while it is active)."""
    if user.status == UserStatus.ACTIVE.value:
        return None
    name = display_name(session, user)
    if user.status == UserStatus.FLAGGED.value:
        return Hold("account", f"An admin put {name}'s account on hold: {user.status_reason or 'no reason given'}. "
                               f"{_YOURS}the account is active again.", NEW_MOVES)
    if user.status == UserStatus.CLOSED.value:  # for good: its history stays, nothing new can start
        return Hold("account", "The other party closed their account. You can read your history; nothing new "
                               "can be agreed on this request.", NEW_MOVES)
    return Hold("account", f"{name}'s account is not active. {_YOURS}it is active again.", NEW_MOVES)


def holds(session: Session, request: AdRequest | None, campaign: Campaign) -> list[Hold]:
    """Every hold on this request (or, without one, on the campaign), most binding first. The reader's
    own account is active (rbac), so an account hold is always the other party's."""
    found = []
    if request is not None and request.flagged:
        found.append(Hold("request", f"An admin froze this request: {request.flag_reason or 'no reason given'}. "
                                     "You can read its history; every step waits until the freeze is lifted.",
                          EVERYTHING))
    found.append(campaign_hold(campaign))
    if request is not None:
        found += [account_hold(session, session.get(User, user_id))
                  for user_id in (request.sponsor_id, request.influencer_id)]
    return [h for h in found if h is not None]


def check_holds(session: Session, request: AdRequest, action: str) -> None:
    """Refuse `action` on the request while a hold stops it, saying which and why."""
    for hold in holds(session, request, session.get(Campaign, request.campaign_id)):
        if hold.holds_back(action):
            raise DomainError(hold.text)

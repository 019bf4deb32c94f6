"""Discovery: sponsors find influencers (with the fit score, or recommended for one of their campaigns),
influencers find campaigns."""

from __future__ import annotations

from datetime import date

import reflex as rx

from brandifiers.services.common import parse
from brandifiers.services.common.errors import DomainError
from brandifiers.services.common.money import format_cents, parse_cents
from brandifiers.services.deals import adrequests, campaign_view, campaigns
from brandifiers.services.discovery import fit, public_profile, search, search_cache
from brandifiers.services.recommend import scoring
from brandifiers.state.base import RoleState


def _int_or_none(raw, field: str) -> int | None:
    if not parse.text(raw, field).strip():
        return None
    return parse.integer(raw, field, "The number", minimum=0)


def _pct_or_none(raw, field: str) -> float | None:
    raw = parse.text(raw, field).strip().rstrip("%")
    if not raw:
        return None
    try:
        value = float(raw) if raw.isascii() else float("nan")
    except ValueError:
        raise DomainError("Enter a percentage, e.g. 2.5.", field) from None
    if not 0 <= value <= 100:  # NaN fails this too
        raise DomainError("Enter a percentage between 0 and 100.", field)
    return value / 100


def _date_or_none(raw, field: str) -> date | None:
    return parse.day(raw, field, "The date", required=False)


def _prediction(c: search.InfluencerCard) -> dict[str, str]:
    """A Recommended card's learned figures as read: "Expected engagement rate 4.2 % (3.1-5.3 %)",
    "Completes 92 %" and up to three reasons ("" where there is none)."""
    reasons = (list(c.reasons) + ["", "", ""])[:3]
    if c.predicted is None:
        return {"prediction": "", "completes": "", "reason1": "", "reason2": "", "reason3": ""}
    low, high = (c.predicted if c.low is None else c.low), (c.predicted if c.high is None else c.high)
    return {"prediction": f"{scoring.target_label} {c.predicted * 100:.1f} % ({low * 100:.1f}-{high * 100:.1f} %)",
            "completes": "" if c.p_complete is None else f"Completes {c.p_complete * 100:.0f} %",
            "reason1": reasons[0], "reason2": reasons[1], "reason3": reasons[2]}


def _result_count(page: search.Page) -> str:
    """'1 match', '1,234 matches' or 'More than 1,000 matches' (the service's known bound)."""
    if page.total == 0:
        return ""  # the page says that nothing matches
    if page.total is not None:
        return f"{page.total:,} match" + ("" if page.total == 1 else "es")
    return f"More than {page.more_than:,} matches" if page.more_than else "Many matches"


class DiscoveryState(RoleState):
    filters: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    result_count: str = ""  # e.g. "More than 1,000 matches"
    result_note: str = ""  # what bounds the results (fit ranking, text search depth)
    result_banner: str = ""  # what the results could not do as asked (the Recommended sort's fallback)
    page: int = 0
    has_next: bool = False
    my_campaigns: list[list[str]] = []  # [id, name] of the sponsor's campaigns
    campaign_id: str = ""
    # one influencer profile / one campaign
    profile: dict[str, str] = {}
    platforms: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    fit_parts: list[dict[str, str]] = []
    fit_score: str = ""
    target_id: int = 0
    my_request: dict[str, str] = {}  # an influencer's own request on the campaign it opened
    campaign_holds: list[str] = []  # why its deal waits (a flag, a freeze, an account on hold), in words
    can_apply: bool = False

    def _show_page(self, page: search.Page) -> None:
        self.has_next = page.has_next
        self.result_count, self.result_note, self.result_banner = _result_count(page), page.note, page.banner

    async def _turn_page(self, delta: int, run) -> None:
        """The one pager of both searches: a page on (when there is a next) or back, then `run` again off the loop."""
        if (delta > 0 and self.has_next) or (delta < 0 and self.page > 0):
            self.page += delta
            await self._off_loop(run)

    # ---------------- sponsor: influencers ----------------
    def _influencer_filters(self) -> search.InfluencerFilters:
        f = self.filters
        return search.InfluencerFilters(
            text=f.get("text", ""), category=f.get("category", ""), niche=f.get("niche", ""),
            platform=f.get("platform", ""), min_followers=_int_or_none(f.get("min_followers", ""), "min_followers"),
            max_followers=_int_or_none(f.get("max_followers", ""), "max_followers"),
            min_er=_pct_or_none(f.get("min_er", ""), "min_er"), max_er=_pct_or_none(f.get("max_er", ""), "max_er"),
            sort=f.get("sort", "") or "reach",
            campaign_id=parse.record_id(self.campaign_id) or None,
            page=self.page, page_size=20)

    def _load_my_campaigns(self) -> None:
        ok, result = self._call(campaigns.list_campaigns, page=0, page_size=50)
        if ok:
            self.my_campaigns = [[str(c.id), c.name] for c in result[0] if c.status in ("draft", "active", "paused")]

    @rx.event
    def load_influencers(self):
        self._clear_form()
        wanted = self.router.url.query_parameters.get("campaign", "")
        if parse.record_id(wanted):
            self.campaign_id = wanted
        self._load_my_campaigns()
        self._run_influencer_search()

    def _run_influencer_search(self) -> None:
        try:
            filters = self._influencer_filters()
        except DomainError as exc:
            self._show_error(exc)
            return
        ok, result = self._call(search_cache.search_influencers, filters)
        campaign = filters.campaign_id  # the profile opens preset to the campaign the sponsor searched for
        if ok:
            self._show_page(result)
            self.rows = [{
                "id": str(c.user_id), "name": c.display_name, "category": c.category, "niche": c.niche or "",
                "location": c.location or "", "followers": f"{c.total_followers:,}",
                "er": f"{c.engagement_rate * 100:.1f}%", "price": format_cents(c.asking_price_cents),
                "platforms": ", ".join(c.platforms), "fit": "" if c.fit is None else str(c.fit),
                "href": f"/sponsor/influencers/{c.user_id}" + (f"?campaign={campaign}" if campaign else ""),
                **_prediction(c),
            } for c in result.rows]

    @rx.event
    async def search_influencers(self, form_data: dict):
        self._clear_form()
        raw = form_data.get("campaign_id")
        if raw is not None and raw != "":  # the chooser offers the sponsor's own campaigns only
            wanted = str(parse.record_id(raw))
            if wanted not in {c[0] for c in self.my_campaigns}:
                self.errors = {"campaign_id": "Choose one of your campaigns from the list."}
                return
            self.campaign_id = wanted
        self.filters = {k: str(v) for k, v in form_data.items()}
        self.page = 0
        await self._off_loop(self._run_influencer_search)

    @rx.event
    async def influencer_page(self, delta: int):
        await self._turn_page(delta, self._run_influencer_search)

    @rx.event
    def load_profile(self):
        self._clear_form()
        self.target_id = self._route_id("influencer_id")
        ok, p = self._call(public_profile.influencer_profile, self.target_id)
        if not ok:
            self.profile = {}
            return
        self.profile = {"name": p["display_name"], "bio": p.get("bio") or "", "category": p["category"],
                        "niche": p.get("niche") or "", "location": p.get("location") or "",
                        "price": format_cents(p.get("asking_price_cents")),
                        "accepted": str(p["completion"]["accepted"]), "completed": str(p["completion"]["completed"]),
                        "rate": "-" if p["completion"].get("rate") is None else f"{p['completion']['rate'] * 100:.0f}%"}
        self.platforms = [{"platform": x["platform"], "handle": "@" + x["handle"], "followers": f"{x['followers']:,}",
                           "er": f"{x['engagement_rate'] * 100:.1f}%"} for x in p["platforms"]]
        self.history = [{"campaign": h["campaign_name"], "sponsor": h["sponsor_name"], "status": h["status"],
                         "amount": format_cents(h["amount_cents"]), "date": str(h["date"])[:10]}
                        for h in p["collaborations"]]
        wanted = parse.record_id(self.router.url.query_parameters.get("campaign", "")) or None
        ok, result = self._call(campaigns.request_campaigns, wanted)
        choices, preset = result if ok else ([], None)
        self.my_campaigns = [[str(c.id), c.name] for c in choices]
        self.campaign_id = str(preset or "")
        self._load_fit()

    def _load_fit(self) -> None:
        self.fit_parts, self.fit_score = [], ""
        if not parse.record_id(self.campaign_id):
            return
        ok, result = self._call(fit.fit_for, parse.record_id(self.campaign_id), self.target_id)
        if ok:
            self.fit_score = str(result.score)
            self.fit_parts = [{"label": part.label, "weight": str(part.weight), "points": str(part.points),
                               "explanation": part.explanation} for part in result.parts]

    @rx.event
    def choose_campaign(self, campaign_id: str):
        if campaign_id not in {c[0] for c in self.my_campaigns}:
            return
        self.campaign_id = campaign_id
        self._clear_form()
        self._load_fit()

    @rx.event
    def send_request(self, form_data: dict):
        self._clear_form()
        if not parse.record_id(self.campaign_id):
            self.errors = {"campaign_id": "Choose one of your campaigns first."}
            return None
        ok, req = self._call(adrequests.send_request, parse.record_id(self.campaign_id), self.target_id, form_data)
        if ok:
            return [rx.redirect(f"/sponsor/requests/{req.id}"), rx.toast.success("Ad request sent.")]
        return None

    # ---------------- influencer: campaigns ----------------
    def _campaign_filters(self) -> search.CampaignFilters:
        f = self.filters
        lo = parse_cents(f.get("min_budget"), "min_budget", required=False)
        hi = parse_cents(f.get("max_budget"), "max_budget", required=False)
        return search.CampaignFilters(
            text=f.get("text", ""), category=f.get("category", ""), niche=f.get("niche", ""),
            min_budget_cents=lo, max_budget_cents=hi,
            starts_after=_date_or_none(f.get("starts_after", ""), "starts_after"),
            ends_before=_date_or_none(f.get("ends_before", ""), "ends_before"), page=self.page, page_size=20)

    def _run_campaign_search(self) -> None:
        try:
            filters = self._campaign_filters()
        except DomainError as exc:
            self._show_error(exc)
            return
        ok, result = self._call(search_cache.search_campaigns, filters)
        if ok:
            self._show_page(result)
            self.rows = [{"id": str(c.id), "name": c.name, "sponsor": c.sponsor_name, "category": c.category,
                          "niche": c.niche or "", "budget": format_cents(c.budget_cents),
                          "dates": f"{c.start_date:%Y-%m-%d} – {c.end_date:%Y-%m-%d}",
                          "snippet": c.description_snippet} for c in result.rows]

    @rx.event
    def load_campaigns(self):
        self._clear_form()
        self._run_campaign_search()

    @rx.event
    async def search_campaigns(self, form_data: dict):
        self._clear_form()
        self.filters = {k: str(v) for k, v in form_data.items()}
        self.page = 0
        await self._off_loop(self._run_campaign_search)

    @rx.event
    async def campaign_page(self, delta: int):
        await self._turn_page(delta, self._run_campaign_search)

    @rx.event
    def load_campaign(self):
        self._clear_form()
        self.target_id = self._route_id("campaign_id")
        self.my_request, self.campaign_holds, self.can_apply = {}, [], False
        ok, page = self._call(campaign_view.campaign_page, self.target_id)
        if not ok:
            self.profile = {}
            return
        c = page.brief
        self.campaign_holds, self.can_apply = page.holds, page.can_apply
        self.profile = {"name": c["name"], "sponsor": page.sponsor_name, "description": c["description"],
                        "goals": c["goals"],
                        "category": c["category"], "niche": c["niche"] or "", "budget": format_cents(c["budget_cents"]),
                        "dates": f"{c['start_date']:%Y-%m-%d} – {c['end_date']:%Y-%m-%d}",
                        "visibility": c["visibility"], "status": c["status"]}
        if r := page.own_request:
            self.my_request = {"status": r.status, "payment": format_cents(r.payment_cents),
                               "href": f"/influencer/requests/{r.id}", "summary": page.own_status}

    @rx.event
    def apply(self, form_data: dict):
        self._clear_form()
        ok, req = self._call(adrequests.apply_to_campaign, self.target_id, form_data)
        if ok:
            return [rx.redirect(f"/influencer/requests/{req.id}"), rx.toast.success("Application sent.")]
        return None

"""Admin: every campaign (search, flags, paged) and one campaign (status, requests, assigning an
influencer). Takes ids and forms from the page; services refuse non-admins (the message shows above
the page) and bad input (next to its field)."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common import zones
from brandifiers.services.common.money import format_cents
from brandifiers.services.deals import admin_campaigns as svc
from brandifiers.state.base import PagedState, RoleState
from brandifiers.state.campaigns import STATUS_ACTIONS, budget_cards


class AdminCampaignState(PagedState, RoleState):
    page_size: int = svc.PAGE_SIZE
    rows: list[dict[str, str]] = []
    filters: dict[str, str] = {"text": "", "status": "", "review": ""}
    campaign: dict[str, str] = {}
    panel: list[dict[str, str]] = []
    requests: list[dict[str, str]] = []
    actions: list[list[str]] = []
    assign_key: int = 0  # re-mounts the assign form after a success

    def _load_page(self):
        return AdminCampaignState.load_list

    @rx.event
    def load_list(self):
        f = self.filters
        ok, result = self._call(svc.list_all, text=f["text"], status=f["status"], review=f["review"], page=self.page,
                                page_size=self.page_size)
        if ok:
            rows, self.total = result
            self.rows = [{"id": str(c.id), "name": c.name, "company": c.company, "email": c.sponsor_email,
                          "category": c.category, "status": c.status, "visibility": c.visibility,
                          "budget": format_cents(c.budget_cents), "flagged": "1" if c.flagged else "",
                          "flag_reason": c.flag_reason, "held": "" if c.approved or c.flagged else "1",
                          "created": zones.fmt_date(c.created_at, self._zone)} for c in rows]

    @rx.event
    def search(self, form_data: dict):
        self._clear_form()
        self.filters = {k: str(form_data.get(k) or "").strip() for k in ("text", "status", "review")}
        self.filters["status"] = "" if self.filters["status"] == "any" else self.filters["status"]
        self.filters["review"] = "" if self.filters["review"] == "any" else self.filters["review"]
        self.page = 0
        return AdminCampaignState.load_list

    @rx.event
    def load_detail(self):
        self._clear_form()
        ok, o = self._call(svc.campaign_overview, self._route_id("campaign_id"))
        if not ok:
            self.campaign, self.requests, self.panel, self.actions = {}, [], [], []
            return
        c, p = o["campaign"], o["panel"]
        self.campaign = {
            "id": str(c.id), "name": c.name, "company": o["company"], "sponsor_email": o["sponsor_email"],
            "category": c.category, "status": c.status, "visibility": c.visibility, "description": c.description,
            "dates": f"{c.start_date:%Y-%m-%d} – {c.end_date:%Y-%m-%d}", "flagged": "1" if c.flagged else "",
            "flag_reason": c.flag_reason or "", "held": "" if c.approved or c.flagged else "1",
        }
        self.panel = budget_cards(p)
        self.requests = [{"id": str(r.id), "influencer": r.influencer, "email": r.influencer_email,
                          "status": r.status, "payment": format_cents(r.payment_cents),
                          "by": "admin for sponsor" if r.initiated_by == "admin" else r.initiated_by,
                          "flagged": "1" if r.flagged else "", "flag_reason": r.flag_reason} for r in o["requests"]]
        self.actions = [[s, label] for s, label in STATUS_ACTIONS.get(c.status, [])]

    @rx.event
    def set_status(self, status: str):
        self._clear_form()
        ok, _ = self._call(svc.set_status, int(self.campaign.get("id", "0")), status)
        if ok:
            return [AdminCampaignState.load_detail, rx.toast.success(f"Campaign is now {status}.")]
        return None

    @rx.event
    def assign(self, form_data: dict):
        self._clear_form()
        ok, r = self._call(svc.assign_influencer, int(self.campaign.get("id", "0")), form_data)
        if ok:
            self.assign_key += 1
            return [AdminCampaignState.load_detail,
                    rx.toast.success(f"Request #{r.id} sent for {self.campaign.get('company', 'the sponsor')}.")]
        return None

"""Sponsor campaigns: the paged list, the create/edit form, and the detail with its budget panel
and status actions. Takes ids and forms from the page; the services check ownership, and a refusal
(DomainError) shows next to its field."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.common.money import format_cents
from brandifiers.services.deals import campaign_view
from brandifiers.services.deals import campaigns as svc
from brandifiers.state.base import PagedState, RoleState

STATUS_ACTIONS = {  # status -> buttons (target status, label)
    "draft": [("active", "Launch")],
    "active": [("paused", "Pause"), ("completed", "Complete")],
    "paused": [("active", "Resume"), ("completed", "Complete")],
    "completed": [],
    "archived": [],
}


def _row(c) -> dict[str, str]:
    return {"id": str(c.id), "name": c.name, "category": c.category, "status": c.status,
            "visibility": c.visibility, "budget": format_cents(c.budget_cents),
            "dates": f"{c.start_date:%Y-%m-%d} – {c.end_date:%Y-%m-%d}"}


def budget_cards(panel: dict) -> list[dict[str, str]]:
    """services.deals.campaigns.budget_panel as stat cards, each with its definition."""
    return [
        {"label": "Budget", "value": format_cents(panel["budget_cents"]), "hint": "set for this campaign"},
        {"label": "Committed", "value": format_cents(panel["committed_cents"]),
         "hint": "agreed payment of requests accepted or later"},
        {"label": "Paid", "value": format_cents(panel["paid_cents"]), "hint": "payments recorded"},
        {"label": "Remaining", "value": format_cents(panel["remaining_cents"]), "hint": "budget minus committed"},
    ]


class CampaignState(PagedState, RoleState):
    rows: list[dict[str, str]] = []
    # detail / form
    campaign_id: int = 0
    campaign: dict[str, str] = {}
    panel: list[dict[str, str]] = []
    actions: list[list[str]] = []
    confirm_delete: bool = False
    requests: list[dict[str, str]] = []
    # The dates a "falls outside the new dates" warning was about (start|end): the form's confirmation
    # checkbox carries them, so it confirms these dates only (services.deals.campaign_dates).
    dates_warned: str = ""
    # What the form edits, set only by the loaders (backend-only, the browser cannot change it):
    # -1 nothing loaded (Save is refused), 0 a new campaign, else the id of the campaign loaded.
    _editing: int = -1

    def _load_page(self):
        return CampaignState.load_list

    @rx.event
    def load_list(self):
        ok, result = self._call(svc.list_campaigns, page=self.page, page_size=self.page_size)
        if ok:
            rows, self.total = result
            self.rows = [_row(c) for c in rows]

    def _show_campaign(self, c, panel: dict) -> None:
        self.campaign_id = c.id
        self.campaign = {
            **_row(c), "description": c.description, "niche": c.niche or "", "goals": c.goals,
            "target_views": str(c.target_views or ""), "target_engagements": str(c.target_engagements or ""),
            "target_conversions": str(c.target_conversions or ""), "start_date": c.start_date.isoformat(),
            "end_date": c.end_date.isoformat(), "budget_amount": f"{c.budget_cents / 100:.2f}",
            "flagged": "1" if c.flagged else "", "flag_reason": c.flag_reason or "",
            "held": "1" if not (c.approved or c.flagged) else "",
        }
        self.panel = budget_cards(panel)
        self.actions = [[s, label] for s, label in STATUS_ACTIONS.get(c.status, [])]

    def _load_one(self, session, actor_id, campaign_id):
        page = campaign_view.managed_campaign_page(session, actor_id, campaign_id)
        self.requests = [{"campaign": r.counterpart_name, "counterpart": "", "status": r.status,
                          "payment": format_cents(r.payment_cents), "href": f"/sponsor/requests/{r.id}"}
                         for r in page.requests]
        return page.managed, page.panel

    @rx.event
    def load_detail(self):
        self._clear_form()
        self.confirm_delete, self.dates_warned = False, ""
        ok, result = self._call(self._load_one, self._route_id("campaign_id"))
        if ok:
            self._show_campaign(*result)
            self._editing = self.campaign_id
        else:  # nothing of a campaign the actor may not manage stays on the page
            self.campaign, self.campaign_id, self._editing = {}, 0, -1
            self.panel, self.actions, self.requests = [], [], []

    @rx.event
    def load_new(self):
        self._clear_form()
        self.campaign, self.campaign_id, self._editing = {}, 0, 0

    @rx.event
    def save(self, form_data: dict):
        self._clear_form()
        if self._editing < 0:  # a refused load must not turn into "create a new campaign"
            self.form_error = "This campaign could not be loaded, so nothing was saved. Open it again from your list."
            return None
        if self._editing:
            ok, c = self._call(svc.update_campaign, self._editing, form_data)
            dates = (str(form_data.get(k) or "").strip() for k in ("start_date", "end_date"))
            self.dates_warned = "|".join(dates) if "dates" in self.errors else ""
        else:
            ok, c = self._call(svc.create_campaign, form_data)
        if ok:
            home = "admin" if self.user_role == "admin" else "sponsor"  # only picks the page; services decide
            return [rx.redirect(f"/{home}/campaigns/{c.id}"), rx.toast.success("Campaign saved.")]
        return None

    @rx.event
    def set_status(self, status: str):
        self._clear_form()
        ok, _ = self._call(svc.set_campaign_status, self.campaign_id, status)
        if ok:
            return CampaignState.load_detail

    @rx.event
    def ask_delete(self):
        self.confirm_delete = True

    @rx.event
    def cancel_delete(self):
        self.confirm_delete = False

    @rx.event
    def delete(self):
        self.confirm_delete = False
        ok, _ = self._call(svc.delete_campaign, self.campaign_id)
        if ok:
            return [rx.redirect("/sponsor/campaigns"), rx.toast.success("Campaign deleted.")]
        return None

"""Admin approvals: the sponsor queue (paged), the held-campaign queue and the platform settings.
Takes ids and form data from the page; every call goes through RoleState._call, so a refusal
(not an admin, a missing sponsor, a bad setting) is shown next to its field."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.accounts import approvals
from brandifiers.services.common import platform_settings
from brandifiers.services.common.money import format_cents
from brandifiers.services.deals import moderation
from brandifiers.services.messaging import account_mail
from brandifiers.state.base import PagedState, RoleState, when


class AdminState(PagedState, RoleState):
    page_size: int = approvals.PAGE_SIZE
    pending: list[dict[str, str]] = []
    held: list[dict[str, str]] = []
    held_total: int = 0
    settings: list[dict[str, str]] = []
    text_settings: list[dict[str, str]] = []
    reject_id: int = 0
    reject_company: str = ""
    unverified: int = 0  # sponsors waiting who have not verified their e-mail (not in the queue yet)

    @rx.var
    def pending_total(self) -> int:
        """How many sponsors wait for approval (the paged queue's total)."""
        return self.total

    def _reload(self, session, actor: int | None) -> None:
        held, self.held_total = moderation.held_campaigns(session, actor)
        self.held = [{"id": str(c.id), "name": c.name, "company": c.company, "category": c.category,
                      "budget": format_cents(c.budget_cents), "created": when(c.created_at, self._zone)}
                     for c in held]
        self.settings = [{"key": key, "label": spec.label, "help": spec.help, "on": "1" if on else ""}
                         for key, spec, on in platform_settings.all_flags(session, actor)]
        self.text_settings = [{"key": key, "label": spec.label, "help": spec.help, "value": value,
                                "placeholder": spec.placeholder}
                              for key, spec, value in platform_settings.all_texts(session, actor)]
        rows, total = approvals.pending_sponsors(session, actor, page=self.page, page_size=self.page_size)
        if not rows and self.page > 0:
            self.page = max(0, (total - 1) // self.page_size)
            rows, total = approvals.pending_sponsors(session, actor, page=self.page, page_size=self.page_size)
        self.total = total
        self.unverified = approvals.unverified_sponsors(session, actor)
        self.pending = [
            {"id": str(r.user_id), "company": r.company_name, "industry": r.industry, "email": r.email,
             "website": r.website, "signed_up": when(r.signed_up, self._zone)}
            for r in rows
        ]

    def _act(self, action, *args) -> None:
        """Run action(session, actor, *args) in its own transaction, then reload the queues."""
        ok, _ = self._call(action, *args)
        if ok:
            self._call(self._reload)

    def _load_page(self):
        self._call(self._reload)

    @rx.event
    def load(self):
        self._load_page()

    @rx.event
    def approve(self, user_id: int):
        self._clear_form()
        self._act(account_mail.approve_sponsor, int(user_id))  # the in-app notice and the e-mail
        if not self.form_error:
            return rx.toast.success("Sponsor approved.")
        return None

    @rx.event
    def open_reject(self, user_id: int, company: str):
        self._clear_form()
        self.reject_id, self.reject_company = int(user_id), company

    @rx.event
    def close_reject(self):
        self.reject_id, self.reject_company = 0, ""
        self._clear_form()

    @rx.event
    def submit_reject(self, form_data: dict):
        self._clear_form()
        self._act(approvals.reject_sponsor, self.reject_id, form_data.get("reason", ""))
        if self.errors or self.form_error:
            return None
        self.reject_id, self.reject_company = 0, ""
        return rx.toast.success("Sponsor rejected; the reason was sent to them.")

    @rx.event
    def approve_campaign(self, campaign_id: int):
        self._clear_form()
        self._act(moderation.approve_campaign, int(campaign_id))
        return None if self.form_error else rx.toast.success("Campaign approved: influencers can find it now.")

    @rx.event
    def set_setting(self, key: str, on: bool):
        self._clear_form()
        self._act(platform_settings.set_flag, key, bool(on))

    @rx.event
    def save_text_setting(self, form_data: dict):
        self._clear_form()
        key = str(form_data.get("key") or "")
        self._act(platform_settings.set_text, key, form_data.get("value", ""))
        if self.errors.get(key) or self.form_error:
            return None
        return rx.toast.success("Setting saved.")

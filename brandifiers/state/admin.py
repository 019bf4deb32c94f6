"""Admin approvals: the sponsor queue, the held-campaign queue and the platform settings."""

from __future__ import annotations

import reflex as rx

from brandifiers.db import session_scope
from brandifiers.services.accounts import approvals
from brandifiers.services.common import platform_settings
from brandifiers.services.deals import moderation
from brandifiers.services.common.money import format_cents
from brandifiers.services.common.errors import DomainError
from brandifiers.state.auth import AuthState


class AdminState(AuthState):
    pending: list[dict[str, str]] = []
    held: list[dict[str, str]] = []
    held_total: int = 0
    settings: list[dict[str, str]] = []
    text_settings: list[dict[str, str]] = []
    pending_total: int = 0
    page: int = 0
    reject_id: int = 0
    reject_company: str = ""

    def _reload(self, session) -> None:
        actor = self._actor_id(session)
        held, self.held_total = moderation.held_campaigns(session, actor)
        self.held = [{"id": str(c.id), "name": c.name, "company": c.company, "category": c.category,
                      "budget": format_cents(c.budget_cents), "created": c.created_at.strftime("%Y-%m-%d %H:%M UTC")}
                     for c in held]
        self.settings = [{"key": key, "label": spec.label, "help": spec.help, "on": "1" if on else ""}
                         for key, spec, on in platform_settings.all_flags(session, actor)]
        self.text_settings = [{"key": key, "label": spec.label, "help": spec.help, "value": value}
                              for key, spec, value in platform_settings.all_texts(session, actor)]
        rows, total = approvals.pending_sponsors(session, actor, page=self.page)
        if not rows and self.page > 0:
            self.page = max(0, (total - 1) // approvals.PAGE_SIZE)
            rows, total = approvals.pending_sponsors(session, actor, page=self.page)
        self.pending_total = total
        self.pending = [
            {"id": str(r.user_id), "company": r.company_name, "industry": r.industry, "email": r.email,
             "website": r.website, "signed_up": r.signed_up.strftime("%Y-%m-%d %H:%M UTC")}
            for r in rows
        ]

    def _act(self, action) -> None:
        try:
            with session_scope() as session:
                action(session)
            with session_scope() as session:
                self._reload(session)
        except DomainError as exc:
            self._show_error(exc)

    @rx.event
    def load(self):
        self._act(lambda _s: None)

    @rx.event
    def approve(self, user_id: int):
        self._clear_form()
        self._act(lambda s: approvals.approve_sponsor(s, self._actor_id(s), int(user_id)))
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
        target = self.reject_id
        self._act(lambda s: approvals.reject_sponsor(s, self._actor_id(s), target, form_data.get("reason", "")))
        if self.errors or self.form_error:
            return None
        self.reject_id, self.reject_company = 0, ""
        return rx.toast.success("Sponsor rejected; the reason was sent to them.")

    @rx.event
    def approve_campaign(self, campaign_id: int):
        self._clear_form()
        self._act(lambda s: moderation.approve_campaign(s, self._actor_id(s), int(campaign_id)))
        return None if self.form_error else rx.toast.success("Campaign approved: influencers can find it now.")

    @rx.event
    def set_setting(self, key: str, on: bool):
        self._clear_form()
        self._act(lambda s: platform_settings.set_flag(s, self._actor_id(s), key, bool(on)))

    @rx.event
    def save_text_setting(self, form_data: dict):
        self._clear_form()
        key = str(form_data.get("key") or "")
        self._act(lambda s: platform_settings.set_text(s, self._actor_id(s), key, form_data.get("value", "")))
        if self.errors.get(key) or self.form_error:
            return None
        return rx.toast.success("Setting saved.")

    @rx.event
    def next_page(self):
        if (self.page + 1) * approvals.PAGE_SIZE < self.pending_total:
            self.page += 1
            self._act(lambda _s: None)

    @rx.event
    def prev_page(self):
        if self.page > 0:
            self.page -= 1
            self._act(lambda _s: None)

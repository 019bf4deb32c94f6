"""Admin: the user list (filters, pages) with the log-in locks, and one user's detail with its account actions."""

from __future__ import annotations

from pathlib import Path

import reflex as rx

from brandifiers.clock import utcnow
from brandifiers.services.accounts import admin_users as svc
from brandifiers.services.accounts import closure
from brandifiers.services.accounts.auth import RESET_CODE_LIFETIME
from brandifiers.services.common.money import format_cents
from brandifiers.state.base import FilteredListState, RoleState, when

FILTERS = ("role", "status", "text", "signed_up_from", "signed_up_to")
LOCK_KINDS = {"pair": "e-mail from one address", "client": "one address", "email": "e-mail slowed down",
              "device": "recognised browser"}


class AdminUsersState(FilteredListState, RoleState):
    page_size: int = svc.PAGE_SIZE

    def _filter_names(self) -> tuple[str, ...]:
        return FILTERS

    @rx.event
    def load(self):
        args = {k: ("" if v == "all" else v) for k, v in self._filter_args().items()}
        ok, result = self._call(svc.list_users, **args, page=self.page)
        if ok:
            rows, self.total = result
            self.rows = [{"id": str(r.id), "email": r.email, "name": r.name or "-", "role": r.role,
                          "status": r.status, "unverified": "" if r.verified else "1",
                          "signed_up": when(r.created_at, self._zone), "last_seen": when(r.last_seen_at, self._zone)}
                         for r in rows]
        else:
            self.rows, self.total = [], 0
        self._load_locks()

    locks: list[dict[str, str]] = []

    def _load_locks(self) -> None:
        ok, locks = self._call(svc.login_locks)
        self.locks = [{"key": lk.key, "kind": LOCK_KINDS.get(lk.kind, lk.kind), "email": lk.email or "-",
                       "client": lk.client or "-", "failures": str(lk.failures),
                       "until": when(lk.locked_until, self._zone)}
                      for lk in (locks if ok else [])]

    @rx.event
    def lift_lock(self, key: str):
        """Lift one log-in lock (admin-checked and audited in the service)."""
        self._clear_form()
        ok, _ = self._call(svc.lift_login_lock, str(key))
        self._load_locks()
        return rx.toast.success("Lock lifted.") if ok else None


class UserDetailState(RoleState):
    user_id: int = 0
    account: dict[str, str] = {}
    profile: list[list[str]] = []
    campaigns: list[dict[str, str]] = []
    collaborations: list[dict[str, str]] = []
    flags: list[str] = []
    history: list[dict[str, str]] = []
    deactivate_open: bool = False
    close_open: bool = False  # "Close account on request…"
    # Shown once: cleared on every load of the page and when the code panel leaves the screen.
    reset_code: str = ""
    reset_expires: str = ""

    def _show(self, d: svc.UserDetail) -> None:
        u = d.user
        self.user_id = u.id
        self.account = {"id": str(u.id), "email": u.email, "role": u.role, "status": u.status,
                        "reason": u.status_reason or "", "name": d.name or u.email,
                        "created": when(u.created_at, self._zone), "last_seen": when(u.last_seen_at, self._zone)}
        self.profile = [[label, value or "-"] for label, value in d.profile]
        self.campaigns = [{"name": c["name"], "status": c["status"], "budget": format_cents(c["budget_cents"]),
                           "flagged": "flagged" if c["flagged"] else ""} for c in d.campaigns]
        self.collaborations = [{"campaign": r["campaign"], "status": r["status"],
                                "amount": format_cents(r["amount_cents"]), "flagged": "flagged" if r["flagged"] else ""}
                               for r in d.collaborations]
        self.flags = list(d.flags)
        self.history = [{"when": when(e.created_at, self._zone), "action": e.action, "summary": e.summary,
                        "actor": e.actor_role or "", "change": f"{e.before} → {e.after}" if e.before or e.after else ""}
                       for e in d.events]

    def _reload(self) -> None:
        ok, detail = self._call(svc.user_detail, self._route_id("user_id"))
        if ok:
            self._show(detail)
        else:
            self.user_id, self.account = 0, {}

    @rx.event
    def load(self):
        self.reset_code = self.reset_expires = ""
        self.deactivate_open = self.close_open = False
        self._reload()

    @rx.event
    def forget_code(self):
        self.reset_code = self.reset_expires = ""

    @rx.event
    def open_deactivate(self):
        self._clear_form()
        self.deactivate_open = True

    @rx.event
    def close_deactivate(self):
        self._clear_form()
        self.deactivate_open = False

    @rx.event
    def submit_deactivate(self, form_data: dict):
        self._clear_form()
        ok, _ = self._call(svc.deactivate_user, self.user_id, form_data.get("reason", ""))
        if not ok:
            if self.form_error:  # refused as a whole (say, already deactivated): show the account as it is
                self._reload()
            return None
        self.deactivate_open = False
        self._reload()
        return rx.toast.success("Account deactivated; the user is logged out.")

    @rx.event
    def reactivate(self):
        self._clear_form()
        ok, _ = self._call(svc.reactivate_user, self.user_id)
        self._reload()
        return rx.toast.success("Account reactivated.") if ok else None

    @rx.event
    def generate_reset_code(self):
        self._clear_form()
        start = utcnow()
        ok, code = self._call(svc.create_reset_code, self.user_id, now=start)
        if ok:
            self.reset_code = code
            self.reset_expires = when(start + RESET_CODE_LIFETIME, self._zone)
            self._reload()

    @rx.event
    def open_close_account(self):
        self._clear_form()
        self.close_open = True

    @rx.event
    def cancel_close_account(self):
        self._clear_form()
        self.close_open = False

    @rx.event
    def submit_close_account(self, form_data: dict):
        """Close the account on the person's request (services/accounts/closure.py; audited)."""
        self._clear_form()
        ok, _ = self._call(closure.admin_close_account, self.user_id, form_data, upload_dir=Path(rx.get_upload_dir()))
        if not ok:
            return None
        self.close_open = False
        self._reload()
        return rx.toast.success("Account closed: its personal data is erased.")

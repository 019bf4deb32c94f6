"""The account page (every role): change password, the person's signed-in sessions and their sign-out."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.accounts import account
from brandifiers.state.base import RoleState, when

PASSWORD_FIELDS = ("current_password", "new_password", "confirm_password")


class AccountPageState(RoleState):
    sessions: list[dict[str, str]] = []

    @rx.event
    def load(self):
        ok, lines = self._call(account.list_sessions, self._token_hash)
        self.sessions = [{"id": str(s.id), "device": s.device, "signed_in": when(s.signed_in_at, self._zone),
                          "last_seen": when(s.last_seen_at, self._zone), "current": "1" if s.current else ""}
                         for s in lines] if ok else []

    @rx.event
    async def change_password(self, form_data: dict):
        self._clear_form()
        ok, ended = await self._call_off_loop(account.change_password, form_data, self._token_hash,
                                              client=self._client_address(), device_hash=self._device_hash or None,
                                              hashing=True)
        if not ok:
            return None
        others = f" {ended} other session{'s were' if ended != 1 else ' was'} signed out." if ended else ""
        return [*[rx.set_value(name, "") for name in PASSWORD_FIELDS], AccountPageState.load,
                rx.toast.success("Your password was changed." + others)]

    @rx.event
    def sign_out(self, session_id: int):
        self._clear_form()
        ok, _ = self._call(account.sign_out_session, session_id, self._token_hash)
        self.load()
        return rx.toast.success("That session was signed out.") if ok else None

    @rx.event
    def sign_out_others(self):
        self._clear_form()
        ok, ended = self._call(account.sign_out_others, self._token_hash)
        self.load()
        if ok:
            return rx.toast.success(f"{ended} other session{'s' if ended != 1 else ''} signed out.")
        return None

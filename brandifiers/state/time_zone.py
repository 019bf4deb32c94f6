"""The person's time zone on both profile pages: shown, chosen from the zoneinfo names, checked on the server."""

from __future__ import annotations

import reflex as rx

from brandifiers.services.accounts import profiles
from brandifiers.services.common import zones
from brandifiers.state.base import RoleState


class TimeZoneState(RoleState):
    zone: str = zones.DEFAULT_ZONE

    @rx.event
    def load(self):
        ok, name = self._call(profiles.get_time_zone)
        self.zone = name if ok else zones.DEFAULT_ZONE

    @rx.event
    def save(self, form_data: dict):
        self._clear_form()
        ok, name = self._call(profiles.set_time_zone, form_data)
        if ok:
            self.zone = self._zone = name
            return rx.toast.success(f"Times are now shown in {name}.")
        return None

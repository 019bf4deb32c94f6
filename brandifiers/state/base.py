"""Small helpers shared by the role states: route ids and running a service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from brandifiers.db import session_scope
from brandifiers.services.errors import DomainError
from brandifiers.state.auth import AuthState


class RoleState(AuthState):
    """Base of the page states: every call resolves the actor from the token, on the server."""

    def _route_text(self, name: str) -> str:
        """A text route argument (/x/[name]); "" when missing."""
        return str(getattr(self.router, "_page").params.get(name, "") or "")

    def _route_id(self, name: str) -> int:
        """An integer route argument (/x/[name]); 0 when missing or not a number."""
        raw = str(getattr(self.router, "_page").params.get(name, "") or "")
        return int(raw) if raw.isdigit() else 0

    def _call(self, fn: Callable[..., Any], *args, **kwargs) -> tuple[bool, Any]:
        """Run fn(session, actor_id, *args) in one transaction; a refusal goes next to its field.

        Returns (ok, result)."""
        try:
            with session_scope() as session:
                result = fn(session, self._actor_id(session), *args, **kwargs)
            return True, result
        except DomainError as exc:
            self._show_error(exc)
            return False, None

"""Platform connectors: where figures fetched from a platform's API come in (provenance platform-api);
none is implemented yet, so nothing is fetched. Raises NotFound (no deliverable or connector), ValueError
(negative figures). Design: docs/metrics.md."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date, datetime

from sqlmodel import Session

from brandifiers.clock import utcnow
from brandifiers.models import Deliverable, MetricSnapshot, Platform, Provenance
from brandifiers.services.common import cache
from brandifiers.services.common.errors import NotFound
from brandifiers.services.metrics.metric_defs import FIGURES
from brandifiers.services.metrics.metrics import STATS_CACHE_PREFIX, upsert_snapshot


class PlatformConnector(ABC):
    """Fetches one day's figures of one deliverable from its platform."""

    platform: Platform

    @abstractmethod
    def fetch(self, deliverable: Deliverable, day: date) -> dict[str, int] | None:
        """{figure: int} for FIGURES (missing ones count as 0), or None when the platform has none."""


class _NotYetConnected(PlatformConnector):
    def fetch(self, deliverable: Deliverable, day: date) -> dict[str, int] | None:
        raise NotImplementedError(f"No {self.platform.value} API connector is configured yet.")


def _connector_class(p: Platform) -> type[PlatformConnector]:
    name = "".join(part.capitalize() for part in p.value.split("_")) + "Connector"
    return type(name, (_NotYetConnected,), {"platform": p, "__module__": __name__,
                                            "__doc__": f"The {p.value} connector (not yet built)."})


CONNECTORS: dict[str, type[PlatformConnector]] = {p.value: _connector_class(p) for p in Platform}


def connector_for(platform: str, registry: dict[str, type[PlatformConnector]] | None = None) -> PlatformConnector:
    try:
        return (registry or CONNECTORS)[platform]()
    except KeyError:
        raise NotFound("platform connector") from None


def pull_platform_day(session: Session, deliverable_id: int, day: date, *, now: datetime | None = None,
                      registry: dict[str, type[PlatformConnector]] | None = None) -> MetricSnapshot | None:
    """Fetch and store (provenance platform-api) one day of one deliverable; None when nothing came.

    For the jobs (no actor: the system writes). The caller commits."""
    deliverable = session.get(Deliverable, deliverable_id)
    if deliverable is None:
        raise NotFound("deliverable")
    try:
        figures = connector_for(deliverable.platform, registry).fetch(deliverable, day)
    except NotImplementedError:
        return None
    if not figures:
        return None
    clean = {k: int(figures.get(k, 0)) for k in FIGURES}
    if any(v < 0 for v in clean.values()):
        raise ValueError(f"The {deliverable.platform} connector returned negative figures: {clean}")
    row, _ = upsert_snapshot(session, None, deliverable.id, day, Provenance.PLATFORM_API.value, clean,
                             now=now or utcnow())
    cache.invalidate_after_commit(session, STATS_CACHE_PREFIX)
    return row

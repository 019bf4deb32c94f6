"""Each person's time zone (an IANA name on the user, "UTC" by default): the one place that turns stored
UTC times into local ones (now, today, day windows, "due at HH:MM" checks, the shown text with its
abbreviation). Storage stays UTC. Raises DomainError (field "time_zone") for an unknown name."""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from brandifiers.clock import UTC, utcnow
from brandifiers.services.common.errors import DomainError

DEFAULT_ZONE = "UTC"
FIELD = "time_zone"
Zone = object  # a zone name, a ZoneInfo, a user row (its time_zone) or None (UTC)


@functools.cache
def zone_names() -> tuple[str, ...]:
    """The names a person can choose: the IANA areas (Europe/Paris, America/Sao_Paulo...) and UTC."""
    from zoneinfo import available_timezones
    names = {n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/", "posix"))}
    return tuple(sorted(names | {DEFAULT_ZONE}))


def check_zone(name) -> str:
    """A chosen zone's name, or DomainError next to the field."""
    text = name.strip() if isinstance(name, str) else ""
    if text not in zone_names():
        raise DomainError("Choose a time zone from the list (for example Europe/Paris).", FIELD)
    return text


def guess_zone(name) -> str:
    """The browser's zone at sign-up when it is one we know, else UTC (never an error: it is a guess)."""
    try:
        return check_zone(name)
    except DomainError:
        return DEFAULT_ZONE


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def zone_of(zone) -> ZoneInfo:
    """A zone from a name (unknown or empty: UTC), a ZoneInfo or a user row (its time_zone)."""
    if isinstance(zone, ZoneInfo):
        return zone
    return _zone((zone if isinstance(zone, str) else getattr(zone, "time_zone", None)) or DEFAULT_ZONE)


def user_zone(user) -> ZoneInfo:
    """The person's zone (a user row, or None: UTC)."""
    return zone_of(user if user is not None else DEFAULT_ZONE)


def local_now(zone: Zone, now: datetime | None = None) -> datetime:
    return (now or utcnow()).astimezone(zone_of(zone))


def local_today(zone: Zone, now: datetime | None = None) -> date:
    """Today's date where the person is (a form's "today")."""
    return local_now(zone, now).date()


def day_start(day: date, zone: Zone) -> datetime:
    """The UTC instant a local day begins."""
    return datetime.combine(day, time.min, tzinfo=zone_of(zone)).astimezone(UTC)


def day_window(first: date | None, last: date | None, zone: Zone) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC for two optional local days, `last` inclusive (None: open)."""
    return (day_start(first, zone) if first else None,
            day_start(last + timedelta(days=1), zone) if last else None)


def local_day(moment: datetime, zone: Zone) -> date:
    """The local calendar day of a stored UTC time."""
    return _local(moment, zone).date()


def due_day(zone: Zone, now: datetime, hhmm: str) -> str | None:
    """The local day ("YYYY-MM-DD") when the local time has reached hhmm ("18:00"), else None: a daily
    message's period, so that it goes at the person's hour once a day."""
    local = local_now(zone, now)
    hour, minute = (int(x) for x in hhmm.split(":"))
    return local.date().isoformat() if (local.hour, local.minute) >= (hour, minute) else None


def _local(moment: datetime, zone: Zone) -> datetime:
    if moment.tzinfo is None:  # a naive time read back from SQLite is UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone_of(zone))


def fmt_time(moment: datetime | None, zone: Zone, *, seconds: bool = False, missing: str = "-") -> str:
    """A stored time as shown: "2026-03-01 09:30 JST" in the person's zone."""
    fmt = "%Y-%m-%d %H:%M:%S %Z" if seconds else "%Y-%m-%d %H:%M %Z"
    return _local(moment, zone).strftime(fmt) if moment is not None else missing


def fmt_date(moment: datetime | None, zone: Zone, missing: str = "-") -> str:
    """A stored time's local day as shown ("2026-03-01")."""
    return _local(moment, zone).date().isoformat() if moment is not None else missing


def zone_label(zone: Zone) -> str:
    """How a report names its zone: "Asia/Tokyo (JST)"."""
    info = zone_of(zone)
    abbr = datetime.now(UTC).astimezone(info).strftime("%Z")
    return info.key if abbr == info.key else f"{info.key} ({abbr})"

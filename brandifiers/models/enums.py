"""Vocabulary of ARCHITECTURE.md as string enums (stored as short strings, not DB enum types)."""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


class Role(StrEnum):
    ADMIN = "admin"
    SPONSOR = "sponsor"
    INFLUENCER = "influencer"


class UserStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    FLAGGED = "flagged"
    DEACTIVATED = "deactivated"
    CLOSED = "closed"  # closed at the person's request: personal fields erased (services/accounts/closure.py)


class Platform(StrEnum):
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    TWITCH = "twitch"
    LINKEDIN = "linkedin"
    FACEBOOK = "facebook"


# The one table of where each platform's posts live: a submitted post's https address must have one
# of these hosts (or a subdomain of one, e.g. www. or m.). A new platform adds its row here.
PLATFORM_HOSTS: dict[str, tuple[str, ...]] = {
    Platform.INSTAGRAM.value: ("instagram.com",),
    Platform.TIKTOK.value: ("tiktok.com",),
    Platform.YOUTUBE.value: ("youtube.com", "youtu.be"),
    Platform.X.value: ("x.com", "twitter.com"),
    Platform.TWITCH.value: ("twitch.tv",),
    Platform.LINKEDIN.value: ("linkedin.com",),
    Platform.FACEBOOK.value: ("facebook.com", "fb.watch"),
}


class Visibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class AdRequestStatus(StrEnum):
    PENDING = "pending"
    NEGOTIATING = "negotiating"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    COMPLETED = "completed"


# Statuses at which the agreed payment counts as spend / committed budget.
COMMITTED_STATUSES = (
    AdRequestStatus.ACCEPTED,
    AdRequestStatus.IN_PROGRESS,
    AdRequestStatus.SUBMITTED,
    AdRequestStatus.COMPLETED,
)
# The same status groups as stored strings, for queries.
COMMITTED = [s.value for s in COMMITTED_STATUSES]
OPEN = [AdRequestStatus.PENDING.value, AdRequestStatus.NEGOTIATING.value]  # waiting for an answer
ACTIVE = [AdRequestStatus.ACCEPTED.value, AdRequestStatus.IN_PROGRESS.value, AdRequestStatus.SUBMITTED.value]
LIVE = OPEN + ACTIVE  # someone is still working on it (not completed, rejected or withdrawn)


class Provenance(StrEnum):
    CREATOR_REPORTED = "creator-reported"
    CSV_IMPORT = "csv-import"
    PLATFORM_API = "platform-api"


# One shared category list used everywhere (sign-up, campaigns, discovery).
CATEGORIES: tuple[str, ...] = (
    "Beauty",
    "Fashion",
    "Fitness",
    "Food",
    "Gaming",
    "Lifestyle",
    "Music",
    "Parenting",
    "Pets",
    "Sports",
    "Technology",
    "Travel",
    "Education",
    "Finance",
    "Home",
)

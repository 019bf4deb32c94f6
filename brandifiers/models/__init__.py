"""All tables. Importing this package registers every table on SQLModel.metadata."""

from brandifiers.models.accounts import (
    CategoryMedian,
    LoginThrottle,
    PasswordResetCode,
    Setting,
    SocialAccount,
    SponsorProfile,
    InfluencerProfile,
    User,
    UserSession,
)
from brandifiers.models.adrequests import AdRequest, Deliverable, Offer, Payment
from brandifiers.models.audit import AuditEvent
from brandifiers.models.campaigns import Campaign
from brandifiers.models.enums import (
    CATEGORIES,
    COMMITTED_STATUSES,
    AdRequestStatus,
    CampaignStatus,
    Platform,
    Provenance,
    Role,
    UserStatus,
    Visibility,
)
from brandifiers.models.metrics import MetricSnapshot
from brandifiers.models.notify import Notification

__all__ = [
    "AdRequest", "AdRequestStatus", "AuditEvent", "CATEGORIES", "COMMITTED_STATUSES", "Campaign", "CampaignStatus",
    "CategoryMedian",
    "Deliverable", "InfluencerProfile", "LoginThrottle", "MetricSnapshot", "Notification",
    "Offer", "PasswordResetCode", "Payment", "Platform", "Provenance", "Role", "Setting",
    "SocialAccount", "SponsorProfile", "User", "UserSession", "UserStatus", "Visibility",
]

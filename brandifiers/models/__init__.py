"""All tables. Importing this package registers every table on SQLModel.metadata."""

from brandifiers.models.accounts import (
    AccountToken,
    CategoryMedian,
    InfluencerProfile,
    LoginDevice,
    LoginThrottle,
    PasswordResetCode,
    Setting,
    SocialAccount,
    SponsorProfile,
    User,
    UserSession,
    awaiting_approval,
)
from brandifiers.models.adrequests import (
    AdRequest,
    Deliverable,
    Offer,
    Payment,
    PaymentState,
    ReceiptToken,
    Submission,
    SubmissionPost,
    counts_as_paid,
    counts_as_paid_sql,
)
from brandifiers.models.analytics import AnalyticsSnapshot
from brandifiers.models.audit import AuditEvent
from brandifiers.models.campaigns import Campaign
from brandifiers.models.enums import (
    ACTIVE,
    CATEGORIES,
    COMMITTED,
    COMMITTED_STATUSES,
    LIVE,
    OPEN,
    PLATFORM_HOSTS,
    AdRequestStatus,
    CampaignStatus,
    Platform,
    Provenance,
    Role,
    UserStatus,
    Visibility,
)
from brandifiers.models.funding import Funding, GatewayEvent, ReconciliationDifference
from brandifiers.models.jobs import (
    ExportJob,
    JobRun,
    MonthlyReport,
    OutboxAttachment,
    OutboxMessage,
    SchedulerLease,
    UserPreference,
)
from brandifiers.models.metrics import MetricSnapshot
from brandifiers.models.notify import Notification, NotificationChoice
from brandifiers.models.rollups import (
    AdRequestDayDelta,
    AdRequestDayRollup,
    MetricDayDelta,
    MetricDayRollup,
    MetricTotalDelta,
    MetricTotalRollup,
    RollupWatermark,
)

__all__ = [
    "AccountToken",
    "ACTIVE", "COMMITTED", "LIVE", "OPEN", "AdRequest", "AdRequestDayDelta", "AdRequestDayRollup",
    "AdRequestStatus", "AnalyticsSnapshot", "AuditEvent", "CATEGORIES", "COMMITTED_STATUSES", "Campaign",
    "CampaignStatus", "CategoryMedian", "Deliverable", "ExportJob", "Funding", "GatewayEvent",
    "InfluencerProfile", "JobRun",
    "LoginDevice", "LoginThrottle", "MetricDayDelta", "MetricDayRollup", "MetricSnapshot", "MetricTotalDelta",
    "MetricTotalRollup", "MonthlyReport", "Notification", "NotificationChoice", "Offer", "OutboxAttachment",
    "OutboxMessage",
    "PLATFORM_HOSTS", "PasswordResetCode", "Payment", "PaymentState", "Platform", "Provenance",
    "ReceiptToken", "ReconciliationDifference", "Role", "RollupWatermark",
    "SchedulerLease", "Setting", "SocialAccount", "SponsorProfile", "Submission", "SubmissionPost", "User",
    "UserPreference", "UserSession", "UserStatus", "Visibility", "awaiting_approval", "counts_as_paid",
    "counts_as_paid_sql",
]

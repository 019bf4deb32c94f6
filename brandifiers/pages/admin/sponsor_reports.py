"""Admin: any sponsor's monthly reports, read-only (/admin/users/[user_id]/reports and one month's),
opened from the user's page."""

import reflex as rx

from brandifiers.components.layout import template
from brandifiers.components.report_view import report_list, report_view
from brandifiers.state.reports import ReportState

_USER = "/admin/users/" + ReportState.sponsor_id.to_string()


@template(route="/admin/users/[user_id]/reports", title="Sponsor's reports", access="admin",
          on_load=[ReportState.load_list])
def admin_sponsor_reports() -> rx.Component:
    return rx.vstack(
        rx.link("← The sponsor's page", href=_USER, size="2"),
        rx.heading("Monthly reports", size="7"),
        rx.text("The reports this sponsor received, as they were e-mailed (read-only).", size="2",
                color_scheme="gray"),
        report_list(_USER + "/reports/", "No report for this sponsor yet."),
        spacing="4", width="100%", max_width="800px",
    )


@template(route="/admin/users/[user_id]/reports/[month]", title="Sponsor's report", access="admin",
          on_load=[ReportState.load_one])
def admin_sponsor_report() -> rx.Component:
    return report_view(_USER + "/reports", "← The sponsor's reports")

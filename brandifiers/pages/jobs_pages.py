"""Pages of the background jobs: a sponsor's monthly reports, the admin's outbox, and the
notification settings card shown on every profile page."""

import reflex as rx

from brandifiers.components.cards import all_errors, field, field_error, form_error, pager, status_badge
from brandifiers.components.layout import template
from brandifiers.services.messaging.outbox import STATUSES
from brandifiers.state.jobs_pages import OutboxState, PreferencesState, ReportState


@template(route="/sponsor/reports", title="Reports", access="sponsor", on_load=[ReportState.load_list])
def sponsor_reports() -> rx.Component:
    return rx.vstack(
        rx.heading("Monthly reports", size="7"),
        rx.text("On the 1st of each month your activity report for the month before is e-mailed to you with a PDF; "
                "every past report stays here.", size="2", color_scheme="gray"),
        all_errors(),
        rx.card(rx.cond(ReportState.rows.length() > 0,
                        rx.vstack(rx.foreach(ReportState.rows, lambda r: rx.hstack(
                            rx.link(r["label"], href="/sponsor/reports/" + r["month"], weight="medium"),
                            rx.spacer(), rx.text("made ", r["created"], size="1", color_scheme="gray"),
                            width="100%")), spacing="2", width="100%"),
                        rx.text("No report yet: the first comes on the 1st of next month.", size="2",
                                color_scheme="gray", id="no-reports")), width="100%"),
        spacing="4", width="100%", max_width="800px",
    )


@template(route="/sponsor/reports/[month]", title="Report", access="sponsor", on_load=[ReportState.load_one])
def sponsor_report() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.link("← All reports", href="/sponsor/reports"), rx.spacer(),
                  rx.button(rx.icon("download", size=14), "Download PDF", on_click=ReportState.download_pdf,
                            id="report-pdf", disabled=ReportState.month == ""), width="100%", align="center"),
        form_error(),
        rx.cond(ReportState.html != "", rx.box(rx.html(ReportState.html), width="100%", id="report-body")),
        spacing="4", width="100%", max_width="800px",
    )


def outbox_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.vstack(rx.text(r["subject"], weight="medium", size="2"),
                                rx.text(r["kind"], " · ", r["period"], size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(rx.text(r["channel"], ": ", r["recipient"], size="2", word_break="break-all")),
        rx.table.cell(rx.vstack(status_badge(r["status"]),
                                rx.cond(r["error"] != "", rx.text(r["error"], size="1", color_scheme="red")),
                                spacing="1")),
        rx.table.cell(r["attempts"]),
        rx.table.cell(rx.hstack(
            rx.button("Preview", size="1", variant="soft", on_click=OutboxState.open_preview(r["id"]),
                      id="preview-" + r["id"]),
            rx.cond((r["status"] == "failed") | (r["status"] == "held"),
                    rx.button("Resend", size="1", on_click=OutboxState.resend(r["id"]), id="resend-" + r["id"])),
            spacing="2")),
        id="outbox-" + r["id"],
    )


def preview_dialog() -> rx.Component:
    p = OutboxState.preview
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(p["subject"]),
        rx.text("To ", p["recipient"], rx.cond(p["files"] != "", " · attached: " + p["files"], ""), size="2",
                color_scheme="gray"),
        rx.cond(p["html"] != "", rx.box(rx.html(p["html"]), max_height="60vh", overflow_y="auto", margin_y="1em"),
                rx.el.pre(p["text"], white_space="pre-wrap", margin_y="1em")),
        rx.hstack(rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")), justify="end"),
        max_width="760px"),
        open=p.contains("id"), on_open_change=lambda _open: OutboxState.close_preview())


@template(route="/admin/outbox", title="Outbox", access="admin", on_load=[OutboxState.load])
def admin_outbox() -> rx.Component:
    return rx.vstack(
        rx.heading("Outbox", size="7"),
        rx.text("Every e-mail, chat and in-app message the jobs send. Without a mail server (BRANDIFIERS_SMTP_HOST) "
                "e-mails are held here, so you can see exactly what would be sent.", size="2", color_scheme="gray"),
        rx.hstack(rx.select(["all", *STATUSES], default_value="all", on_change=OutboxState.filter, id="outbox-status"),
                  rx.foreach(OutboxState.counts, lambda kv: rx.badge(kv[0], ": ", kv[1], variant="soft")),
                  wrap="wrap", align="center"),
        all_errors(),
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Message", "To", "Status", "Attempts", "")])),
            rx.table.body(rx.foreach(OutboxState.rows, outbox_row)), width="100%"), overflow_x="auto", width="100%"),
        pager(OutboxState),
        preview_dialog(),
        spacing="4", width="100%",
    )


def preferences_card() -> rx.Component:
    """E-mail and chat choices (in-app notifications are always on)."""
    p = PreferencesState.prefs
    return rx.card(rx.form(rx.vstack(
        rx.heading("Notifications", size="4", as_="h2"),
        rx.text("In-app notifications are always on. Daily reminders and reports also go to:", size="2"),
        rx.checkbox("No e-mail, please", name="email_opt_out", default_checked=p["email_opt_out"] != "",
                    id="email_opt_out"),
        rx.checkbox("No chat messages, please", name="chat_opt_out", default_checked=p["chat_opt_out"] != "",
                    id="chat_opt_out"),
        field("My Google Chat webhook URL", "chat_webhook_url", default=p["chat_webhook_url"],
              hint="Optional: an incoming-webhook URL of your own Chat space."),
        field_error("email_opt_out"),
        rx.button("Save notification settings", type="submit", id="prefs-submit"),
        spacing="3", width="100%"),
        on_submit=PreferencesState.save, no_validate=True, width="100%",
        key=p["chat_webhook_url"] + p["email_opt_out"] + p["chat_opt_out"]), width="100%")

"""Admin: the outbox (/admin/outbox): every message the jobs send, by status, with a preview, Resend
for failed or held ones, and Resend all failed of a period (after an outage)."""

import reflex as rx

from brandifiers.components.cards import field_error, form_error, pager, status_badge
from brandifiers.components.layout import template
from brandifiers.components.tables import data_table
from brandifiers.services.messaging.outbox import STATUSES
from brandifiers.state.outbox import OutboxState


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


def resend_failed_form() -> rx.Component:
    """Every failed message created in a period (the platform's days) back in the queue at once."""
    def day(name: str, label: str) -> rx.Component:
        return rx.vstack(rx.text(label, size="1", as_="label", html_for=name),
                         rx.input(type="date", name=name, id=name), field_error(name), spacing="1")
    return rx.form(rx.hstack(
        day("from_day", "Failed messages created from"), day("to_day", "to"),
        rx.button("Resend all failed", type="submit", id="resend-failed"),
        align="end", wrap="wrap", spacing="3"), on_submit=OutboxState.resend_failed, no_validate=True)


@template(route="/admin/outbox", title="Outbox", access="admin", on_load=[OutboxState.load])
def admin_outbox() -> rx.Component:
    return rx.vstack(
        rx.heading("Outbox", size="7"),
        rx.text("Every e-mail, chat and in-app message the jobs send. Without a mail server (BRANDIFIERS_SMTP_HOST) "
                "e-mails are held here, so you can see exactly what would be sent.", size="2", color_scheme="gray"),
        rx.hstack(rx.select(["all", *STATUSES], default_value="all", on_change=OutboxState.filter, id="outbox-status"),
                  rx.foreach(OutboxState.counts, lambda kv: rx.badge(kv[0], ": ", kv[1], variant="soft")),
                  wrap="wrap", align="center"),
        resend_failed_form(),
        form_error(),
        data_table(["Message", "To", "Status", "Attempts", ""], OutboxState.rows, outbox_row, "No message here.",
                   empty_id="outbox-empty"),
        pager(OutboxState),
        preview_dialog(),
        spacing="4", width="100%",
    )

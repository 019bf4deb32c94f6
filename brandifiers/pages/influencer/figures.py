"""Influencer: My figures (/influencer/figures): every day of its posts with where the figures came
from, and the correction of a day it entered."""

import reflex as rx

from brandifiers.components.cards import field, form_error, pager
from brandifiers.components.layout import template
from brandifiers.components.stats import section
from brandifiers.components.tables import responsive_table
from brandifiers.services.metrics.metrics import LABELS
from brandifiers.state.figures import FiguresState as F

HEADERS = ["Day", "Post", "Views", "Likes", "Comments", "Shares", "Saves", "Clicks", "Conversions", "Revenue",
           "Source", ""]


def correct_button(r) -> rx.Component:
    return rx.cond(r["correctable"] != "",
                   rx.button("Correct", size="1", variant="soft", on_click=F.start_edit(r["id"]),
                             id="correct-" + r["id"], aria_label="Correct the figures of " + r["day"]),
                   rx.text("not yours to correct", size="1", color_scheme="gray"))


def correction_form() -> rx.Component:
    return rx.cond(F.editing.contains("id"), section(
        "Correct the figures of " + F.editing["day"], F.editing["post"] + " · source: " + F.editing["source"]
        + ". The corrected figures replace these (the previous ones stay in the audit log). Revenue in "
        "currency units.",
        rx.form(rx.vstack(
            form_error(),
            rx.grid(*[field(label, name, default=F.editing["raw_" + name]) for name, label in LABELS.items()],
                    columns=rx.breakpoints(initial="2", sm="4"), spacing="3", width="100%"),
            rx.hstack(rx.button("Save the correction", type="submit", id="correction-submit"),
                      rx.button("Cancel", type="button", variant="soft", on_click=F.cancel_edit)),
            spacing="3", width="100%"),
            on_submit=F.save_correction, no_validate=True, width="100%", key=F.form_version),
        "correction-form"))


@template(route="/influencer/figures", title="My figures", access="influencer", on_load=[F.load])
def influencer_figures() -> rx.Component:
    return rx.vstack(
        rx.heading("My figures", size="7", id="figures-heading"),
        rx.text("Every day of figures stored for your posts and where each came from: reported by you (the day form "
                "of Performance), a CSV import, or the platform's API. You can correct the days you entered.",
                size="2", color_scheme="gray"),
        rx.link("← Performance (enter a new day)", href="/influencer/performance", size="2"),
        rx.cond(F.saved != "", rx.callout(F.saved, icon="circle_check", color_scheme="green", id="correction-saved",
                                          width="100%")),
        rx.foreach(F.warnings, lambda w: rx.callout(w, icon="triangle_alert", color_scheme="amber",
                                                    class_name="day-warning", width="100%")),
        correction_form(),
        responsive_table(HEADERS, F.rows,
                         lambda r: [r["day"], r["post"], r["views"], r["likes"], r["comments"], r["shares"], r["saves"],
                                    r["clicks"], r["conversions"], r["revenue"], r["source"], correct_button(r)],
                         "my-figures", "No figures yet: enter a day on the Performance page.", title_cells=2,
                         card_title=lambda r: rx.fragment(r["day"], " · ", r["post"])),
        pager(F),
        spacing="4", width="100%",
    )

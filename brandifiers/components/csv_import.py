"""The CSV import card of the Performance pages (influencer and sponsor): template download, drop
zone, mode, the accepted and rejected rows of the last import, and the deliverable IDs to use."""

from __future__ import annotations

import reflex as rx

from brandifiers.components.cards import field_error, refused_files
from brandifiers.components.stats import section
from brandifiers.components.tables import responsive_table
from brandifiers.services.metrics import metrics_csv
from brandifiers.state.csv_import import CsvImportState as CSV

UPLOAD_ID = "figures-upload"


def deliverable_table(rows) -> rx.Component:
    return responsive_table(["ID", "Campaign", "Post", "Influencer"], rows,
                            lambda d: [d["id"], d["campaign"], rx.link(d["post_url"], href=d["post_url"],
                                                                       is_external=True, size="1",
                                                                       word_break="break-all"), d["influencer"]],
                            "deliverable-ids",
                            "No submitted post yet: figures can be entered once a post is submitted.",
                            card_title=lambda d: rx.fragment("Deliverable ID ", d["id"]), card_columns="1")


def _result_list(title: str, rows, text_key: str, color: str, id: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="2", as_="h3"),
        rx.cond(rows.length() > 0,
                rx.foreach(rows, lambda r: rx.hstack(rx.badge("Row " + r["row"], color_scheme=color),
                                                     rx.text(r[text_key], size="2"), align="start", width="100%")),
                rx.text("None.", size="2", color_scheme="gray")),
        spacing="1", width="100%", id=id)


def csv_card(deliverables) -> rx.Component:
    return section("Import figures from a CSV file",
                   "One row per post and day. Revenue in currency units (e.g. 120.50); empty counts mean 0. "
                   "Use the deliverable IDs listed below. At most "
                   f"{metrics_csv.MAX_ROWS:,} rows and {metrics_csv.MAX_BYTES // (1024 * 1024)} MB a file.",
                   rx.vstack(
                       rx.button(rx.icon("download", size=14), "Download the template", variant="soft", size="2",
                                 on_click=CSV.download_template, id="csv-template"),
                       rx.upload(rx.text("Drop a .csv file here, or click to choose", size="2"), id=UPLOAD_ID,
                                 accept={"text/csv": [".csv"]}, max_files=1, max_size=metrics_csv.MAX_BYTES,
                                 on_drop_rejected=lambda rejected: CSV.file_refused(refused_files(rejected)),
                                 border="1px dashed var(--gray-a7)", padding="1em", width="100%"),
                       rx.hstack(rx.foreach(rx.selected_files(UPLOAD_ID), lambda f: rx.text(f, size="1"))),
                       rx.radio_group.root(rx.flex(
                           rx.radio_group.item("Apply the valid rows only", value="valid_only", id="mode-valid"),
                           rx.radio_group.item("All or nothing: write nothing if any row is rejected",
                                               value="all_or_nothing", id="mode-all"),
                           spacing="4", align="center", wrap="wrap"),
                           value=CSV.mode, on_change=CSV.set_mode),
                       rx.button("Import", on_click=CSV.upload(rx.upload_files(upload_id=UPLOAD_ID)),
                                 id="csv-submit"),
                       field_error("file"), field_error("mode"),
                       rx.cond(CSV.has_result, rx.vstack(
                           rx.callout(CSV.summary, icon="info", id="csv-summary", width="100%"),
                           rx.cond(CSV.more != "", rx.text(CSV.more, size="1", color_scheme="gray")),
                           _result_list("Accepted rows", CSV.accepted, "text", "green", "csv-accepted"),
                           _result_list("Rejected rows", CSV.rejected, "reason", "red", "csv-rejected"),
                           rx.cond(CSV.rejected.length() > 0,
                                   rx.button("Download the rejected rows", size="1", variant="soft",
                                             on_click=CSV.download_rejected, id="csv-rejected-download")),
                           spacing="3", width="100%")),
                       rx.heading("Your posts (deliverable IDs)", size="2", as_="h3"),
                       deliverable_table(deliverables),
                       spacing="3", width="100%"), "csv-import")

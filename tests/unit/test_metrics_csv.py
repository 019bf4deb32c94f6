"""CSV import: template, file-level errors, per-row validation, both modes, ownership."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from brandifiers.clock import utcnow
from brandifiers.models import AuditEvent, MetricSnapshot
from brandifiers.services.common.errors import DomainError, PermissionDenied
from brandifiers.services.metrics import metrics_csv as mc
from tests.unit.collab_factories import cheap_passwords, today  # noqa: F401  (autouse fixture)
from tests.unit.stats_factories import world

HEADER = "deliverable_id,day,views,likes,comments,shares,saves,clicks,conversions,revenue"


@pytest.fixture
def w(session):
    w = world(session)
    w.now = utcnow() + timedelta(days=5)
    w.d = [d.id for d in w.deliverables]  # d[0], d[1]: influencer 0 on campaign 0; d[3]: influencer 2
    return w


def day(offset: int = 0) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join((header,) + lines) + "\n").encode()


def stored(session):
    session.expire_all()
    return ([(s.deliverable_id, s.day.isoformat(), s.views, s.provenance) for s in
             session.exec(select(MetricSnapshot).order_by(MetricSnapshot.deliverable_id, MetricSnapshot.day))],
            len(session.exec(select(AuditEvent).where(AuditEvent.action == "metrics.replace")).all()))


def test_the_template_is_the_header_the_parser_wants(w):
    assert mc.csv_template().decode().strip() == HEADER
    assert list(mc.parse_csv(mc.csv_template() + f"{w.d[0]},{day()},1,,,,,,,\n".encode()).columns) == list(mc.COLUMNS)


def test_a_good_file(session, w):
    data = csv(f"{w.d[0]},{day()},100,10,1,1,1,5,1,12.50", f"{w.d[1]},{day(1)},200,20,,,,,,")
    result = mc.import_csv(session, w.influencers[0].id, data, now=w.now)
    session.commit()
    assert result.written == 2 and result.rejected == [] and [a["row"] for a in result.accepted] == [2, 3]
    assert stored(session)[0] == [(w.d[0], day(), 100, "csv-import"), (w.d[1], day(1), 200, "csv-import")]
    snap = session.exec(select(MetricSnapshot).where(MetricSnapshot.deliverable_id == w.d[0])).one()
    assert snap.revenue_cents == 1250 and snap.updated_at == w.now and snap.reported_by_id == w.influencers[0].id


def test_ids_that_are_no_ids_are_rejected_as_unknown(session, w):
    data = csv(f"\u00b2,{day()},100,,,,,,,", f"{2**70},{day()},100,,,,,,,", f"{w.d[0]},{day()},100,,,,,,,")
    result = mc.import_csv(session, w.influencers[0].id, data, now=w.now)
    assert result.written == 1 and [r["row"] for r in result.rejected] == [2, 3]
    assert all(r["reason"].startswith("Unknown deliverable") for r in result.rejected)


def test_a_utf8_bom_and_loose_header_spacing(session, w):
    data = b"\xef\xbb\xbf" + csv(f"{w.d[0]},{day()},100,10,1,1,1,5,1,0", header=HEADER.replace(",", ", ").upper())
    assert mc.import_csv(session, w.influencers[0].id, data, now=w.now).written == 1


@pytest.mark.parametrize("data, words", [
    (b"", "empty"), (b"\n\n", "empty"), (HEADER.encode() + b"\n", "no rows"),
    (b"id,date,views\n1,2026-11-20,5\n", "missing: deliverable_id, day, likes"),
    (csv("1,2026-11-20,1,1,1,1,1,1,1,1", header=HEADER + ",extra"), "unknown: extra"),
    (csv("1", header=HEADER.replace("views", "likes")), "missing: views"),
    (b"deliverable_id;day\n1;2", "missing"),
    ("day,views\n".encode("utf-16"), "not UTF-8"),
])
def test_file_level_errors(session, w, data, words):
    with pytest.raises(DomainError) as err:
        mc.import_csv(session, w.influencers[0].id, data, now=w.now)
    assert err.value.field == "file" and words in err.value.message
    assert stored(session) == ([], 0)


def test_a_mixed_file_reports_every_bad_row(session, w):
    data = csv(
        f"{w.d[0]},{day()},100,10,1,1,1,5,1,0",       # 2 good
        f"{w.d[0]},{day(1)},-5,10,1,1,1,5,1,0",       # 3 negative
        f"{w.d[0]},{day(2)},1.5,10,1,1,1,5,1,0",      # 4 not a whole number
        f"{w.d[3]},{day()},100,1,1,1,1,1,1,0",        # 5 another influencer's deliverable
        f"999999,{day()},100,1,1,1,1,1,1,0",          # 6 unknown
        f"abc,{day()},100,1,1,1,1,1,1,0",             # 7 not an id
        f"{w.d[1]},{day(9)},100,1,1,1,1,1,1,0",       # 8 future
        f"{w.d[1]},{day(-3)},100,1,1,1,1,1,1,0",      # 9 before the campaign
        f"{w.d[1]},20/11/2026,100,1,1,1,1,1,1,0",     # 10 bad date
        f"{w.d[1]},{day(2)},100,1,1,1,1,1,1,0",       # 11 duplicate of 12
        f"{w.d[1]},{day(2)},101,1,1,1,1,1,1,0",       # 12 duplicate of 11
        f"{w.d[1]},{day(3)},5,50,,,,,,",              # 13 good, likes > views warning
        f"{w.d[1]},{day(4)}",                         # 14 short row: empty figures count as 0
    )
    result = mc.import_csv(session, w.influencers[0].id, data, now=w.now)
    session.commit()
    reasons = {r["row"]: r["reason"] for r in result.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert "cannot be negative" in reasons[3] and "whole number" in reasons[4]
    assert "not one of yours" in reasons[5] and "not one of yours" in reasons[6] and "not one of yours" in reasons[7]
    assert "future" in reasons[8] and "within the campaign" in reasons[9] and "YYYY-MM-DD" in reasons[10]
    assert "rows 11, 12" in reasons[11] and "rows 11, 12" in reasons[12]
    assert [a["row"] for a in result.accepted] == [2, 13, 14] and result.written == 3
    assert result.accepted[1]["warnings"] and not result.accepted[0]["warnings"]
    assert len(result.accepted) + len(result.rejected) == 13  # nothing dropped
    assert [s[:3] for s in stored(session)[0]] == [(w.d[0], day(), 100), (w.d[1], day(3), 5), (w.d[1], day(4), 0)]


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(session, w):
    data = csv(f"{w.d[0]},{day()},100,10,1,1,1,5,1,0", f"{w.d[0]},{day(1)},-1,0,0,0,0,0,0,0")
    result = mc.import_csv(session, w.influencers[0].id, data, mode="all_or_nothing", now=w.now)
    session.commit()
    assert result.written == 0 and len(result.accepted) == 1 and result.rejected[0]["row"] == 3
    assert stored(session) == ([], 0)
    good = csv(f"{w.d[0]},{day()},100,10,1,1,1,5,1,0")
    assert mc.import_csv(session, w.influencers[0].id, good, mode="all_or_nothing", now=w.now).written == 1


def test_reimport_replaces_and_audits(session, w):
    mc.import_csv(session, w.influencers[0].id, csv(f"{w.d[0]},{day()},100,10,1,1,1,5,1,0"), now=w.now)
    session.commit()
    result = mc.import_csv(session, w.influencers[0].id, csv(f"{w.d[0]},{day()},150,10,1,1,1,5,1,0"), now=w.now)
    session.commit()
    assert result.replaced == 1 and stored(session) == ([(w.d[0], day(), 150, "csv-import")], 1)


def test_check_writes_nothing(session, w):
    checked = mc.check_csv(session, w.influencers[0].id, csv(f"{w.d[0]},{day()},100,10,1,1,1,5,1,0"), now=w.now)
    assert len(checked.accepted) == 1 and stored(session) == ([], 0)


def test_sponsor_imports_for_its_campaigns_only(session, w):
    # sponsor 0 owns campaigns 0 and 1 (deliverables 0, 1, 2); sponsor 1 owns campaign 2 (deliverable 3, 4)
    data = csv(f"{w.d[0]},{day()},100,1,1,1,1,1,1,0", f"{w.d[4]},{day()},100,1,1,1,1,1,1,0")
    result = mc.import_csv(session, w.sponsors[0].id, data, now=w.now)
    session.commit()
    assert [a["row"] for a in result.accepted] == [2] and result.rejected[0]["row"] == 3
    assert stored(session)[0] == [(w.d[0], day(), 100, "csv-import")]


def test_foreign_only_file_writes_nothing(session, w):
    data = csv(f"{w.d[3]},{day()},100,1,1,1,1,1,1,0")
    result = mc.import_csv(session, w.influencers[0].id, data, now=w.now)
    session.commit()
    assert result.written == 0 and stored(session) == ([], 0)


@pytest.mark.parametrize("who", ["admin", "nobody"])
def test_wrong_roles(session, w, who):
    actor = w.admin.id if who == "admin" else None
    with pytest.raises(PermissionDenied):
        mc.import_csv(session, actor, csv(f"{w.d[0]},{day()},1,1,1,1,1,1,1,0"), now=w.now)


def test_unknown_mode(session, w):
    with pytest.raises(DomainError) as err:
        mc.import_csv(session, w.influencers[0].id, csv(f"{w.d[0]},{day()},1,1,1,1,1,1,1,0"), mode="some", now=w.now)
    assert err.value.field == "mode"


def test_a_file_over_the_byte_cap_is_refused_before_parsing(session, w, monkeypatch):
    monkeypatch.setattr(mc.pd, "read_csv", lambda *a, **k: pytest.fail("parsed a file over the cap"))
    big = mc.csv_template() + b"1,2025-01-01" + b" " * mc.MAX_BYTES
    with pytest.raises(DomainError) as err:
        mc.import_csv(session, w.influencers[0].id, big)
    assert err.value.field == "file" and "at most 5 MB" in err.value.message


def test_rows_past_the_cap_are_not_even_read(session, w, monkeypatch):
    monkeypatch.setattr(mc, "MAX_ROWS", 3)
    real = mc.pd.read_csv
    seen = {}

    def spy(*args, **kwargs):
        seen["nrows"] = kwargs.get("nrows")
        return real(*args, **kwargs)

    monkeypatch.setattr(mc.pd, "read_csv", spy)
    rows = "".join(f"1,2025-01-{d:02d},1,1,1,1,1,1,1\n" for d in range(1, 11))
    with pytest.raises(DomainError) as err:
        mc.import_csv(session, w.influencers[0].id, mc.csv_template().decode() + rows)
    assert "more than 3 rows" in err.value.message and seen["nrows"] == 4

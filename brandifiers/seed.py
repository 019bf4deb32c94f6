"""Demo and benchmark data generator (one code path, three sizes).

    python -m brandifiers.seed --scale demo|S|L [--db-url URL] [--seed N]

Assumes a migrated database and only seeds one without sponsors/influencers (the admin may
exist). Rows are generated vectorised with numpy and bulk-inserted with SQLAlchemy Core in
chunks with pre-assigned ids, all in one transaction. Every seeded user's password is
DEMO_PASSWORD (hashed once). Output is deterministic for a given --seed and `now`.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from brandifiers import seed_data as D
from brandifiers.clock import utcnow
from brandifiers.models import (
    CATEGORIES, AdRequest, AuditEvent, Campaign, Deliverable, InfluencerProfile, MetricSnapshot,
    Notification, Offer, Payment, SocialAccount, SponsorProfile, User,
)
from brandifiers.services.money import format_cents
from brandifiers.services.passwords import hash_password

DEMO_PASSWORD = "demo-password"
DEMO_DOMAIN = "demo.brandifiers.com"
N_FIXED = 5  # sponsor1..5 and influencer1..5 get memorable e-mails
CHUNK = 20_000
DAY_US = 86_400_000_000
STATUSES = ("pending", "negotiating", "accepted", "rejected", "withdrawn", "in_progress", "submitted", "completed")
PEND, NEG, ACC, REJ, WDR, INP, SUB, DONE = range(8)
STATUS_P = (0.14, 0.14, 0.08, 0.10, 0.06, 0.12, 0.10, 0.26)
COMMITTED = (ACC, INP, SUB, DONE)
TABLES = (User, SponsorProfile, InfluencerProfile, SocialAccount, Campaign, AdRequest, Offer, Payment,
          Deliverable, MetricSnapshot, Notification, AuditEvent)


@dataclass(frozen=True)
class Scale:
    sponsors: int  # active (a few of them flagged)
    pending: int  # sponsors awaiting approval
    influencers: int
    campaigns: int
    requests: int
    max_snapshots: int | None  # None: up to 90 days for every deliverable; else a random subset


SCALES = {
    "demo": Scale(20, 3, 200, 60, 400, None),
    "S": Scale(200, 10, 2_000, 600, 4_000, None),
    "L": Scale(10_000, 100, 100_000, 50_000, 500_000, 5_000_000),
}


def is_empty(session) -> bool:
    """True when the database has no sponsor or influencer yet (an admin alone counts as empty)."""
    stmt = sa.select(User.id).where(User.role.in_(("sponsor", "influencer"))).limit(1)
    return session.execute(stmt).first() is None


def _pick(rng, pool, n):
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), n)]


class _Seeder:
    def __init__(self, conn, sc: Scale, rng_seed: int, now: datetime, log):
        self.conn, self.sc, self.log = conn, sc, log
        self.rng = np.random.default_rng(rng_seed)
        self.now64 = np.datetime64(now, "us")
        self.today64 = np.datetime64(now.date(), "D")
        self.today_rel = -(self.now64 - self.today64.astype("datetime64[us]")) / np.timedelta64(DAY_US, "us")
        n_people = min(5_000, max(300, sc.sponsors + sc.pending + sc.influencers))
        self.pools = D.build_pools(rng_seed, n_people, min(5_000, max(100, sc.sponsors + sc.pending)))
        self.counts: dict[str, int] = {}
        self.logins: list[tuple[str, str, str, str]] = []
        self.base = {m.__tablename__: (conn.execute(sa.select(sa.func.max(m.__table__.c.id))).scalar() or 0) + 1
                     for m in TABLES}

    # ---- helpers -------------------------------------------------------------------------
    def ts(self, rel):
        """Days relative to now (float, NaN = NULL) -> datetime64[us]."""
        rel = np.asarray(rel, dtype=float)
        out = self.now64 + np.round(np.nan_to_num(rel) * DAY_US).astype("int64").astype("timedelta64[us]")
        out[np.isnan(rel)] = np.datetime64("NaT")
        return out

    def day(self, rel):
        return self.ts(rel).astype("datetime64[D]")

    def u(self, lo, hi, n):
        return self.rng.uniform(lo, hi, n)

    def insert(self, model, cols: dict) -> None:
        t0, table, keys = time.perf_counter(), model.__table__, list(cols)
        # sqlmodel's UTCDateTime columns only take aware datetimes; plain DateTime takes naive ones
        aware = {c.name for c in table.c if getattr(getattr(c.type, "impl", c.type), "timezone", False)}
        n = len(cols["id"])
        for a in range(0, n, CHUNK):
            b = min(n, a + CHUNK)
            lists = [v[a:b].tolist() if isinstance(v, np.ndarray) else
                     (list(v[a:b]) if isinstance(v, list) else [v] * (b - a)) for v in (cols[k] for k in keys)]
            for i in (i for i, k in enumerate(keys) if k in aware):
                lists[i] = [x if x is None else x.replace(tzinfo=timezone.utc) for x in lists[i]]
            self.conn.execute(table.insert(), [dict(zip(keys, row)) for row in zip(*lists)])
        self.counts[table.name] = self.counts.get(table.name, 0) + n
        self.log(f"  {table.name:<17} {n:>10,} rows  {time.perf_counter() - t0:6.1f}s")

    def ids(self, model, n):
        start = self.base[model.__tablename__]
        self.base[model.__tablename__] += n
        return np.arange(start, start + n)

    # ---- accounts ------------------------------------------------------------------------
    def users(self, pw_hash: str) -> None:
        sc, rng, P = self.sc, self.rng, self.pools
        n_s, n_sp, n_i = sc.sponsors, sc.sponsors + sc.pending, sc.influencers
        n_u, n_fs, n_fi = n_sp + n_i, max(1, n_s // 200), max(1, n_i // 200)
        uid = self.ids(User, n_u)
        k = np.arange(n_u)
        status = np.full(n_u, "active", dtype=object)
        status[n_s - n_fs:n_s], status[n_s:n_sp], status[n_u - n_fi:] = "flagged", "pending", "flagged"
        pi = rng.integers(0, len(P.first), n_u)
        first, last = P.first[pi], P.last[pi]
        C = len(P.companies)
        company = [P.companies[i % C] + D.COMPANY_SUFFIXES[(i // C) % len(D.COMPANY_SUFFIXES)] for i in range(n_sp)]
        tld = _pick(rng, ("com", "net", "org"), n_u)
        emails = []
        for i in range(n_u):
            j = i - n_sp
            if i < n_sp:
                fixed = (f"sponsor{i + 1}" if i < N_FIXED else f"pending-sponsor{i - n_s + 1}" if i >= n_s
                         else f"flagged-sponsor{i - n_s + n_fs + 1}" if i >= n_s - n_fs else None)
                domain = D.slug(company[i], "-") + ".example"
            else:
                fixed = (f"influencer{j + 1}" if j < N_FIXED else f"flagged-influencer{i - n_u + n_fi + 1}"
                         if i >= n_u - n_fi else None)
                domain = "example." + tld[i]
            emails.append(f"{fixed}@{DEMO_DOMAIN}" if fixed else f"{D.slug(first[i])}.{D.slug(last[i])}.{i}@{domain}")
        created = np.where(k < n_s, -self.u(240, 900, n_u), np.where(k < n_sp, -self.u(0.05, 10, n_u),
                                                                      -self.u(240, 900, n_u)))
        seen = np.where(status == "active", np.maximum(created, -rng.exponential(4, n_u)), -self.u(5, 60, n_u))
        seen[status == "pending"] = np.nan
        reason = np.where(status == "flagged", _pick(rng, D.USER_FLAGS, n_u), None)
        role = np.where(k < n_sp, "sponsor", "influencer").astype(object)
        self.insert(User, dict(id=uid, email=emails, password_hash=pw_hash, role=role, status=status.copy(),
                               status_reason=reason, created_at=self.ts(created), last_seen_at=self.ts(seen)))
        # sponsor profiles (pending ones too)
        industries = list(D.INDUSTRIES)
        ind = rng.integers(0, len(industries), n_sp)
        budget = np.maximum(np.round(rng.lognormal(np.log(120_000), 0.8, n_sp) / 1000), 5) * 100_000
        web = [None if r < 0.15 else f"https://www.{D.slug(c, '-')}.example" for c, r in zip(company, rng.random(n_sp))]
        desc = [f"{c}: {industries[i].lower()} brand. {p}." for c, i, p in
                zip(company, ind, _pick(rng, P.phrases, n_sp))]
        self.insert(SponsorProfile, dict(id=self.ids(SponsorProfile, n_sp), user_id=uid[:n_sp], company_name=company,
                                         industry=np.array(industries, dtype=object)[ind], website=web,
                                         yearly_budget_cents=budget.astype("int64"), description=desc))
        self.s_uid, self.s_company, self.s_ind = uid[:n_s], company, ind
        self.signup = dict(uid=uid, role=role, created=created, status=status,
                           name=company + [None] * n_i)
        self._influencers(uid[n_sp:], first[n_sp:], last[n_sp:], created[n_sp:])
        for i in [*range(min(3, n_s)), *range(n_s - n_fs, n_s), *range(n_s, min(n_sp, n_s + 3))]:
            self.logins.append((emails[i], "sponsor", status[i], company[i]))
        for j in [*range(min(N_FIXED, n_i)), n_i - n_fi]:
            self.logins.append((emails[n_sp + j], "influencer", status[n_sp + j], self.i_name[j]))

    def _influencers(self, uid, first, last, created) -> None:
        rng, n = self.rng, len(uid)
        cats = np.array(CATEGORIES, dtype=object)
        w = np.array([D.CATEGORY_WEIGHTS[c] for c in CATEGORIES], dtype=float)
        cat = rng.choice(len(cats), n, p=w / w.sum())
        niche = [D.NICHES[cats[c]][i] for c, i in zip(cat, rng.integers(0, 5, n))]
        city = _pick(rng, D.CITIES, n)
        names, bios, handles = [], [], []
        for i, (f, la, c, ni, ci, t, b, h) in enumerate(zip(
                first, last, cat, niche, city, rng.integers(0, len(D.DISPLAY_TEMPLATES), n),
                rng.integers(0, len(D.BIOS), n), rng.integers(0, 5, n))):
            kw = dict(first=f, last=la, full=f"{f} {la}", last_i=la[:1], niche=ni, niche_l=ni.lower(),
                      category=cats[c], category_l=cats[c].lower(), city=ci.split(",")[0], job=D.JOBS[i % 8])
            names.append(D.DISPLAY_TEMPLATES[t].format(**kw)[:80])
            bios.append(D.BIOS[b].format(**kw))
            fs, ls = D.slug(f), D.slug(la)
            handles.append([fs + ls, f"{fs}.{ls}", "the" + fs + ls, fs + D.slug(ni)[:10], f"{fs}{ls}{i % 100}"][h][:30])
        # 1-3 platforms, drawn without replacement with category-biased weights (Gumbel top-k)
        bias = np.array([D.PLATFORM_BIAS.get(c, (1.0,) * 7) for c in CATEGORIES]) * D.PLATFORM_WEIGHTS
        order = np.argsort(np.log(rng.random((n, 7))) / bias[cat], axis=1)[:, ::-1][:, :3]
        k = rng.choice([1, 2, 3], n, p=[0.45, 0.35, 0.20])
        valid = np.arange(3) < k[:, None]
        f0 = np.clip(rng.lognormal(np.log(25_000), 1.5, n), 300, 80e6)
        fol = np.column_stack([f0, f0[:, None] * np.clip(rng.lognormal(np.log(0.25), 1.0, (n, 2)), 0.002, 3)])
        fol = np.maximum(np.round(fol), 50).astype("int64")
        er = np.round(np.clip(0.035 * (fol / 25_000) ** -0.12 * rng.lognormal(0, 0.35, (n, 3)), 0.005, 0.12), 4)
        suffix = _pick(rng, ("", "", "", "tv", "official", "_", "hq", "live"), (n, 3))
        hdl = np.array([[h, h + s[1], h + s[2]] for h, s in zip(handles, suffix)], dtype=object)
        inf_i, slot = np.nonzero(valid)
        pid = self.ids(InfluencerProfile, n)
        f_flat = fol[inf_i, slot]
        total = np.bincount(inf_i, weights=f_flat, minlength=n).astype("int64")
        avg_er = np.bincount(inf_i, weights=f_flat * er[inf_i, slot], minlength=n) / total
        price = np.clip(np.round(total / 1000 * self.u(5, 15, n) * np.sqrt(avg_er / 0.035) / 5) * 500, 2_500, 5_000_000)
        self.insert(InfluencerProfile, dict(
            id=pid, user_id=uid, display_name=names, category=cats[cat], niche=niche, bio=bios, location=city,
            asking_price_cents=np.where(rng.random(n) < 0.9, price.astype("int64"), None),
            total_followers=total, avg_engagement_rate=avg_er))
        self.insert(SocialAccount, dict(id=self.ids(SocialAccount, len(inf_i)), influencer_id=pid[inf_i],
                                        platform=np.array(D.PLATFORMS, dtype=object)[order[inf_i, slot]],
                                        handle=hdl[inf_i, slot], followers=f_flat, avg_engagement_rate=er[inf_i, slot]))
        self.i_uid, self.i_cat, self.i_price, self.i_name, self.i_created = uid, cat, price, names, created
        self.i_plat = np.where(valid, order, -1)
        self.i_hdl, self.i_fol, self.i_er = hdl, fol, er
        self.signup["name"][-n:] = names

    # ---- campaigns (inserted after the requests, whose committed total can raise a budget) ------
    def campaigns(self) -> None:
        sc, rng, n = self.sc, self.rng, self.sc.campaigns
        n_s = sc.sponsors
        w = rng.lognormal(0, 1, n_s)
        owner = rng.choice(n_s, n, p=w / w.sum())
        n_fix = min(15, n) if n_s >= N_FIXED else 0  # demo sponsors 1-5: a running, an upcoming, a past one
        owner[:n_fix] = np.arange(n_fix) % N_FIXED
        start = rng.integers(-200, 31, n)
        dur = rng.integers(21, 151, n)
        start[:n_fix], dur[:n_fix] = np.array([-45, 7, -170])[np.arange(n_fix) // 5], 90
        end = start + dur
        u = rng.random(n)
        status = np.where(end < 0, np.where(u < 0.8, "completed", "archived"),
                          np.where(start > 0, np.where(u < 0.4, "draft", "active"),
                                   np.where(u < 0.85, "active", "paused"))).astype(object)
        status[:n_fix][np.arange(n_fix) // 5 == 1] = "active"
        flagged = np.zeros(n, bool)
        cand = np.nonzero((status != "draft") & (np.arange(n) >= n_fix))[0]
        flagged[rng.choice(cand, min(len(cand), max(1, n // 100)), replace=False)] = True
        inds = list(D.INDUSTRIES)
        cat = np.empty(n, dtype=object)
        texts = {k: [] for k in ("name", "description", "goals", "brand", "product")}
        for i in range(n):
            ind = inds[self.s_ind[owner[i]]]
            c = (D.INDUSTRIES[ind][rng.integers(len(D.INDUSTRIES[ind]))] if rng.random() < 0.75
                 else CATEGORIES[rng.integers(len(CATEGORIES))])
            brand = self.s_company[owner[i]].split(" ")[0]
            product = D.PRODUCTS[c][rng.integers(5)]
            season = D.SEASONS[int(str(self.today64 + start[i])[5:7])]
            kw = dict(brand=brand, product=product, season=season, season_l=season.lower(), category_l=c.lower(),
                      tag=brand + product.replace(" ", "").replace("-", ""))
            cat[i] = c
            for key, pool in (("name", D.CAMPAIGN_NAMES), ("description", D.CAMPAIGN_DESCS), ("goals", D.GOALS)):
                texts[key].append(pool[rng.integers(len(pool))].format(**kw)[:120 if key == "name" else 2000])
            texts["brand"].append(brand)
            texts["product"].append(product)
        budget = np.maximum(np.round(rng.lognormal(np.log(12_000), 0.9, n) / 500), 2) * 50_000
        created = np.minimum(start + self.today_rel - self.u(3, 30, n), -self.u(0.1, 10, n))
        end_rel = end + 1 + self.today_rel
        updated = np.where(end_rel < 0, np.minimum(end_rel + self.u(0, 5, n), -0.01), created * self.u(0, 1, n))
        tv = np.round(budget / 100 * self.u(20, 80, n), -3)
        has_t = rng.random(n) < 0.75
        self.c = dict(owner=owner, start=start, end=end, end_rel=end_rel, status=status, flagged=flagged, cat=cat,
                      created=created, budget=budget.astype("int64"), **texts)
        self.c_cols = dict(
            id=self.ids(Campaign, n), sponsor_id=self.s_uid[owner], name=texts["name"],
            description=texts["description"], category=cat,
            niche=[D.NICHES[c][rng.integers(5)] if rng.random() < 0.6 else None for c in cat], goals=texts["goals"],
            target_views=np.where(has_t, tv.astype("int64"), None),
            target_engagements=np.where(has_t, (tv * self.u(0.02, 0.06, n)).astype("int64"), None),
            target_conversions=np.where(has_t, (tv * self.u(0.0005, 0.003, n)).astype("int64"), None),
            start_date=self.today64 + start, end_date=self.today64 + end, budget_cents=None,
            visibility=np.where(rng.random(n) < 0.7, "public", "private").astype(object), status=status,
            flagged=flagged, flag_reason=np.where(flagged, _pick(rng, D.CAMPAIGN_FLAGS, n), None), approved=True,
            created_by_id=self.s_uid[owner], created_at=self.ts(created), updated_at=self.ts(updated))

    # ---- ad requests, offers, payments ------------------------------------------------------
    def requests(self) -> None:
        rng, c, n, n_i = self.rng, self.c, self.sc.requests, self.sc.influencers
        st = rng.choice(8, n, p=STATUS_P)
        inf = rng.integers(0, n_i, n)
        forced = 40 if n >= 40 and n_i >= N_FIXED else 0  # influencer1-5: one request in every status
        st[:forced], inf[:forced] = np.arange(forced) % 8, np.arange(forced) // 8
        live = np.isin(c["status"], ("active", "paused")) & (c["end_rel"] > 0)
        started = c["start"] <= 0
        elig = {PEND: live, NEG: live, ACC: live, INP: live & started, SUB: live & started,
                DONE: started & (c["status"] != "draft"), REJ: c["status"] != "draft", WDR: c["status"] != "draft"}
        cw = rng.lognormal(0, 0.7, len(c["owner"])) * np.where(c["owner"] < N_FIXED, 4, 1)
        camp = np.zeros(n, dtype=np.int64)
        for s, mask in elig.items():
            rows, pool = np.nonzero(st == s)[0], np.nonzero(mask if mask.any() else c["status"] != "draft")[0]
            camp[rows] = rng.choice(pool, len(rows), p=cw[pool] / cw[pool].sum())
        # 70% of requests go to an influencer of the campaign's category
        cat_idx = np.array([CATEGORIES.index(x) for x in c["cat"]])[camp]
        by_cat = np.argsort(self.i_cat, kind="stable")
        cnt = np.bincount(self.i_cat, minlength=len(CATEGORIES))
        first = np.concatenate([[0], np.cumsum(cnt)[:-1]])
        match = (rng.random(n) < 0.7) & (cnt[cat_idx] > 0) & (np.arange(n) >= forced)
        inf[match] = by_cat[first[cat_idx[match]] + (rng.random(match.sum()) * cnt[cat_idx[match]]).astype(int)]
        for _ in range(100):  # one request per (campaign, influencer)
            dup = np.ones(n, bool)
            dup[np.unique(camp * n_i + inf, return_index=True)[1]] = False
            if not dup.any():
                break
            inf[dup] = rng.integers(0, n_i, dup.sum())
        # timeline, in days relative to now (all <= 0)
        lo, hi = c["created"][camp], np.minimum(-0.001, c["end_rel"][camp])
        uu = rng.random(n)
        created = lo + (hi - lo) * np.where(np.isin(st, (INP, SUB, DONE)), uu ** 2, uu)
        t_acc = created + np.minimum(self.u(0.5, 10, n), -0.3 * created)
        t_dec = created + np.minimum(self.u(0.5, 14, n), -0.8 * created)
        t_neg = created + np.minimum(self.u(0.5, 10, n), -0.9 * created)
        sub1 = t_acc + np.minimum(self.u(3, 20, n), -0.6 * t_acc)
        done = sub1 + np.minimum(self.u(1, 10, n), -0.6 * sub1)
        sub2 = np.where(st == DONE, sub1 + (done - sub1) * self.u(0, 0.8, n), sub1 - sub1 * self.u(0, 0.3, n))
        n_plan = 1 + (rng.random(n) < 0.3)
        nd = np.where(np.isin(st, (SUB, DONE)), n_plan, np.where((st == INP) & (rng.random(n) < 0.25), 1, 0))
        t_end = np.select([st == PEND, st == NEG, np.isin(st, (REJ, WDR))], [created, t_neg, t_dec], t_acc)
        updated = np.select([st == SUB, st == DONE, (st == INP) & (nd > 0)], [np.maximum(sub1, sub2), done, sub1], t_end)
        committed = np.isin(st, COMMITTED)
        # offers: 1-4 alternating, starting with the initiator, converging on the influencer's price
        by_sp = rng.random(n) < 0.6
        n_off = np.select([st == PEND, st == NEG, np.isin(st, (REJ, WDR))],
                          [1, rng.integers(2, 5, n), rng.choice([1, 2, 3], n, p=[0.5, 0.3, 0.2])],
                          rng.choice([1, 2, 3, 4], n, p=[0.35, 0.35, 0.2, 0.1]))
        anchor = self.i_price[inf] * self.u(0.6, 1.3, n)
        a_lo, a_hi = anchor * self.u(0.7, 0.9, n), anchor * self.u(1.05, 1.3, n)
        r = np.repeat(np.arange(n), n_off)
        j = np.arange(len(r)) - np.repeat(np.cumsum(n_off) - n_off, n_off)
        o_sp = (j % 2 == 0) == by_sp[r]
        amount = (a_lo + a_hi)[r] / 2 + np.where(o_sp, -1, 1) * (a_hi - a_lo)[r] / 2 * (1 - j / n_off[r])
        amount = np.maximum(np.round(amount / 500), 1).astype("int64") * 500
        last = np.cumsum(n_off) - 1
        pay = amount[last]
        o_t = created[r] + (t_end - created)[r] * j / np.where(st == NEG, n_off - 1, n_off)[r]
        # a campaign's committed total stays within its budget
        spent = np.bincount(camp, weights=np.where(committed, pay, 0), minlength=len(c["budget"]))
        need = np.ceil(spent * self.u(1.05, 1.5, len(spent)) / 50_000).astype("int64") * 50_000
        c["budget"] = np.maximum(c["budget"], need)
        self.c_cols["budget_cents"] = c["budget"]
        self.insert(Campaign, self.c_cols)
        sp_uid, in_uid = self.s_uid[c["owner"][camp]], self.i_uid[inf]
        plat = self.i_plat[inf]
        text = np.array([D.DELIVERABLE_TEXT[p] for p in D.PLATFORMS], dtype=object)
        deliv = np.where((n_plan == 1), text[plat[:, 0]],
                         np.where(plat[:, 1] >= 0, text[plat[:, 0]] + " + " + text[plat[:, 1]], text[plat[:, 0]] + " (x2)"))
        names, brands, products = (np.array(c[k], dtype=object)[camp] for k in ("name", "brand", "product"))
        msg = [(D.SPONSOR_MSGS if s else D.INFLUENCER_MSGS)[m].format(campaign=cn, brand=b, product=p)
               for s, m, cn, b, p in zip(by_sp, rng.integers(0, 3, n), names, brands, products)]
        msg = np.array(msg, dtype=object)
        req_txt = np.array(D.REQUIREMENTS, dtype=object)[rng.integers(0, len(D.REQUIREMENTS), n)]
        flag = np.zeros(n, bool)
        flag[rng.choice(n, max(1, n // 400), replace=False)] = True
        rid = self.ids(AdRequest, n)
        self.insert(AdRequest, dict(
            id=rid, campaign_id=self.c_cols["id"][camp], influencer_id=in_uid, sponsor_id=sp_uid,
            initiated_by=np.where(by_sp, "sponsor", "influencer").astype(object),
            created_by_id=np.where(by_sp, sp_uid, in_uid),
            requirements=[t.format(brand=b, product=p) for t, b, p in zip(req_txt, brands, products)],
            deliverables=deliv, message=msg, payment_cents=pay,
            due_date=np.minimum(self.day(created + self.u(10, 40, n)), self.today64 + c["end"][camp]),
            status=np.array(STATUSES, dtype=object)[st],
            revision_note=np.where((st == INP) & (nd > 0), _pick(rng, D.REVISION_NOTES, n), None),
            flagged=flag, flag_reason=np.where(flag, _pick(rng, D.REQUEST_FLAGS, n), None),
            accepted_at=self.ts(np.where(committed, t_acc, np.nan)),
            completed_at=self.ts(np.where(st == DONE, done, np.nan)),
            created_at=self.ts(created), updated_at=self.ts(updated)))
        counter = np.array([D.COUNTER_MSGS["sponsor" if s else "influencer"][k] for s, k in
                            zip(o_sp, rng.integers(0, 4, len(r)))], dtype=object)
        self.insert(Offer, dict(
            id=self.ids(Offer, len(r)), ad_request_id=rid[r], author_id=np.where(o_sp, sp_uid[r], in_uid[r]),
            author_role=np.where(o_sp, "sponsor", "influencer").astype(object), amount_cents=amount,
            terms=np.where(j == 0, deliv[r], _pick(rng, D.TERMS, len(r))),
            message=np.where(j == 0, msg[r], counter), created_at=self.ts(o_t)))
        self.r = dict(st=st, rid=rid, inf=inf, camp=camp, sp_uid=sp_uid, in_uid=in_uid, pay=pay, nd=nd, sub1=sub1,
                      sub2=sub2, t_acc=t_acc, done=done, updated=updated, names=names,
                      last_sp=o_sp[last], by_sp=by_sp)

    def payments(self) -> None:
        rng, r = self.rng, self.r
        st, pay, n = r["st"], r["pay"], len(r["st"])
        u = rng.random(n)
        full = (st == DONE) & (u < 0.63)
        split = (st == DONE) & (u >= 0.63) & (u < 0.9)
        deposit = np.select([st == SUB, st == INP, st == ACC], [u < 0.4, u < 0.3, u < 0.15], False) | split
        half = pay // 200 * 100
        after_acc = r["t_acc"] - r["t_acc"] * self.u(0, 0.5, n)
        after_done = r["done"] - r["done"] * self.u(0, 0.5, n)
        req = np.concatenate([np.nonzero(full)[0], np.nonzero(deposit)[0], np.nonzero(split)[0]])
        amt = np.concatenate([pay[full], half[deposit], (pay - half)[split]])
        when = np.concatenate([after_done[full], after_acc[deposit], after_done[split]])
        o = np.lexsort((when, req))
        req, amt, when = req[o], amt[o], when[o]
        m = len(req)
        ref = [D.PAY_REFS[k].format(y=str(d)[:4], n=i + 1) for i, (k, d) in
               enumerate(zip(rng.integers(0, len(D.PAY_REFS), m), self.day(when)))]
        self.insert(Payment, dict(id=self.ids(Payment, m), ad_request_id=r["rid"][req], amount_cents=amt,
                                  paid_on=self.day(when), reference=ref, recorded_by_id=r["sp_uid"][req],
                                  created_at=self.ts(when)))

    def deliverables(self) -> None:
        rng, r = self.rng, self.r
        nd = r["nd"]
        req = np.repeat(np.arange(len(nd)), nd)
        j = np.arange(len(req)) - np.repeat(np.cumsum(nd) - nd, nd)
        inf = r["inf"][req]
        slot = np.where((j == 1) & (self.i_plat[inf, 1] >= 0), 1, 0)
        plat = np.array(D.PLATFORMS, dtype=object)[self.i_plat[inf, slot]]
        hdl = self.i_hdl[inf, slot]
        sub = np.where(j == 0, r["sub1"][req], r["sub2"][req])
        n = len(req)
        urls = [D.post_url(p, h, int(x)) for p, h, x in zip(plat, hdl, rng.integers(0, 2**62, n))]
        did = self.ids(Deliverable, n)
        self.insert(Deliverable, dict(id=did, ad_request_id=r["rid"][req], platform=plat, post_url=urls,
                                      note=_pick(rng, D.DELIVERABLE_NOTES, n), submitted_at=self.ts(sub)))
        self.d = dict(id=did, req=req, fol=self.i_fol[inf, slot], er=self.i_er[inf, slot], sub=sub)

    def metrics(self) -> None:
        """Daily figures from the submission day up to today (at most 90 days), one provenance each."""
        rng, d, r = self.rng, self.d, self.r
        sub_day = np.floor(d["sub"] - self.today_rel).astype("int64")  # <= 0: days before today
        ndays = np.minimum(90, 1 - sub_day)
        keep = np.arange(len(ndays))
        if self.sc.max_snapshots is not None:
            perm = rng.permutation(len(ndays))
            keep = np.sort(perm[np.cumsum(ndays[perm]) <= self.sc.max_snapshots])
        n = len(keep)
        prov = rng.choice(3, n, p=[0.85, 0.10, 0.05])
        req = d["req"][keep]
        reporter = np.select([prov == 0, prov == 1], [r["in_uid"][req], r["sp_uid"][req]], -1)
        p = dict(views=d["fol"][keep] * np.clip(rng.lognormal(np.log(0.3), 0.7, n), 0.02, 3),
                 tau=self.u(1.5, 8, n), tail=self.u(0.002, 0.02, n),
                 like=np.clip(d["er"][keep] * self.u(0.8, 1.6, n), 0.003, 0.25), com=self.u(0.02, 0.08, n),
                 share=self.u(0.01, 0.1, n), save=self.u(0.02, 0.15, n), ctr=self.u(0.002, 0.02, n),
                 cvr=self.u(0.01, 0.08, n), aov=self.u(2_000, 15_000, n))
        t0, total, step = time.perf_counter(), 0, max(1, 200_000 // 90)
        for a in range(0, n, step):
            g = np.arange(a, min(n, a + step))
            rep = np.repeat(g, ndays[keep[g]])
            k = np.arange(len(rep)) - np.repeat(np.cumsum(ndays[keep[g]]) - ndays[keep[g]], ndays[keep[g]])
            tau = p["tau"][rep]
            mean = p["views"][rep] * ((1 - np.exp(-1 / tau)) * np.exp(-k / tau) + p["tail"][rep] / 30)
            views = rng.poisson(mean * rng.lognormal(0, 0.2, len(rep)))
            likes = rng.binomial(views, p["like"][rep])
            clicks = rng.binomial(views, p["ctr"][rep])
            conv = rng.binomial(clicks, p["cvr"][rep])
            day_rel = sub_day[keep[rep]] + k
            rep_by = reporter[rep]
            cols = dict(
                id=self.ids(MetricSnapshot, len(rep)), deliverable_id=d["id"][keep[rep]],
                day=self.today64 + day_rel, provenance=np.array(D.PROVENANCE, dtype=object)[prov[rep]],
                views=views, likes=likes, comments=rng.binomial(likes, p["com"][rep]),
                shares=rng.binomial(likes, p["share"][rep]), saves=rng.binomial(likes, p["save"][rep]),
                clicks=clicks, conversions=conv,
                revenue_cents=np.round(conv * p["aov"][rep] * rng.lognormal(0, 0.3, len(rep))).astype("int64"),
                reported_by_id=np.where(rep_by >= 0, rep_by, None),
                updated_at=self.ts(np.minimum(day_rel + 1 + self.today_rel + self.u(0, 0.8, len(rep)), 0)))
            log, self.log = self.log, (lambda _m: None)
            self.insert(MetricSnapshot, cols)
            self.log, total = log, total + len(rep)
        self.log(f"  {'metricsnapshot':<17} {total:>10,} rows  {time.perf_counter() - t0:6.1f}s")

    def notifications_and_audit(self) -> None:
        rng, r = self.rng, self.r
        st, n = r["st"], len(r["st"])
        to_sp = np.select([np.isin(st, (PEND, WDR)), st == NEG, np.isin(st, (ACC, REJ)), st == SUB],
                          [~r["by_sp"], ~r["last_sp"], r["last_sp"], True], False)
        uid = np.where(to_sp, r["sp_uid"], r["in_uid"])
        kinds = [D.NOTIFY[s] for s in STATUSES]
        title = [kinds[s][1].format(campaign=cn)[:200] for s, cn in zip(st, r["names"])]
        read = np.where((r["updated"] < -1) & (rng.random(n) < 0.7),
                        r["updated"] + np.minimum(self.u(0.01, 2, n), -r["updated"]), np.nan)
        self.insert(Notification, dict(
            id=self.ids(Notification, n), user_id=uid, kind=np.array([k for k, _ in kinds], dtype=object)[st],
            title=title, body=[f"Current terms: {format_cents(int(x))}" for x in r["pay"]],
            link=[D.REQUEST_LINK.format(role="sponsor" if s else "influencer", id=i) for s, i in zip(to_sp, r["rid"])],
            created_at=self.ts(r["updated"]), read_at=self.ts(read)))
        s = self.signup
        summary = [f"sponsor {nm} signed up" + (" (pending)" if stt == "pending" else "") if ro == "sponsor"
                   else f"influencer {nm} signed up" for nm, ro, stt in zip(s["name"], s["role"], s["status"])]
        self.insert(AuditEvent, dict(id=self.ids(AuditEvent, len(s["uid"])), actor_id=s["uid"], actor_role=s["role"],
                                     action="user.signup", target_type="user", target_id=s["uid"], summary=summary,
                                     created_at=self.ts(s["created"])))


def seed(engine: Engine, scale: str = "demo", rng_seed: int = 42, now: datetime | None = None,
         *, log=None) -> dict:
    """Fill an empty, migrated database. Returns {"counts": {table: rows}, "logins": [...], "seconds": s}.

    logins: (email, role, status, name) of the memorable demo accounts; all use DEMO_PASSWORD.
    """
    sc = SCALES[_scale_key(scale)]
    now = now or utcnow()
    if now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    log = log or (lambda _m: None)
    t0 = time.perf_counter()
    pw_hash = hash_password(DEMO_PASSWORD)
    with engine.begin() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB page cache for this load only
        s = _Seeder(conn, sc, rng_seed, now, log)
        s.users(pw_hash)
        s.campaigns()
        s.requests()
        s.payments()
        s.deliverables()
        s.metrics()
        s.notifications_and_audit()
        if not sqlite:
            for m in TABLES:
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('\"{m.__tablename__}\"', 'id'), "
                                     f"(SELECT MAX(id) FROM \"{m.__tablename__}\"))")
    with engine.connect() as conn:  # planner statistics for the freshly loaded tables
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return {"counts": s.counts, "logins": s.logins, "seconds": round(time.perf_counter() - t0, 1)}


def _scale_key(scale: str) -> str:
    key = {"demo": "demo", "s": "S", "l": "L"}.get(scale.strip().lower())
    if key is None:
        raise ValueError(f"unknown scale {scale!r}: use demo, S or L")
    return key


def format_report(result: dict) -> str:
    lines = ["Rows inserted:"] + [f"  {t:<17} {n:>10,}" for t, n in result["counts"].items()]
    lines += [f"  {'total':<17} {sum(result['counts'].values()):>10,}", f"Time: {result['seconds']:.1f}s", "",
              f"Demo logins (password for every seeded user: {DEMO_PASSWORD}):"]
    lines += [f"  {e:<44} {ro:<11} {st:<8} {nm}" for e, ro, st, nm in result["logins"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy.orm import Session

    from brandifiers.config import get_settings
    from brandifiers.db import get_engine

    ap = argparse.ArgumentParser(prog="python -m brandifiers.seed", description=__doc__.split("\n")[0])
    ap.add_argument("--scale", default="demo", type=_scale_key, help="demo (default), S (10x demo) or L (benchmark)")
    ap.add_argument("--db-url", default=None, help="SQLAlchemy URL (default: REFLEX_DB_URL or sqlite:///brandifiers.db)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (same seed, same data)")
    args = ap.parse_args(argv)
    engine = get_engine(args.db_url or get_settings().db_url)
    if not sa.inspect(engine).has_table("user"):
        print("The database has no tables yet: run the migrations first (reflex db migrate).", file=sys.stderr)
        return 1
    with Session(engine) as session:
        if not is_empty(session):
            print("The database already has sponsors or influencers: not seeding.")
            return 0
    print(f"Seeding scale {args.scale} (seed {args.seed}) into {engine.url.render_as_string(hide_password=True)} ...")
    print(format_report(seed(engine, args.scale, args.seed, log=print)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

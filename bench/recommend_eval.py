"""Offline evaluation of the recommendation model on a time-based split (train on deals accepted and
completed before a day, test on deals accepted after it) beside the rule fit score, the reported
engagement rate and followers; plus the full training's time and peak RSS. Figures: bench/README.md.

    .venv/bin/python bench/recommend_eval.py --db sqlite:////tmp/i21/s.db [--split-share 0.25]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from brandifiers.db import get_engine
from brandifiers.models import CATEGORIES
from brandifiers.services.discovery.fit import FitCampaign, rank_points
from brandifiers.services.recommend import features as fe
from brandifiers.services.recommend import model as M

K = 10
MIN_POOL = 20  # a campaign is ranked over at least this many candidates with a test outcome


def ndcg_precision(score: np.ndarray, relevance: np.ndarray) -> tuple[float, float]:
    """NDCG@K with the realised engagement rate as the gain, and precision@K of the true top K."""
    order = np.argsort(-score, kind="stable")[:K]
    ideal = np.argsort(-relevance, kind="stable")[:K]
    disc = 1 / np.log2(np.arange(2, K + 2))
    ndcg = float((relevance[order] * disc[:len(order)]).sum() / (relevance[ideal] * disc[:len(ideal)]).sum())
    return ndcg, len(set(order.tolist()) & set(ideal.tolist())) / K


def evaluate(session: Session, split_share: float, seed: int, max_campaigns: int) -> dict:
    t0 = time.perf_counter()
    h = fe.load_history(session)
    frame = fe.training_frame(session, history=h)
    o, X, day = frame.outcome, frame.X, frame.day
    has = ~np.isnan(o["er"])
    split = int(np.quantile(day[has], 1 - split_share))
    done_day = np.nan_to_num(h.deal["completed"], nan=np.inf)
    train = (day < split) & (done_day < split)
    test = has & (day >= split)
    settled = train & ((o["completed"] == 1) | (np.nan_to_num(o["due"], nan=split) < split))
    t1 = time.perf_counter()
    m, _ = M.fit(X[train], day[train], np.where(train, o["er"], np.nan)[train], settled[train],
                 o["completed"][train], seed=seed)
    fit_s = time.perf_counter() - t1
    value, *_ = m.predict(X[test])
    y = o["er"][test]
    train_mean = float(np.nanmean(o["er"][train]))
    mae = dict(model=np.mean(np.abs(value - y)), reported=np.mean(np.abs(X[test, fe.F["reported_er"]] - y)),
               mean=np.mean(np.abs(train_mean - y)))
    # ranking: per test campaign, the influencers with a test-period outcome in its category
    profiles = fe.load_profiles(session)
    cat = X[:, fe.F["category"]].astype(int)
    perf: dict[int, dict[int, list[float]]] = {}
    for k in np.nonzero(test)[0]:
        perf.setdefault(cat[k], {}).setdefault(int(frame.influencer[k]), []).append(float(o["er"][k]))
    pools = {c: (np.array(sorted(d)), np.array([np.mean(d[i]) for i in sorted(d)])) for c, d in perf.items()}
    hist = {c: fe.history_features(h, ids, np.full(len(ids), split), np.full(len(ids), c))
            for c, (ids, _) in pools.items()}
    medians = {CATEGORIES[c]: float(np.median(profiles["er"][profiles["category"] == c]))
               for c in range(len(CATEGORIES)) if (profiles["category"] == c).any()}
    camp_rows = {}
    for k in np.nonzero(test)[0]:
        camp_rows.setdefault(int(o["campaign"][k]), k)
    campaigns = [c for c in sorted(camp_rows) if len(pools.get(cat[camp_rows[c]], ((), ()))[0]) >= MIN_POOL]
    rng = np.random.default_rng(seed)
    if len(campaigns) > max_campaigns:
        campaigns = sorted(rng.choice(campaigns, max_campaigns, replace=False).tolist())
    scores: dict[str, list[tuple[float, float]]] = {"model": [], "fit score": [], "reported ER": [], "followers": []}
    for cid in campaigns:
        k = camp_rows[cid]
        c = cat[k]
        ids, rel = pools[c]
        idx = fe._index(profiles["user"], ids)
        budget = float(h.deal["budget"][k])
        price = np.where(idx >= 0, profiles["price"][np.maximum(idx, 0)], np.nan)
        Xc = fe._rows(profiles, idx, category=np.full(len(ids), c), niche=np.full(len(ids), h.deal["niche"][k]),
                      budget=np.full(len(ids), budget), price=price,
                      duration=np.full(len(ids), X[k, fe.F["duration_days"]]),
                      targets=np.full(len(ids), X[k, fe.F["has_targets"]]), hist=hist[c])
        v, _, _, p = m.predict(Xc)
        fit_rows = [(int(u), CATEGORIES[profiles["category"][i]] if profiles["category"][i] >= 0 else "",
                     profiles["niche"][i], int(profiles["followers"][i]), float(profiles["er"][i]),
                     None if np.isnan(profiles["price"][i]) else int(profiles["price"][i]),
                     int(hist[c]["past_accepted"][j]), int(hist[c]["past_completed"][j]))
                    for j, (u, i) in enumerate(zip(ids, idx))]
        fit = rank_points(FitCampaign(CATEGORIES[c], h.deal["niche"][k] or None, int(budget)), fit_rows, medians)
        for name, s in (("model", v * p), ("fit score", np.array([fit[int(u)] + 1e-6 * j for j, u in enumerate(ids)])),
                        ("reported ER", profiles["er"][idx]), ("followers", profiles["followers"][idx])):
            scores[name].append(ndcg_precision(np.asarray(s, float), rel))
    return dict(split=(fe.EPOCH + timedelta(days=split)).isoformat(), train_rows=int((train & has).sum()),
                test_rows=int(test.sum()), campaigns=len(campaigns), mae=mae, fit_seconds=fit_s,
                frame_seconds=t1 - t0, ranking={n: np.mean(v, axis=0) if v else (np.nan, np.nan)
                                                 for n, v in scores.items()})


def train_child(db: str) -> None:
    """The full training as the nightly job runs it (no store), in this process."""
    from brandifiers.config import get_settings
    from brandifiers.services.recommend import training
    with Session(get_engine(db)) as s:
        m = training.train(s, now=datetime.now(), settings=get_settings())
    print(m.meta["rows"], m.meta["seconds"])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--split-share", type=float, default=0.25, help="share of outcomes in the test period")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-campaigns", type=int, default=300)
    ap.add_argument("--train-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.train_only:
        train_child(args.db)
        return 0
    t = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--db", args.db, "--train-only"], capture_output=True,
                         text=True, check=True).stdout.split()
    wall = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"Full training: {out[0]} rows, {out[1]} s in train(), {wall:.1f} s with start-up, peak RSS {rss:.0f} MiB")
    with Session(get_engine(args.db)) as s:
        r = evaluate(s, args.split_share, args.seed, args.max_campaigns)
    print(f"Split {r['split']}: {r['train_rows']} training outcomes, {r['test_rows']} test outcomes, "
          f"{r['campaigns']} test campaigns ranked; frame {r['frame_seconds']:.1f} s, fit {r['fit_seconds']:.1f} s")
    mae = {"model": r["mae"]["model"], "reported ER": r["mae"]["reported"]}
    print(f"\n| ranking by | MAE of the engagement rate | NDCG@{K} | precision@{K} |\n|---|---:|---:|---:|")
    for name, (ndcg, prec) in r["ranking"].items():
        err = f"{mae[name] * 100:.2f} pp" if name in mae else "-"
        print(f"| {name} | {err} | {ndcg:.3f} | {prec:.3f} |")
    print(f"| (training mean) | {r['mae']['mean'] * 100:.2f} pp | - | - |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Model versions on disk (BRANDIFIERS_MODEL_DIR): `<version>.npz` (boosters and arrays) with a sidecar
`<version>.json` (training date, rows, metrics, features) and a `current` pointer replaced atomically
after a successful training. Loaded once per process, again when the pointer changes."""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path

import numpy as np

from brandifiers.config import get_settings
from brandifiers.services.recommend import model as M

POINTER = "current"
_VERSION = re.compile(r"^v(\d{6})$")
_lock = threading.Lock()
_loaded: dict[str, tuple[str, M.Model]] = {}  # model dir -> (version, model)


def model_dir(path: str | os.PathLike | None = None) -> Path:
    return Path(path or get_settings().model_dir)


def versions(path=None) -> list[str]:
    """The stored versions, oldest first."""
    d = model_dir(path)
    found = [p.stem for p in d.glob("v*.json") if _VERSION.match(p.stem)] if d.is_dir() else []
    return sorted(found)


def current_version(path=None) -> str | None:
    try:
        version = (model_dir(path) / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    return version if _VERSION.match(version) else None


def _write_atomically(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)


def save(m: M.Model, path=None) -> str:
    """Write a new version (never overwriting one) and only then point `current` at it."""
    d = model_dir(path)
    d.mkdir(parents=True, exist_ok=True)
    er, complete = M.to_strings(m)
    arrays = dict(er=np.array(er), complete=np.array(complete), medians=m.medians,
                  low_high=np.array(m.low_high), base_complete=np.array(m.base_complete),
                  **{f"history_{k}": v for k, v in m.history.items()})
    with _lock:
        n = int(versions(d)[-1][1:]) + 1 if versions(d) else 1
        while True:
            version = f"v{n:06d}"
            try:  # the sidecar claims the version: a concurrent trainer takes the next number
                with open(d / f"{version}.json", "x") as f:
                    f.write("{}")
                break
            except FileExistsError:
                n += 1
        meta = {**m.meta, "version": version}
        tmp = d / f".{version}.npz.tmp"
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, d / f"{version}.npz")
        _write_atomically(d / f"{version}.json", json.dumps(meta, indent=2, sort_keys=True).encode())
        _write_atomically(d / POINTER, (version + "\n").encode())
    m.meta = meta
    return version


def load_version(version: str, path=None) -> M.Model:
    d = model_dir(path)
    meta = json.loads((d / f"{version}.json").read_text())
    with np.load(d / f"{version}.npz", allow_pickle=False) as z:
        er, complete = M.from_strings(str(z["er"][()]), str(z["complete"][()]))
        history = {k.removeprefix("history_"): z[k] for k in z.files if k.startswith("history_")}
        lo, hi = (float(x) for x in z["low_high"])
        return M.Model(er, complete, float(z["base_complete"][()]), (lo, hi), z["medians"], history, meta)


def current(path=None) -> M.Model | None:
    """The model `current` points at (cached per process until the pointer changes), or None."""
    d = model_dir(path)
    version = current_version(d)
    if version is None:
        return None
    key = str(d.resolve())
    cached = _loaded.get(key)
    if cached and cached[0] == version:
        return cached[1]
    with _lock:
        cached = _loaded.get(key)
        if not (cached and cached[0] == version):
            _loaded[key] = (version, load_version(version, d))
        return _loaded[key][1]

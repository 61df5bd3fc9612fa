"""Small synthetic cohorts in the clean-data schema of docs/DATA.md, for the analysis tests.

SYNTHETIC: no real person; codes are random. Improvement after the classes is built in so tests
can see it, and ~15% are lost to follow-up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hocvuso.analysis.data import from_responses, instrument_items

AGE = ["60-64", "65-69", "70-74", "75-79", "80+"]
SEX = ["nam", "nu"]
EDU = ["tieu_hoc", "thcs", "thpt", "cao_dang_dh"]
VENUES = {"CF01": ("cafe", "KP01"), "CF02": ("cafe", "KP02"), "NV01": ("nha_van_hoa", "KP03"),
          "NV02": ("nha_van_hoa", "KP04")}


def make_responses(n: int = 200, seed: int = 0, *, lost: float = 0.15, effect: float = 0.8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    items = instrument_items()
    pid = np.array([f"p_{rng.integers(0, 16**10):010x}" for _ in range(n)])
    site = rng.choice(list(VENUES), n)
    base = pd.DataFrame({
        "pid": pid, "site_code": site, "venue_type": [VENUES[s][0] for s in site],
        "khu_pho": [VENUES[s][1] for s in site], "session_code": "S001", "volunteer_code": "TNV001",
        "source": "kobo", "age_band": rng.choice(AGE, n), "sex": rng.choice(SEX, n),
        "education": rng.choice(EDU, n), "lives_alone": rng.integers(0, 2, n),
        "phone_type": rng.choice(["android", "iphone"], n), "prior_use": rng.choice(["chua", "1_3_nam"], n),
    })
    ability = rng.normal(0, 1, n)
    rows = []
    for wave in ("pre", "post"):
        keep = np.ones(n, bool) if wave == "pre" else rng.random(n) > lost
        frame = base[keep].copy()
        frame["wave"] = wave
        if wave == "post":
            for col in ("age_band", "sex", "education", "lives_alone", "phone_type", "prior_use"):
                frame[col] = pd.NA
        shift = effect if wave == "post" else 0.0
        for it in items:
            lat = ability[keep] + shift + rng.normal(0, 0.8, keep.sum())
            span = it.hi - it.lo
            val = np.clip(np.rint(it.lo + span / 2 + lat * span / 4), it.lo, it.hi)
            if it.reverse:
                val = it.lo + it.hi - val
            val = val.astype(float)
            val[rng.random(keep.sum()) < 0.03] = np.nan
            if wave not in it.waves:
                val[:] = np.nan
            frame[it.id] = val
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def make_data(n: int = 200, seed: int = 0, **kw):
    return from_responses(make_responses(n, seed, **kw))

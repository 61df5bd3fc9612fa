"""A SYNTHETIC pre/post cohort (no real person) written as KoboToolbox and ODK Central exports.

:func:`synthetic_cohort` draws residents of Bình Thạnh classes (several venues: cafés,
community houses, neighbourhood meeting points, across khu phố), their pre answers, gains that
shrink with age, realistic attrition (about 40–46 % lost before the post survey, more among the
oldest and least experienced), a few post-only respondents and a few planted data errors (a
duplicated submission, an out-of-range answer, a refused consent, a missing code, a code typed in
lower case with a space, "KP7" for "KP07", identifiers in a comment). Everything is vectorised
(numpy) so the benchmark can draw a million rows.

:func:`write_kobo_csv`, :func:`write_kobo_xlsx` and :func:`write_odk_csv` write the same
submissions in each tool's export shape; :func:`demo_clean_data` writes both and ingests them.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from .instrument import Instrument, load_instrument

AGE_BANDS = ["60-64", "65-69", "70-74", "75-79", "80+"]
AGE_P = [0.30, 0.28, 0.21, 0.13, 0.08]
VENUES = [("cafe", "CF"), ("nha_van_hoa", "NV"), ("diem_sinh_hoat", "DS")]
LETTERS = np.array(list("ABCDEGHIKLMNOPQSTUVXY"))  # initials common in Vietnamese given names

#: Comment templates (post). "{name}" / "{phone}" appear only in the planted privacy errors.
COMMENTS = [
    "Các cháu dạy rất kiên nhẫn, cảm ơn nhiều.",
    "Muốn học thêm về chuyển tiền bằng mã QR.",
    "Chữ trên điện thoại nhỏ quá, khó nhìn.",
    "Lớp học vui, mong có thêm buổi nữa.",
    "Giờ tôi đã tự đăng nhập VNeID được.",
    "Nên dạy chậm hơn một chút.",
]
#: The synthetic demo's pseudonymisation secret: fixed, so demo pids are the same on every machine
#: and the demo never creates a secret in the user's config folder. Real data uses secret_key().
DEMO_SECRET = "hocvuso-synthetic-demo-only"
PLANTED_COMMENT = "Cảm ơn cô Lan nhiệt tình, có gì gọi tôi số 0912 345 678."


def _codes(rng: np.random.Generator, n: int, unique: bool) -> np.ndarray:
    """Self-generated codes: two initials + birth day + birth month, e.g. HT0512."""
    def draw(k):
        a = rng.choice(LETTERS, k)
        b = rng.choice(LETTERS, k)
        day = rng.integers(1, 29, k)
        month = rng.integers(1, 13, k)
        return np.char.add(np.char.add(a, b), np.char.add(np.char.zfill(day.astype(str), 2),
                                                          np.char.zfill(month.astype(str), 2)))
    codes = draw(n)
    if unique:
        for _ in range(50):
            dup = pd.Series(codes).duplicated().to_numpy()
            if not dup.any():
                break
            codes[dup] = draw(int(dup.sum()))
    return codes


def _ordinal(latent: np.ndarray, cuts: list[float], base: int) -> np.ndarray:
    return (np.searchsorted(np.asarray(cuts), latent) + base).astype(np.int64)


def synthetic_cohort(n: int = 600, seed: int = 2025, instrument: Instrument | None = None, *,
                     plant_errors: bool = True, missing_rate: float = 0.02) -> pd.DataFrame:
    """One row per SUBMISSION with XML values (codes) as strings; '' is a blank answer.

    Columns: every item id (``apps_used`` space-separated), plus ``_uuid`` and
    ``_submission_time`` (UTC, whole seconds). Deterministic for a given ``seed``.
    """
    inst = instrument or load_instrument()
    rng = np.random.default_rng(seed)

    # venues, sessions, volunteers
    n_sites = max(6, min(150, n // 75))  # codes CF01…DS50: at most 99 per venue type
    site_venue = np.arange(n_sites) % 3
    site_codes = np.array([f"{VENUES[v][1]}{i // 3 + 1:02d}" for i, v in enumerate(site_venue)])
    site_kp = rng.choice(53, n_sites, replace=n_sites > 53) + 1
    sessions_per_site = 3
    n_sessions = n_sites * sessions_per_site

    site = rng.integers(0, n_sites, n)
    session = site * sessions_per_site + rng.integers(0, sessions_per_site, n)
    volunteer = site * 2 + rng.integers(0, 2, n)

    age = rng.choice(5, n, p=AGE_P)
    sex = rng.choice(np.array(["nam", "nu", "khac"]), n, p=[0.40, 0.58, 0.02])
    edu = rng.choice(5, n, p=[0.05, 0.25, 0.30, 0.25, 0.15])
    prior = np.clip(rng.choice(4, n, p=[0.15, 0.25, 0.35, 0.25]) - (age >= 3), 0, 3)
    lives_alone = (rng.random(n) < 0.18 + 0.04 * age).astype(int)
    phone = np.where(prior == 0, rng.choice(np.array(["pho_thong", "muon", "android"]), n, p=[0.5, 0.3, 0.2]),
                     rng.choice(np.array(["android", "iphone"]), n, p=[0.75, 0.25]))

    theta = rng.normal(0, 1, n) - 0.35 * (age - 1.5) + 0.25 * (edu - 2) + 0.35 * (prior - 1.5)
    gain = np.clip(1.25 - 0.22 * age + rng.normal(0, 0.35, n), 0, None)
    p_lost = np.clip(0.28 + 0.06 * age + 0.10 * (theta < -1) + 0.05 * (prior == 0), 0, 0.95)
    lost = rng.random(n) < p_lost
    post_only = rng.random(n) < 0.012  # joined mid-way: answered the post survey only
    lost &= ~post_only

    codes = _codes(rng, n, unique=n <= 50_000)

    # when: classes in October–November 2025, local time 8–10 h (UTC+7)
    start = pd.Timestamp("2025-10-01T01:00:00", tz="UTC")
    session_day = rng.integers(0, 35, n_sessions)
    pre_time = (start + pd.to_timedelta(session_day[session], unit="D")
                + pd.to_timedelta(rng.integers(0, 7200, n), unit="s"))
    post_time = pre_time + pd.to_timedelta(rng.integers(28, 43, n), unit="D") + pd.to_timedelta(
        rng.integers(-1800, 1800, n), unit="s")

    def item_answers(wave: str, mask: np.ndarray) -> dict[str, np.ndarray]:
        k = int(mask.sum())
        th = theta[mask] + (gain[mask] if wave == "post" else 0)
        out: dict[str, np.ndarray] = {}
        for it in inst.items_for(wave):
            noise = rng.normal(0, 0.8, k)
            if it.type in ("ease5", "retro5"):
                shift = -0.25 if it.type == "retro5" else 0.0  # response shift: "then" rated lower
                difficulty = (zlib.crc32(it.id.encode()) % 7 - 3) * 0.15
                vals = _ordinal(th + shift - difficulty + noise, [-1.6, -0.7, 0.2, 1.1], 1)
                if it.type == "retro5":
                    vals = _ordinal(theta[mask] + shift - difficulty + noise, [-1.6, -0.7, 0.2, 1.1], 1)
            elif it.type == "observed3":
                vals = _ordinal(th + noise, [-0.6, 0.7], 0)
            elif it.type == "confidence5":
                vals = _ordinal(0.6 * th + noise, [-1.5, -0.6, 0.3, 1.2], 1)
            elif it.type == "anxiety5":
                vals = _ordinal(-0.5 * th + noise, [-1.3, -0.4, 0.5, 1.4], 1)
            elif it.type == "satisfaction5":
                vals = _ordinal(1.2 + 0.3 * th + noise, [-1.5, -0.8, 0.2, 1.0], 1)
            elif it.type == "intention5":
                vals = _ordinal(0.8 + 0.4 * th + noise, [-1.5, -0.6, 0.3, 1.1], 1)
            elif it.type == "knowledge":
                p = 1 / (1 + np.exp(-(0.9 * th + 0.2 + noise * 0.3)))
                right = rng.random(k) < p
                wrong = rng.choice(np.array([str(c.code) for c in it.choices if str(c.code) != it.correct]), k)
                out[it.id] = np.where(right, it.correct, wrong).astype(object)
                continue
            else:
                continue
            out[it.id] = vals.astype(str).astype(object)
            blank = rng.random(k) < missing_rate
            out[it.id][blank] = ""
        return out

    frames = []
    for wave, mask, when in (("pre", ~post_only, pre_time), ("post", ~lost, post_time)):
        idx = np.flatnonzero(mask)
        k = len(idx)
        rec: dict[str, np.ndarray] = {
            "wave": np.full(k, wave, dtype=object),
            "site_code": site_codes[site[idx]].astype(object),
            "venue_type": np.array([VENUES[v][0] for v in range(3)], dtype=object)[site_venue[site[idx]]],
            "khu_pho": np.char.add("KP", np.char.zfill(site_kp[site[idx]].astype(str), 2)).astype(object),
            "session_code": np.char.add("S", np.char.zfill((session[idx] + 1).astype(str), 3)).astype(object),
            "volunteer_code": np.char.add("TNV", np.char.zfill((volunteer[idx] + 1).astype(str), 3)).astype(object),
            "consent": np.full(k, "1", dtype=object),
            "participant_code": codes[idx].astype(object),
        }
        if wave == "pre":
            rec["age_band"] = np.array(AGE_BANDS, dtype=object)[age[idx]]
            rec["sex"] = sex[idx].astype(object)
            rec["education"] = np.array(["khong", "tieu_hoc", "thcs", "thpt", "cao_dang_dh"], dtype=object)[edu[idx]]
            rec["lives_alone"] = lives_alone[idx].astype(str).astype(object)
            rec["phone_type"] = phone[idx].astype(object)
            rec["prior_use"] = np.array(["chua", "duoi_1_nam", "1_3_nam", "tren_3_nam"], dtype=object)[prior[idx]]
            apps = np.full(k, "", dtype=object)
            has_smart = prior[idx] > 0
            for app, p in (("zalo", 0.85), ("facebook", 0.55), ("youtube", 0.6), ("ngan_hang", 0.3), ("vneid", 0.25)):
                use = has_smart & (rng.random(k) < p)
                apps = np.where(use, np.where(apps == "", app, apps + " " + app), apps)
            apps = np.where(apps == "", "khong_co", apps)
            rec["apps_used"] = apps.astype(object)
        rec.update(item_answers(wave, mask))
        if wave == "post":
            comment = np.full(k, "", dtype=object)
            says = rng.random(k) < 0.15
            comment[says] = np.array(COMMENTS, dtype=object)[rng.integers(0, len(COMMENTS), int(says.sum()))]
            rec["comment"] = comment
        rec["_submission_time"] = when[idx]
        frames.append(pd.DataFrame(rec))
    df = pd.concat(frames, ignore_index=True)
    cols = [c for it in inst.items for c in ([it.id] if it.id in df.columns else [])]
    df = df[cols + ["_submission_time"]].fillna("")
    for col in cols:
        df[col] = df[col].astype(object)
    u = rng.integers(0, 2**63, (len(df), 2), dtype=np.int64)
    df["_uuid"] = [f"{a:016x}-{b:016x}"[:36] for a, b in u] if len(df) < 200_000 else _fast_uuids(u)

    if plant_errors and len(df) > 20:
        df = _plant_errors(df, rng)
    df = df.sort_values("_submission_time", kind="stable").reset_index(drop=True)
    return df


def _fast_uuids(u: np.ndarray) -> np.ndarray:
    hexa = np.char.zfill(np.char.mod("%x", u[:, 0].astype(np.uint64)), 16)
    hexb = np.char.zfill(np.char.mod("%x", u[:, 1].astype(np.uint64)), 16)
    return np.char.add(np.char.add(hexa, "-"), hexb).astype(object)


def _plant_errors(df: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A few realistic mistakes the ingest must catch, repair or mask (documented in DATA.md)."""
    df = df.copy()
    pre = np.flatnonzero(df["wave"].to_numpy() == "pre")
    post = np.flatnonzero(df["wave"].to_numpy() == "post")
    picks = rng.choice(pre, 5, replace=False)
    # 1. a submission sent twice (new uuid, three minutes later): a duplicate
    dup = df.iloc[[picks[0]]].copy()
    dup["_submission_time"] = dup["_submission_time"] + pd.Timedelta(minutes=3)
    dup["_uuid"] = "dup-" + dup["_uuid"].astype(str)
    # 2. an answer out of range (7 on a 1-5 scale): quarantined
    df.loc[picks[1], "ease_qr_scan"] = "7"
    # 3. consent refused: quarantined, not analysed
    df.loc[picks[2], "consent"] = "0"
    # 4. the code typed in lower case with a space: repaired to the same pid
    df.loc[picks[3], "participant_code"] = df.loc[picks[3], "participant_code"][:2].lower() + " " + \
        df.loc[picks[3], "participant_code"][2:]
    # 5. "KP7" instead of "KP07": repaired
    df.loc[picks[4], "khu_pho"] = "KP" + str(int(df.loc[picks[4], "khu_pho"][2:]))
    # 6. a missing participant code on a post form: quarantined
    df.loc[post[0], "participant_code"] = ""
    # 7. a name and a phone number in a comment: masked
    df.loc[post[1], "comment"] = PLANTED_COMMENT
    return pd.concat([df, dup], ignore_index=True)


# ── export writers ─────────────────────────────────────────────────────────────────────────


def _group(inst: Instrument, item_id: str) -> str:
    return f"grp_{inst.item(item_id).section}"


def kobo_frame(df: pd.DataFrame, inst: Instrument | None = None, *, labels: bool = False,
               split_multiple: bool = True) -> pd.DataFrame:
    """The submissions as a KoboToolbox export ("XML values and headers", groups joined with '/').

    ``labels=True`` gives a label export: "group label/question label" headers in Vietnamese and
    choice labels as values.
    """
    inst = inst or load_instrument()
    out: dict[str, object] = {}
    t = pd.to_datetime(df["_submission_time"], utc=True)
    out["start"] = (t - pd.Timedelta(minutes=25)).dt.strftime("%Y-%m-%dT%H:%M:%S.000+07:00")
    out["end"] = (t - pd.Timedelta(minutes=1)).dt.strftime("%Y-%m-%dT%H:%M:%S.000+07:00")
    for it in inst.items:
        if it.id not in df.columns:
            continue
        head = f"{_group(inst, it.id)}/{it.id}" if not labels else f"{inst.sections[it.section][0]}/{it.text_vi}"
        values = df[it.id].astype(str)
        if labels and it.choices:
            lab = {str(c.code): c.vi for c in it.choices}
            if it.type == "multi":
                values = values.map(lambda v, lab=lab: " ".join(lab.get(x, x) for x in v.split()))
            else:
                values = values.map(lambda v, lab=lab: lab.get(v, v))
        out[head] = values.to_numpy()
        if it.type == "multi" and split_multiple:
            tokens = df[it.id].astype(str).str.split()
            for c in it.choices:
                col = f"{head}/{c.code}" if not labels else f"{head}/{c.vi}"
                out[col] = tokens.map(lambda xs, code=str(c.code): "" if not xs else ("1" if code in xs else "0")).to_numpy()
    n = len(df)
    out["_id"] = np.arange(1, n + 1) + 41_000_000
    out["_uuid"] = df["_uuid"].to_numpy()
    out["_submission_time"] = t.dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy()
    out["_validation_status"] = ""
    out["_notes"] = ""
    out["_status"] = "submitted_via_web"
    out["_submitted_by"] = ""
    out["__version__"] = "vSyntheticDemo1"
    out["_tags"] = ""
    out["_index"] = np.arange(1, n + 1)
    return pd.DataFrame(out)


def odk_frame(df: pd.DataFrame, inst: Instrument | None = None) -> pd.DataFrame:
    """The submissions as an ODK Central CSV export (groups joined with '-', meta columns)."""
    inst = inst or load_instrument()
    t = pd.to_datetime(df["_submission_time"], utc=True)
    out: dict[str, object] = {"SubmissionDate": t.dt.strftime("%Y-%m-%dT%H:%M:%S.000Z").to_numpy()}
    out["start"] = (t - pd.Timedelta(minutes=25)).dt.strftime("%Y-%m-%dT%H:%M:%S.000+07:00").to_numpy()
    out["end"] = (t - pd.Timedelta(minutes=1)).dt.strftime("%Y-%m-%dT%H:%M:%S.000+07:00").to_numpy()
    for it in inst.items:
        if it.id in df.columns:
            out[f"{_group(inst, it.id)}-{it.id}"] = df[it.id].astype(str).to_numpy()
    iid = ("uuid:" + df["_uuid"].astype(str)).to_numpy()
    out["meta-instanceID"] = iid
    out["KEY"] = iid
    out["SubmitterID"] = 7
    out["SubmitterName"] = "synthetic-collector"
    out["AttachmentsPresent"] = 0
    out["AttachmentsExpected"] = 0
    out["Status"] = ""
    out["ReviewState"] = ""
    out["DeviceID"] = "collect:SYNTHETIC"
    out["Edits"] = 0
    out["FormVersion"] = "2025100101"
    return pd.DataFrame(out)


def _write_csv(frame: pd.DataFrame, path: Path, sep: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if encoding == "utf-8" and len(frame) > 50_000:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        table = pa.Table.from_pandas(frame.astype(str), preserve_index=False)
        pacsv.write_csv(table, path, pacsv.WriteOptions(delimiter=sep, quoting_style="needed"))
    else:
        frame.to_csv(path, sep=sep, index=False, encoding=encoding)
    return path


def write_kobo_csv(df: pd.DataFrame, path: Path, inst: Instrument | None = None, *, sep: str = ";",
                   labels: bool = False, encoding: str = "utf-8") -> Path:
    return _write_csv(kobo_frame(df, inst, labels=labels), Path(path), sep, encoding)


def write_kobo_xlsx(df: pd.DataFrame, path: Path, inst: Instrument | None = None, *, labels: bool = False) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    kobo_frame(df, inst, labels=labels).to_excel(path, index=False, sheet_name="hocvuso-pre-post")
    return path


def write_odk_csv(df: pd.DataFrame, path: Path, inst: Instrument | None = None, *, encoding: str = "utf-8") -> Path:
    return _write_csv(odk_frame(df, inst), Path(path), ",", encoding)


def write_demo_exports(folder: Path, n: int = 600, seed: int = 2025) -> dict[str, Path]:
    """The demo cohort split by venue: cafés and meeting points report through KoboToolbox,
    community houses through ODK Central (file names say synthetic)."""
    inst = load_instrument()
    df = synthetic_cohort(n, seed, inst)
    on_odk = df["site_code"].str.startswith("NV").to_numpy()
    folder = Path(folder)
    return {
        "kobo": write_kobo_csv(df[~on_odk], folder / "kobo_synthetic_hocvuso-pre-post.csv", inst),
        "odk": write_odk_csv(df[on_odk], folder / "odk_synthetic_hocvuso-pre-post.csv", inst),
    }


def demo_clean_data(out_dir: str | Path, n: int = 600, seed: int = 2025, *, quiet: bool = True) -> Path:
    """Write the synthetic Kobo + ODK exports under ``out_dir/exports`` and ingest them.

    Returns ``out_dir/clean`` (see docs/DATA.md). Deterministic for a given seed and secret.
    """
    from .ingest import ingest

    out_dir = Path(out_dir)
    files = write_demo_exports(out_dir / "exports", n=n, seed=seed)
    return ingest(list(files.values()), out_dir, quiet=quiet, secret=DEMO_SECRET)

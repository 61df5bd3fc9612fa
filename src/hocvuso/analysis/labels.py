"""Bilingual labels for the report (Vietnamese first; Unicode NFC)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

LANGS = ("vi", "en")

TEXT: dict[str, tuple[str, str]] = {
    # subscales
    "device_basics": ("Thao tác cơ bản", "Device basics"),
    "apps": ("Ứng dụng", "Apps"),
    "qr_codes": ("Mã QR", "QR codes"),
    "vneid": ("VNeID", "VNeID"),
    "public_services": ("Dịch vụ công", "Public services"),
    "passwords": ("Mật khẩu", "Passwords"),
    "scams_safety": ("Phòng tránh lừa đảo", "Scams and safety"),
    "communication": ("Liên lạc", "Communication"),
    "ease_total": ("Mức dễ dàng (tổng)", "Ease (total)"),
    "confidence": ("Sự tự tin", "Confidence"),
    "knowledge": ("Kiến thức chống lừa đảo", "Scam knowledge"),
    "observed": ("Quan sát thực hành", "Observed tasks"),
    # subgroup variables
    "all": ("Tất cả", "All"),
    "age_band": ("Nhóm tuổi", "Age band"),
    "sex": ("Giới tính", "Sex"),
    "education": ("Học vấn", "Education"),
    "venue_type": ("Loại địa điểm", "Venue type"),
    "khu_pho": ("Khu phố", "Khu phố (neighbourhood)"),
    "lives_alone": ("Sống một mình", "Lives alone"),
    "phone_type": ("Loại điện thoại", "Phone type"),
    "prior_use": ("Thời gian đã dùng điện thoại thông minh", "Smartphone experience"),
    # flow
    "flow_pre": ("Trả lời phiếu trước khóa học", "Answered the pre survey"),
    "flow_matched": ("Trả lời cả hai phiếu (được phân tích)", "Answered both surveys (analysed)"),
    "flow_pre_only": ("Mất theo dõi (không có phiếu sau)", "Lost to follow-up (no post survey)"),
    "flow_post_only": ("Chỉ có phiếu sau (không ghép được)", "Post survey only (not matched)"),
    "flow_quarantined": ("Dòng bị loại khi kiểm tra", "Rows rejected by validation"),
    "flow_duplicates": ("Dòng trùng đã bỏ", "Duplicate rows removed"),
    "flow_rows_read": ("Dòng dữ liệu đã đọc", "Data rows read"),
    "flow_post": ("Trả lời phiếu sau khóa học", "Answered the post survey"),
    # table headings
    "characteristic": ("Đặc điểm", "Characteristic"),
    "level": ("Mức", "Level"),
    "completers": ("Hoàn thành", "Completers"),
    "lost": ("Mất theo dõi", "Lost to follow-up"),
    "smd": ("Chênh lệch chuẩn hóa", "Standardised difference"),
    "item": ("Câu hỏi", "Item"),
    "outcome": ("Kết quả đo", "Outcome"),
    "n": ("n", "n"),
    "pre": ("Trước", "Before"),
    "post": ("Sau", "After"),
    "change": ("Thay đổi (KTC 95%)", "Change (95% CI)"),
    "p_adj": ("p (Holm)", "p (Holm)"),
    "p": ("p", "p"),
    "d_z": ("d_z", "d_z"),
    "g_av": ("g_av", "g_av"),
    "wilcoxon_p": ("p Wilcoxon", "Wilcoxon p"),
    "rank_biserial": ("r hạng", "rank-biserial r"),
    "note": ("Ghi chú", "Note"),
    "alpha": ("Cronbach α (KTC 95%)", "Cronbach's α (95% CI)"),
    "items_k": ("Số câu", "Items"),
    "subgroup": ("Phân nhóm", "Subgroup"),
    "interaction_p": ("p tương tác", "Interaction p"),
    "estimate": ("Ước lượng (KTC 95%)", "Estimate (95% CI)"),
    "complete_case": ("Chỉ các cặp đủ (KTC 95%)", "Complete pairs (95% CI)"),
    "mixed_all": ("Mô hình hỗn hợp, mọi dữ liệu (KTC 95%)", "Mixed model, all data (95% CI)"),
    "n_obs": ("Số phiếu", "Responses"),
    "n_people": ("Số người", "People"),
    "n_venues": ("Số địa điểm", "Venues"),
    "missing": ("Không rõ", "Missing"),
    "suppressed": ("<5", "<5"),
    "no_result": ("không tính được", "not computable"),
    "mean_sd": ("trung bình (ĐLC)", "mean (SD)"),
    "n_pct": ("n (%)", "n (%)"),
}


def t(key: str, lang: str = "vi") -> str:
    """The label of ``key`` in ``lang`` (the key itself when unknown)."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    return unicodedata.normalize("NFC", pair[0] if lang == "vi" else pair[1])


@lru_cache(maxsize=1)
def _choice_labels() -> dict[str, dict[str, tuple[str, str]]]:
    try:
        from ..surveys import load_instrument

        inst = load_instrument()
    except Exception:
        return {}
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for it in inst.items:
        if it.choices:
            out[it.id] = {str(c.code): (c.vi, c.en) for c in it.choices}
    return out


def level_label(variable: str, code, lang: str = "vi") -> str:
    """A demographic code (e.g. ``sex = "nu"``) as words, from the instrument's choices."""
    if variable == "all":
        return t("all", lang)
    code_s = str(code)
    if code_s.endswith(".0"):
        code_s = code_s[:-2]
    pair = _choice_labels().get(variable, {}).get(code_s)
    if pair is None:
        return code_s
    return unicodedata.normalize("NFC", pair[0] if lang == "vi" else pair[1])


def level_order(variable: str, values) -> list[str]:
    """The distinct values in the instrument's choice order (unknown values after, sorted)."""
    present = {str(v)[:-2] if str(v).endswith(".0") else str(v) for v in values}
    known = [c for c in _choice_labels().get(variable, {}) if c in present]
    return known + sorted(present - set(known))

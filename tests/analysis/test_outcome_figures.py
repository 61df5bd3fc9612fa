"""Do the report figures draw, in both languages, with Vietnamese glyphs and no small groups?"""

from __future__ import annotations

import warnings

import matplotlib
import pytest
from cohort_factory import make_data

from hocvuso.analysis import figures as F
from hocvuso.analysis import tables as T

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def data():
    return make_data(150, seed=8)


def _texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_figure_draws_in_both_languages_without_missing_glyphs(data, lang):
    table = T.change_by_subscale(data)
    figs = [F.flow_diagram(data.flow, lang), F.likert_bars(data, lang=lang),
            F.dumbbell(table, lang), F.forest(table, lang)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would be raised here
        for fig in figs:
            fig.canvas.draw()
    text = " ".join(_texts(f) for f in figs)
    if lang == "vi":
        assert "Trả lời cả hai phiếu" in text and "Trước" in text
    else:
        assert "Answered both surveys" in text and "Before" in text
    assert F.FONT in matplotlib.rcParams["font.family"] or F.STYLE["font.family"] == "DejaVu Sans"


def test_flow_diagram_hides_counts_below_five(data):
    flow = dict(data.flow, post_only=3)
    text = _texts(F.flow_diagram(flow, "vi"))
    assert "n = <5" in text and f"n = {data.flow['matched']}" in text


def test_forest_leaves_out_outcomes_with_fewer_than_five_pairs(data):
    table = T.change_by_subscale(data).copy()
    table.loc[0, "n"] = 3
    text = _texts(F.forest(table, "en"))
    assert "Ease (total)" not in text and "Confidence" in text


def test_empty_input_draws_a_stated_result():
    import pandas as pd

    empty = pd.DataFrame(columns=["item", "n", "mean_diff", "mean_pre", "mean_post", "d_z", "d_z_ci_low",
                                  "d_z_ci_high"])
    assert "không tính được" in _texts(F.forest(empty, "vi"))

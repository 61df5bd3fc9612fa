"""Surveys: instrument → forms (XLSForm, paper, codebook); exports → clean, private, matched data.

Public entry points:

* :func:`load_instrument` — the instrument YAML as an :class:`Instrument`;
* :func:`ingest` — Kobo / ODK / data-entry files → ``<out>/clean/`` (see docs/DATA.md);
* :func:`demo_clean_data` — synthetic Kobo + ODK exports, ingested; returns the clean folder;
* :mod:`hocvuso.surveys.scoring` — subscale scores with reverse keying.
"""

from __future__ import annotations

from .instrument import Instrument, Item, load_instrument

__all__ = ["Instrument", "Item", "load_instrument", "demo_clean_data", "ingest"]


def __getattr__(name):  # lazy: keep `import hocvuso.surveys` light
    if name == "demo_clean_data":
        from .synthetic import demo_clean_data

        return demo_clean_data
    if name == "ingest":
        from .ingest import ingest

        return ingest
    raise AttributeError(name)

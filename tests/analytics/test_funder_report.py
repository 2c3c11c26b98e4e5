"""Charts and the funder PDF: German words, shared scales, one page, figures as readers write them."""

from __future__ import annotations

import re
from datetime import date

import pytest

pytest.importorskip("matplotlib", reason="charts need the analytics extra (matplotlib)")

from kai_match.analytics.charts import draw_hires_and_trials, draw_rates, pyplot
from kai_match.analytics.funder_report import funder_report_pdf, rate_text
from kai_match.analytics.intervals import per_person, proportion
from kai_match.analytics.labels import LOCALES, label, site_name
from kai_match.insights.programme_rates import SiteFigures

ROWS = [
    {"site": site, "month": month, "german_level": "all", "trials_started": t, "hires": h}
    for site, month, t, h in (
        ("borna", "2026-01", 1, 0),
        ("borna", "2026-02", 9, 4),
        ("grimma", "2026-01", 2, 1),
        ("grimma", "2026-02", 3, None),
    )
]


def _figures() -> list[SiteFigures]:
    counts = {"participants": 40, "trials": 12, "hires": 7}
    rates = {
        "trials_per_participant": per_person(12, 40),
        "hires_per_trial": proportion(6, 11),
        "retained_3m": None,
        "retained_6m": proportion(5, 5),
    }
    return [SiteFigures("borna", counts, rates), SiteFigures("all", counts, rates)]


def test_site_panels_share_one_scale_and_speak_german() -> None:
    plt = pyplot()
    fig, axes = plt.subplots(2, 1)
    draw_hires_and_trials(list(axes), ROWS, ["borna", "grimma"], ["2026-01", "2026-02"], "de")
    assert axes[0].get_ylim() == axes[1].get_ylim() and axes[0].get_ylim()[1] >= 9
    assert [ax.get_title(loc="left") for ax in axes] == ["Borna", "Grimma"]
    legend = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert legend == ["Probearbeit begonnen", "Einstellungen"]
    assert [t.get_text() for t in axes[0].get_xticklabels()] == ["01/26", "02/26"]
    plt.close(fig)


def test_rate_panels_put_shares_on_one_percent_scale() -> None:
    plt = pyplot()
    fig, axes = plt.subplots(1, 4, sharey=True)
    draw_rates(list(axes), _figures(), "en")
    assert [ax.get_xlim() for ax in axes[1:]] == [(0.0, 100.0)] * 3
    assert axes[0].get_title() == "Trials per participant"
    assert [t.get_text() for t in axes[0].get_yticklabels()] == ["Borna", "District"]
    plt.close(fig)


def test_figures_are_written_as_readers_write_them() -> None:
    assert rate_text(proportion(22, 35), True, "de") == "63 % (46–77)"
    assert rate_text(per_person(45, 300), False, "de") == "0,15 (0,11–0,20)"
    assert rate_text(per_person(45, 300), False, "en") == "0.15 (0.11–0.20)"
    assert rate_text(None, True, "de") == "–"
    assert site_name("all", "de") == "Landkreis" and site_name("wurzen", "en") == "Wurzen"


def test_every_word_has_its_german_and_english_text() -> None:
    from babel.messages.pofile import read_po

    for lang in ("de", "en"):
        with (LOCALES / lang / "LC_MESSAGES" / "reports.po").open("rb") as po:
            catalogue = read_po(po)
        messages = [m for m in catalogue if m.id]
        assert messages and all(m.string for m in messages), lang
        for m in messages:
            assert label(m.id, lang) == (m.id if lang == "en" else m.string)
    assert label("Programme report", "de") == "Programmbericht"
    assert label("Programme report", "fr") == "Programmbericht"  # German stands behind


@pytest.mark.parametrize(("lang", "title"), [("de", "Programmbericht"), ("en", "Programme report")])
def test_the_funder_report_is_one_pdf_page(tmp_path, lang, title) -> None:
    path = funder_report_pdf(
        _figures(),
        ROWS,
        tmp_path / "report.pdf",
        start=date(2026, 1, 1),
        end=date(2026, 2, 28),
        min_cell=5,
        lang=lang,
    )
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1
    assert f"/Title ({title})".encode() in data
    period = "\ufeff2026-01-01 – 2026-02-28".encode("utf-16-be")  # PDF text string, UTF-16
    assert b"/Subject (" + period + b")" in data

"""The one-page programme report for funders, as PDF (``kai-match report --pdf FILE``).

Built from the figures of the KPI report and its rates (``insights.programme_rates``): a table
per site and for the district, the rates with their intervals, trials and hires per month, and
the definitions underneath, on one A4 page. matplotlib draws it (the charts' extra), so the
report needs nothing the charts do not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from kai_match import __version__
from kai_match.analytics.charts import RATE_LABELS, draw_hires_and_trials, draw_rates, pyplot
from kai_match.analytics.labels import label, site_name

A4_INCHES = (8.27, 11.69)
WITHHELD = "–"

__all__ = ["funder_report_pdf"]


def number(value: float, lang: str, digits: int = 0) -> str:
    """A figure as the reader writes it: decimal comma in German."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "de" else text


def rate_text(estimate: Any, percent: bool, lang: str) -> str:
    """ "63 % (46–77)" or "0,15 (0,11–0,20)"; a dash when withheld."""
    if estimate is None:
        return WITHHELD
    scale, digits = (100, 0) if percent else (1, 2)
    value, low, high = (number(x * scale, lang, digits) for x in estimate.as_tuple())
    return f"{value} % ({low}–{high})" if percent else f"{value} ({low}–{high})"


def funder_report_pdf(
    figures: Sequence[Any],
    monthly: Sequence[Mapping[str, Any]],
    path: Path,
    *,
    start: date,
    end: date,
    min_cell: int,
    lang: str = "de",
) -> Path:
    """Write the one-page report; ``figures`` from ``programme_rates``, ``monthly`` the KPI rows."""
    plt = pyplot()
    from matplotlib.backends.backend_pdf import PdfPages

    fig = plt.figure(figsize=A4_INCHES)
    grid = fig.add_gridspec(5, 4, height_ratios=[0.55, 1.5, 1.15, 1.6, 1.2], hspace=0.65)
    _heading(fig.add_subplot(grid[0, :]), start, end, lang)
    _table(fig.add_subplot(grid[1, :]), figures, lang)
    draw_rates([fig.add_subplot(grid[2, i]) for i in range(len(RATE_LABELS))], figures, lang)
    totals = _district_months(monthly)
    months = [r["month"] for r in totals]
    bars = fig.add_subplot(grid[3, :])
    draw_hires_and_trials([bars], totals, ["all"], months, lang)
    bars.set_title(label("Work trials started and hires per month, district", lang), fontsize=9)
    bars.set_title("", loc="left")  # the site's name, here said by the title
    if all(r["trials_started"] is None and r["hires"] is None for r in totals):
        bars.text(
            0.5,
            0.5,
            label("Monthly figures withheld: a site's count below 5 would show", lang),
            ha="center",
            va="center",
            transform=bars.transAxes,
            fontsize=8,
        )
    _notes(fig.add_subplot(grid[4, :]), min_cell, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {
        "Title": label("Programme report", lang),
        "Subject": f"{start.isoformat()} – {end.isoformat()}",
        "Creator": f"kai-match {__version__}",
    }
    with PdfPages(path, metadata=metadata) as pdf:
        pdf.savefig(fig)
    plt.close(fig)
    return path


def _heading(ax: Any, start: date, end: date, lang: str) -> None:
    ax.axis("off")
    ax.text(0, 0.85, label("Programme report", lang), fontsize=16, weight="bold", va="top")
    period = label("Period", lang)
    ax.text(0, 0.25, f"{period}: {_day(start, lang)} – {_day(end, lang)}", fontsize=10, va="top")


def _day(day: date, lang: str) -> str:
    return day.strftime("%d.%m.%Y") if lang == "de" else day.isoformat()


def _table(ax: Any, figures: Sequence[Any], lang: str) -> None:
    ax.axis("off")
    columns = [
        label("Participants", lang),
        label("Trials", lang),
        label("Hires", lang),
        *(label(text, lang) for text in RATE_LABELS.values()),
    ]
    cells = []
    for f in figures:
        counts = [f.counts[name] for name in ("participants", "trials", "hires")]
        rates = [rate_text(f.rates[r], r != "trials_per_participant", lang) for r in RATE_LABELS]
        cells.append([WITHHELD if c is None else str(c) for c in counts] + rates)
    table = ax.table(
        cellText=cells,
        rowLabels=[site_name(f.site, lang) for f in figures],
        colLabels=[_wrap(c) for c in columns],
        colWidths=[0.09] * 3 + [0.16] * len(RATE_LABELS),
        loc="center",
        cellLoc="center",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    table.scale(1, 1.6)
    for (row, _), cell in table.get_celld().items():
        if row == 0:
            cell.set_height(cell.get_height() * 2.6)
            cell.set_text_props(weight="bold")
        if row == len(figures):
            cell.set_text_props(weight="bold")  # the district


def _wrap(text: str, width: int = 14) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def _district_months(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Trials and hires per month over all sites; a month with a withheld site stays empty."""
    months: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["german_level"] != "all":
            continue
        total = months.setdefault(
            row["month"], {"month": row["month"], "site": "all", "trials_started": 0, "hires": 0}
        )
        for name in ("trials_started", "hires"):
            value = row[name]
            total[name] = None if value is None or total[name] is None else total[name] + value
    return list(months.values())


def _notes(ax: Any, min_cell: int, lang: str) -> None:
    ax.axis("off")
    lines = [
        label(
            "Trials: placements whose work trial began in the period. Hires per decided trial: "
            "of those trials whose outcome is known, the share that led to a job.",
            lang,
        ),
        label(
            "Still employed: of the period's hires with a follow-up recorded after 3 or 6 "
            "months, the share still in work.",
            lang,
        ),
        label(
            "Intervals: 95 %; Wilson score interval for shares, exact Poisson interval for "
            "trials per participant. Few people per site give wide intervals.",
            lang,
        ),
        label(
            "Counts below 5 and the rates built on them are withheld (–), and so is the next "
            "smallest site where the district total would give one away.",
            lang,
        )
        if min_cell > 1
        else label("Exact figures for internal use: apply --suppress before sharing.", lang),
    ]
    ax.text(
        0, 1, "\n".join(_wrap(line, 120) for line in lines), fontsize=7, va="top", linespacing=1.5
    )

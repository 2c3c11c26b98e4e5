"""Charts of the programme report, from plain rows (``kai-match report --png`` and ``--pdf``).

matplotlib is an optional extra (``pip install 'kai-match[analytics]'``): it is imported inside
each function, with the Agg backend, so neither the service nor other commands need it. Words
come from the ``reports`` catalogue (German by default); panels that are compared share one
scale, so a small site does not look like a big one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kai_match.analytics.labels import N_, label, site_name

__all__ = [
    "days_to_first_trial_chart",
    "draw_hires_and_trials",
    "draw_rates",
    "hires_and_trials_chart",
    "rates_chart",
]

# rate → its label, in the order the charts and the funder report show them
RATE_LABELS = {
    "trials_per_participant": N_("Trials per participant"),
    "hires_per_trial": N_("Hires per decided trial"),
    "retained_3m": N_("Still employed after 3 months"),
    "retained_6m": N_("Still employed after 6 months"),
}


def pyplot() -> Any:
    """matplotlib's pyplot on the file-only backend."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def _value(x: int | None) -> float:
    return math.nan if x is None else float(x)  # suppressed cells stay empty, not zero


def month_label(month: str) -> str:
    """ "2026-03" as "03/26": short enough for twelve ticks, the same in German and English."""
    year, number = month.split("-")
    return f"{number}/{year[2:]}"


def hires_and_trials_chart(
    rows: Sequence[Mapping[str, Any]], path: Path, *, lang: str = "de"
) -> Path:
    """Trials started and hires per month, one panel per site on one shared scale."""
    plt = pyplot()
    totals = [r for r in rows if r["german_level"] == "all"]
    sites = list(dict.fromkeys(r["site"] for r in totals)) or ["–"]
    months = list(dict.fromkeys(r["month"] for r in totals))
    fig, axes = plt.subplots(
        len(sites),
        1,
        figsize=(max(6, 0.6 * len(months) + 2), 2.4 * len(sites) + 0.6),
        squeeze=False,
        sharex=True,
        sharey=True,
    )
    draw_hires_and_trials([ax for ax in axes[:, 0]], totals, sites, months, lang)
    fig.suptitle(label("Work trials started and hires per site and month", lang))
    fig.tight_layout()
    return _save(plt, fig, path)


def draw_hires_and_trials(
    axes: Sequence[Any],
    totals: Sequence[Mapping[str, Any]],
    sites: Sequence[str],
    months: Sequence[str],
    lang: str,
) -> None:
    """Bars per month into one axis per site; every axis gets the same upper limit."""
    width = 0.4
    xs = range(len(months))
    series = {}
    for site in sites:
        by_month = {r["month"]: r for r in totals if r["site"] == site}
        series[site] = (
            [_value(by_month[m]["trials_started"]) if m in by_month else 0 for m in months],
            [_value(by_month[m]["hires"]) if m in by_month else 0 for m in months],
        )
    values = [v for trials, hires in series.values() for v in trials + hires if v == v]
    top = max([1.0, *values]) * 1.15
    for ax, site in zip(axes, sites, strict=True):
        trials, hires = series[site]
        ax.bar([x - width / 2 for x in xs], trials, width, label=label("trials started", lang))
        ax.bar([x + width / 2 for x in xs], hires, width, label=label("hires", lang))
        ax.set_title(site_name(site, lang), fontsize=10, loc="left")
        ax.set_ylim(0, top)
        ax.set_xticks(list(xs), [month_label(m) for m in months], fontsize=8)
        ax.yaxis.get_major_locator().set_params(integer=True)
    axes[0].legend(loc="upper right", fontsize=8)


def rates_chart(figures: Sequence[Any], path: Path, *, lang: str = "de") -> Path:
    """Each rate per site and for the district, with its 95 % interval (``programme_rates``)."""
    plt = pyplot()
    fig, axes = plt.subplots(1, len(RATE_LABELS), figsize=(12, 3.2), sharey=True)
    draw_rates(list(axes), figures, lang)
    fig.suptitle(label("Programme rates with confidence intervals (95 %)", lang))
    fig.tight_layout()
    return _save(plt, fig, path)


def draw_rates(axes: Sequence[Any], figures: Sequence[Any], lang: str) -> None:
    """One axis per rate: a point and interval per site; proportions on one 0–100 % scale."""
    names = [site_name(f.site, lang) for f in figures]
    ys = list(range(len(figures)))[::-1]
    for index, (ax, (rate, text)) in enumerate(zip(axes, RATE_LABELS.items(), strict=True)):
        percent = rate != "trials_per_participant"
        scale = 100 if percent else 1
        for y, figure in zip(ys, figures, strict=True):
            estimate = figure.rates[rate]
            if estimate is None:
                ax.text(
                    0.02,
                    y,
                    label("withheld", lang),
                    va="center",
                    fontsize=7,
                    color="0.4",
                    transform=ax.get_yaxis_transform(),
                )
                continue
            value = estimate.value * scale
            ax.errorbar(
                value,
                y,
                xerr=[[value - estimate.low * scale], [estimate.high * scale - value]],
                fmt="o",
                color="black" if figure.site == "all" else "tab:blue",
                capsize=3,
            )
        ax.set_title(_wrap_title(label(text, lang)), fontsize=8)
        ax.set_yticks(ys, names, fontsize=8)
        ax.tick_params(labelleft=index == 0)  # one column of site names for the row
        if percent:
            ax.set_xlim(0, 100)
            ax.set_xlabel("%", fontsize=8)
        else:
            ax.set_xlim(left=0)
        ax.grid(axis="x", color="0.9")


def _wrap_title(text: str, width: int = 26) -> str:
    """A long title on two lines, split at the space nearest the middle."""
    if len(text) <= width or " " not in text:
        return text
    middle = len(text) // 2
    cut = min((i for i, c in enumerate(text) if c == " "), key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1 :]


def days_to_first_trial_chart(
    days_by_level: Mapping[str, Sequence[int]], path: Path, *, lang: str = "de"
) -> Path:
    """Days from entry to the first work trial, a box per (current) German level."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    levels = [lvl for lvl, days in days_by_level.items() if days]
    if levels:
        ax.boxplot([list(days_by_level[lvl]) for lvl in levels], showmeans=True)
        ax.set_xticks(
            range(1, len(levels) + 1), [f"{lvl}\n(n={len(days_by_level[lvl])})" for lvl in levels]
        )
    else:
        ax.text(
            0.5, 0.5, label("no first work trials in the window", lang), ha="center", va="center"
        )
        ax.set_xticks([])
    ax.set_ylabel(label("days from entry", lang))
    ax.set_title(label("Days from entry to first work trial by German level", lang))
    fig.tight_layout()
    return _save(plt, fig, path)


def _save(plt: Any, fig: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path

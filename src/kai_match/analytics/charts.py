"""PNG charts of the programme report, from plain rows (``kai-match report --png``).

matplotlib is an optional extra (``pip install 'kai-match[analytics]'``): it is imported inside
each function, with the Agg backend, so neither the service nor other commands need it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["days_to_first_trial_chart", "hires_and_trials_chart"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def _value(x: int | None) -> float:
    return math.nan if x is None else float(x)  # suppressed cells stay empty, not zero


def hires_and_trials_chart(rows: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Trials started and hires per month, one panel per site (rows of level "all")."""
    plt = _pyplot()
    totals = [r for r in rows if r["german_level"] == "all"]
    sites = list(dict.fromkeys(r["site"] for r in totals)) or ["–"]
    months = list(dict.fromkeys(r["month"] for r in totals))
    fig, axes = plt.subplots(
        len(sites), 1, figsize=(max(6, 0.6 * len(months) + 2), 2.6 * len(sites)), squeeze=False
    )
    width = 0.4
    for ax, site in zip(axes[:, 0], sites, strict=True):
        by_month = {r["month"]: r for r in totals if r["site"] == site}
        xs = range(len(months))
        trials = [_value(by_month[m]["trials_started"]) if m in by_month else 0 for m in months]
        hires = [_value(by_month[m]["hires"]) if m in by_month else 0 for m in months]
        ax.bar([x - width / 2 for x in xs], trials, width, label="trials started")
        ax.bar([x + width / 2 for x in xs], hires, width, label="hires")
        ax.set_title(site)
        ax.set_ylim(0, max([1.0, *(v for v in trials + hires if v == v)]) * 1.1)
        ax.set_xticks(list(xs), months, rotation=45, ha="right", fontsize=8)
        ax.yaxis.get_major_locator().set_params(integer=True)
    axes[0, 0].legend(loc="upper left", fontsize=8)
    fig.suptitle("Work trials started and hires per site and month")
    fig.tight_layout()
    return _save(plt, fig, path)


def days_to_first_trial_chart(days_by_level: Mapping[str, Sequence[int]], path: Path) -> Path:
    """Days from entry to the first work trial, a box per (current) German level."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    levels = [lvl for lvl, days in days_by_level.items() if days]
    if levels:
        ax.boxplot([list(days_by_level[lvl]) for lvl in levels], showmeans=True)
        ax.set_xticks(
            range(1, len(levels) + 1), [f"{lvl}\n(n={len(days_by_level[lvl])})" for lvl in levels]
        )
    else:
        ax.text(0.5, 0.5, "no first work trials in the window", ha="center", va="center")
        ax.set_xticks([])
    ax.set_ylabel("days from entry")
    ax.set_title("Days from entry to first work trial by German level")
    fig.tight_layout()
    return _save(plt, fig, path)


def _save(plt: Any, fig: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path

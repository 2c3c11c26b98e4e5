"""Analyst commands: simulate, evaluate, fit, fairness, KPI report (docs/analysts.md)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from kai_match.analytics.labels import LANGUAGES
from kai_match.cli.engine import configured_engine
from kai_match.models.common import Site

ReportLanguage = StrEnum("ReportLanguage", {code: code for code in LANGUAGES})

analytics_app = typer.Typer(help="Analyst toolkit.", no_args_is_help=True)

DataDir = Annotated[
    Path | None, typer.Option("--data", help="Simulated district (from `simulate --out`)")
]
ProfileFile = Annotated[
    Path | None, typer.Option("--profile", help="Weight profile JSON (default: built-in)")
]


def _profile(path: Path | None):
    from kai_match.scoring import DEFAULT_PROFILE, WeightProfile

    return WeightProfile.from_dict(json.loads(path.read_text())) if path else DEFAULT_PROFILE


def _table(directory: Path, profile):
    from kai_match.analytics import build_pairs, read_district
    from kai_match.data.geo import CommuteEstimator
    from kai_match.data.taxonomy import related_skills

    district = read_district(directory)
    table = build_pairs(
        district.participants,
        district.vacancies,
        district.outcomes,
        profile,
        commute=CommuteEstimator(),
        related=related_skills,
        as_of=district.as_of,
        progress=True,
    )
    return district, table


def _split(table, holdout: float, seed: int):
    groups = np.random.default_rng(seed).permutation(table.n_groups)
    cut = round((1 - holdout) * len(groups))
    return table.subset(np.sort(groups[:cut])), table.subset(np.sort(groups[cut:]))


def _line(e) -> str:
    m = e.metrics
    return (
        f"{e.name:<10} NDCG@{e.k} {m['ndcg'].mean:.4f} [{m['ndcg'].low:.4f}, {m['ndcg'].high:.4f}]"
        f"  P@{e.k} {m['precision'].mean:.4f}  MRR {m['mrr'].mean:.4f}"
        f"  AUC {m['auc'].mean:.4f}  coverage {m['coverage'].mean:.4f}  (n={e.vacancies})"
    )


@analytics_app.command()
def simulate(
    participants: Annotated[int, typer.Option(min=1, help="Participants")] = 2000,
    vacancies: Annotated[int, typer.Option(min=1, help="Vacancies")] = 600,
    seed: Annotated[int, typer.Option(help="Same seed, same district")] = 0,
    out: Annotated[Path, typer.Option(help="Directory to write the CSV/JSON files into")] = Path(
        "sim"
    ),
) -> None:
    """Simulate a district with a hidden success function and outcomes drawn from it."""
    from kai_match.analytics import simulate as run
    from kai_match.analytics import write_district

    district = run(participants, vacancies, seed, progress=True)
    paths = write_district(district, out)
    typer.echo(json.dumps(district.summary(), indent=2))
    typer.echo("wrote " + ", ".join(str(p) for p in paths))


@analytics_app.command()
def evaluate(
    data: DataDir = None,
    db: Annotated[bool, typer.Option("--db", help="Use the database's placements")] = False,
    profile: ProfileFile = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Compare against this profile JSON (or 'default')")
    ] = None,
    k: Annotated[int, typer.Option(min=1)] = 10,
    oracle: Annotated[bool, typer.Option(help="Also show the hidden oracle (simulated)")] = True,
) -> None:
    """Score a profile (or two side by side) against recorded outcomes."""
    from kai_match.analytics import compare_scores, evaluate_scores, oracle_scores

    if db:
        _evaluate_db(k)
        return
    if data is None:
        raise typer.BadParameter("give --data DIR or --db")
    chosen = _profile(profile)
    district, table = _table(data, chosen)
    if baseline is not None:
        base = _profile(None if str(baseline) == "default" else baseline)
        _, base_table = _table(data, base)
        cmp = compare_scores(
            table,
            base_table.scores(base.weights),
            table.scores(chosen.weights),
            names=((base.name, base.version), (chosen.name, chosen.version)),
            k=k,
        )
        for e in (cmp.a, cmp.b):
            typer.echo(_line(e))
        d = cmp.difference["ndcg"]
        typer.echo(f"B − A NDCG@{k} {d.mean:+.4f} [{d.low:+.4f}, {d.high:+.4f}]")
        for m in cmp.movers[:10]:
            typer.echo(f"  moves: {asdict(m)}")
    else:
        typer.echo(
            _line(evaluate_scores(table, table.scores(chosen.weights), name=chosen.name, k=k))
        )
    if oracle:
        typer.echo(
            _line(evaluate_scores(table, oracle_scores(table, district.truth), name="oracle", k=k))
        )


def _evaluate_db(k: int) -> None:
    from sqlmodel import Session

    from kai_match.insights.evaluations import evaluate_profiles

    engine = configured_engine()
    with Session(engine) as session, session.begin():
        result = evaluate_profiles(session=session, k=k)
    typer.echo(_line(result))


@analytics_app.command()
def fit(
    data: DataDir = None,
    db: Annotated[bool, typer.Option("--db", help="Use the database's placements")] = False,
    holdout: Annotated[
        float, typer.Option(min=0.0, max=0.9, help="Share of vacancies held out")
    ] = 0.3,
    seed: Annotated[int, typer.Option(help="Seed of the hold-out split")] = 0,
    k: Annotated[int, typer.Option(min=1)] = 10,
    store: Annotated[
        str | None, typer.Option(help="--db only: store the draft under this name (inactive)")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the learned profile as JSON (for `evaluate --profile`)"),
    ] = None,
) -> None:
    """Learn non-negative weights from outcomes; report them beside default and oracle."""
    from kai_match.analytics import evaluate_scores, fit_weights, oracle_scores
    from kai_match.scoring import DEFAULT_PROFILE

    if db:
        weights = _fit_db(store, k)
        _write_profile(out, weights)
        return
    if data is None:
        raise typer.BadParameter("give --data DIR or --db")
    district, table = _table(data, DEFAULT_PROFILE)
    train, test = _split(table, holdout, seed) if holdout > 0 else (table, table)
    result = fit_weights(train, k=k)
    typer.echo(f"learned weights {json.dumps(result.weights)} (C={result.c}, {result.pairs} pairs)")
    rows = [
        evaluate_scores(test, test.scores(DEFAULT_PROFILE.weights), name="default", k=k),
        evaluate_scores(test, test.scores(result.weights), name="learned", k=k),
        evaluate_scores(test, oracle_scores(test, district.truth), name="oracle", k=k),
    ]
    typer.echo(f"held-out vacancies: {test.n_groups} of {table.n_groups}")
    for e in rows:
        typer.echo(_line(e))
    ratio = rows[1].metrics["ndcg"].mean / rows[2].metrics["ndcg"].mean
    typer.echo(f"learned / oracle NDCG@{k}: {ratio:.4f}")
    _write_profile(out, result.weights)


def _write_profile(out: Path | None, weights) -> None:
    """The default profile with the learned weights, in the form `--profile FILE` reads."""
    if out is None:
        return
    from dataclasses import replace

    from kai_match.scoring import DEFAULT_PROFILE

    learned = replace(DEFAULT_PROFILE, name="learned", weights=dict(weights))
    out.write_text(json.dumps(learned.to_dict(), indent=2, ensure_ascii=False) + "\n")
    typer.echo(f"profile written to {out}")


def _fit_db(store: str | None, k: int):
    from sqlmodel import Session

    from kai_match.insights.evaluations import fit_profile

    with Session(configured_engine()) as session, session.begin():
        result = fit_profile(session=session, name=store or "learned", store=bool(store), k=k)
    typer.echo(f"learned weights {json.dumps(result.weights)} (C={result.c})")
    for e in (result.comparison.a, result.comparison.b):
        typer.echo(_line(e))
    return result.weights


@analytics_app.command()
def fairness(
    data: Annotated[Path, typer.Option("--data", help="Simulated district")],
    profile: ProfileFile = None,
    k: Annotated[int, typer.Option(min=1)] = 10,
) -> None:
    """Scores, top-k selection rates and exposure by gender, nationality, age band, site."""
    from kai_match.analytics import fairness_report

    chosen = _profile(profile)
    district, table = _table(data, chosen)
    attrs = {a.participant_id: asdict(a) for a in district.attributes}
    dims = ["gender", "nationality_group", "age_band", "site"]
    for f in fairness_report(table, table.scores(chosen.weights), attrs, dims, k=k):
        if f.suppressed:
            typer.echo(f"{f.attribute:<18} {f.group:<18} suppressed (fewer than 5 people)")
            continue
        flag = "  ← below four fifths" if f.flagged else ""
        typer.echo(
            f"{f.attribute:<18} {f.group:<18} n={f.people:<5} score {f.score_mean:6.2f}"
            f"  top-{k} {f.selection_rate:.3f}  exposure {f.exposure:.3f}"
            f"  ratio {f.ratio_to_best:.3f}{flag}"
        )


@analytics_app.command()
def report(
    png: Annotated[Path | None, typer.Option("--png", help="Write PNG charts into DIR")] = None,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Write the KPI rows as CSV")
    ] = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Write the one-page report for funders")
    ] = None,
    start: Annotated[
        datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day")
    ] = None,
    end: Annotated[
        datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day")
    ] = None,
    site: Annotated[
        Site | None, typer.Option(case_sensitive=False, help="One site (default: all)")
    ] = None,
    suppress: Annotated[
        bool, typer.Option(help="Hide counts below 5, as analysts see them (for sharing)")
    ] = False,
    lang: Annotated[
        ReportLanguage, typer.Option(case_sensitive=False, help="Language of charts and PDF")
    ] = ReportLanguage.de,
) -> None:
    """Programme KPIs and rates from the database; CSV, PNG charts and a PDF on request."""
    from sqlmodel import Session

    from kai_match.insights import reports
    from kai_match.insights.programme_rates import programme_rates
    from kai_match.kit.principal import SYSTEM

    with Session(configured_engine()) as session:
        facts = reports.load_facts(session=session, site=site)
        result = reports.programme_report(
            session=session,
            principal=SYSTEM,
            start=start.date() if start else None,
            end=end.date() if end else None,
            site=site,
            suppress=suppress,
            facts=facts,
        )
    rows = [r.model_dump() for r in result.rows]
    totals = [r for r in rows if r["german_level"] == "all"]
    for name in ("trials_started", "trials_completed", "hires"):
        typer.echo(f"{name}: {sum(r[name] or 0 for r in totals)}")
    sites = list(dict.fromkeys(r["site"] for r in totals))
    figures = programme_rates(facts, result.from_, result.to, sites, min_cell=result.min_cell)
    for name, estimate in figures[-1].rates.items():
        shown = (
            "withheld"
            if estimate is None
            else (
                f"{estimate.value:.3f} (95 % {estimate.low:.3f}–{estimate.high:.3f}, "
                f"{estimate.numerator}/{estimate.denominator})"
            )
        )
        typer.echo(f"{name}: {shown}")
    typer.echo(f"window {result.from_} – {result.to}, {len(rows)} rows")
    if csv_file is not None:
        csv_file.write_text(reports.programme_csv(result), encoding="utf-8")
        typer.echo(f"wrote {csv_file}")
    if png is not None:
        from kai_match.analytics.charts import (
            days_to_first_trial_chart,
            hires_and_trials_chart,
            rates_chart,
        )

        days = reports.first_trial_days(facts, result.from_, result.to)
        if suppress:
            days = reports.shareable_days(days)
        for path in (
            hires_and_trials_chart(rows, png / "hires_trials.png", lang=lang.value),
            days_to_first_trial_chart(days, png / "days_to_first_trial.png", lang=lang.value),
            rates_chart(figures, png / "rates.png", lang=lang.value),
        ):
            typer.echo(f"wrote {path}")
    if pdf is not None:
        from kai_match.analytics.funder_report import funder_report_pdf

        funder_report_pdf(
            figures,
            rows,
            pdf,
            start=result.from_,
            end=result.to,
            min_cell=result.min_cell,
            lang=lang.value,
        )
        typer.echo(f"wrote {pdf}")

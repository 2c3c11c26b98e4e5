"""A BA job-search run: employers and vacancies upserted by the BA's ids, vanished ones closed.

The mapping (``ba_mapping``) and the client (``ba_client``) know the BA; this module knows
kai-match: it hands the rows to the bulk import (so a BA vacancy is checked exactly like one a
partner posts) and closes BA vacancies of earlier runs that the search no longer returns —
only after a complete search, since a cut-off search would close vacancies that are still
open.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from kai_match.imports.ba_mapping import BA_SYSTEM, BaMappingError, map_vacancy, search_items
from kai_match.imports.bulk import BulkOptions, run_import
from kai_match.imports.rows import BodyFormat, ParsedBody, RawRow
from kai_match.kit.principal import Principal
from kai_match.models import ExternalRefRow, Vacancy
from kai_match.models.bulk import BulkRowResult
from kai_match.models.common import VacancyStatus
from kai_match.models.external_ref import RefResource
from kai_match.vacancies.service import close_vacancy


@dataclass
class BaRunReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (refnr, why)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (refnr, why)
    closing_skipped: bool = False  # the search was incomplete: nothing was closed


@dataclass(frozen=True)
class SavedSearch:
    items: list[dict[str, Any]]
    details: dict[str, dict[str, Any]]


def read_saved(path: Path) -> SavedSearch:
    """A saved search answer, or a folder of its pages (``search_page_*.json`` or every
    ``*.json``), with a ``details/<refnr>.json`` folder beside them where there is one."""
    folder = path if path.is_dir() else path.parent
    if path.is_dir():
        pages = sorted(path.glob("search_page_*.json")) or sorted(path.glob("*.json"))
    else:
        pages = [path]
    items: list[dict[str, Any]] = []
    for page in pages:
        items.extend(search_items(json.loads(page.read_text(encoding="utf-8"))))
    details = {}
    for detail in sorted((folder / "details").glob("*.json")):
        details[detail.stem] = json.loads(detail.read_text(encoding="utf-8"))
    return SavedSearch(items, details)


def run(
    session: Session,
    items: Iterable[Mapping[str, Any]],
    details: Mapping[str, Mapping[str, Any]],
    principal: Principal,
    *,
    complete: bool = True,
    default_german_level: str = "A2",
) -> BaRunReport:
    report = BaRunReport()
    mapped = {}
    for item in items:
        reference = str(item.get("refnr") or "?")
        try:
            found = map_vacancy(
                item, details.get(reference), default_german_level=default_german_level
            )
        except BaMappingError as exc:
            report.skipped.append((exc.reference, exc.reason))
            continue
        mapped[found.reference] = found  # a vacancy listed on two pages counts once
    employers = {}
    for found in mapped.values():
        first = found.employer["external_refs"][0]
        employers.setdefault((first["system"], first["id"]), found.employer)
    employer_rows = [RawRow(n, row) for n, row in enumerate(employers.values(), start=1)]
    employer_report = run_import(
        session,
        RefResource.employer,
        ParsedBody(BodyFormat.json, employer_rows),
        principal,
        BulkOptions(),
    )
    failed_employers = {
        _employer_key(list(employers.values())[r.row - 1]): r
        for r in employer_report.results
        if r.outcome == "failed"
    }
    rows, references = [], []
    for found in mapped.values():
        broken = failed_employers.get(_employer_key(found.employer))
        if broken is not None:
            report.failed.append((found.reference, "employer: " + _why(broken)))
            continue
        rows.append(RawRow(len(rows) + 1, found.vacancy))
        references.append(found.reference)
    vacancy_report = run_import(
        session, RefResource.vacancy, ParsedBody(BodyFormat.json, rows), principal, BulkOptions()
    )
    for reference, result in zip(references, vacancy_report.results, strict=True):
        if result.outcome == "failed":
            report.failed.append((reference, _why(result)))
        elif result.outcome == "created":
            report.new += 1
        elif result.outcome == "updated":
            report.updated += 1
        else:
            report.unchanged += 1
    if complete:
        report.closed = _close_vanished(session, set(mapped))
    else:
        report.closing_skipped = True
    return report


def _employer_key(row: Mapping[str, Any]) -> tuple[str, str]:
    first = row["external_refs"][0]
    return first["system"], first["id"]


def _why(result: BulkRowResult) -> str:
    return "; ".join(f"{e.field}: {e.message}" for e in result.errors) or "failed"


def _close_vanished(session: Session, seen: set[str]) -> int:
    """Close open BA vacancies this complete search no longer returns."""
    query = (
        select(Vacancy, ExternalRefRow.ref_id)
        .join(ExternalRefRow, ExternalRefRow.resource_id == Vacancy.id)
        .where(
            ExternalRefRow.resource == RefResource.vacancy.value,
            ExternalRefRow.system == BA_SYSTEM,
            Vacancy.status != VacancyStatus.closed.value,
        )
    )
    closed = 0
    for vacancy, reference in session.execute(query).all():
        if reference not in seen:
            close_vacancy(session=session, vacancy=vacancy)
            closed += 1
    return closed

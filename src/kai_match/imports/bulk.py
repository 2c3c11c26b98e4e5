"""Many records in one request: each row created or upserted by its reference, and a report.

Rows are stored one by one, each in a savepoint of the request's transaction: a bad row is
rolled back alone and named in the report, the good ones are kept. ``atomic`` keeps all or
nothing; ``dry_run`` does all the work and then rolls everything back, so the report says
what a real run would do. Both run every row, so the report lists every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from kai_match.api.problems import field_errors_from_validation
from kai_match.employers import service as employers
from kai_match.errors import FieldError, KaiError
from kai_match.external_refs import service as refs
from kai_match.external_refs.upsert import Outcome, Upserted
from kai_match.imports import vacancy_batch
from kai_match.imports.csv_columns import check_header, row_body
from kai_match.imports.row_results import RowFailed, check_partner_row, failed
from kai_match.imports.rows import BodyFormat, ParsedBody, RawRow
from kai_match.kit.principal import Principal
from kai_match.models.bulk import BulkReport, BulkRowResult
from kai_match.models.employer import EmployerCreate
from kai_match.models.external_ref import ExternalRef, RefResource
from kai_match.models.participant import ParticipantCreate
from kai_match.models.vacancy import PossibleDuplicate, VacancyCreate
from kai_match.participants import service as participants
from kai_match.vacancies import jobposting_in
from kai_match.vacancies import service as vacancies

KIND_NAMES = {
    RefResource.vacancy: "vacancies",
    RefResource.employer: "employers",
    RefResource.participant: "participants",
}


@dataclass(frozen=True)
class BulkOptions:
    dry_run: bool = False
    atomic: bool = False
    employer_id: int | None = None  # JobPosting rows of an admin: the posting employer
    ref_system: str | None = None  # JobPosting rows: the system of a plain-text identifier


@dataclass(frozen=True)
class Stored:
    id: int
    outcome: Outcome
    ref: ExternalRef | None
    possible_duplicates: list[PossibleDuplicate] = field(default_factory=list)


def run_import(
    session: Session,
    kind: RefResource,
    body: ParsedBody,
    principal: Principal,
    options: BulkOptions,
    progress: Callable[[int], None] | None = None,
) -> BulkReport:
    """Store every row (or none, see the module docstring); the report names each row."""
    if body.format == BodyFormat.csv:
        check_header(kind, body.columns)
    if body.job_postings and kind != RefResource.vacancy:
        raise RowFailed([FieldError("body", "JobPosting documents are vacancies")])
    whole = session.begin_nested() if options.dry_run or options.atomic else None
    if kind == RefResource.vacancy and not body.job_postings:
        results = _vacancy_rows(session, body, principal, progress)
    else:
        results = []
        for row in body.rows:
            results.append(_one_row(session, kind, body, row, principal, options))
            if progress is not None:
                progress(1)
    failed = sum(r.outcome == "failed" for r in results)
    written = not options.dry_run and not (options.atomic and failed)
    if whole is not None:
        if written:
            whole.commit()
        else:
            whole.rollback()
    if not written:
        results = [_unwritten(r) for r in results]
    return BulkReport(
        kind=KIND_NAMES[kind],
        dry_run=options.dry_run,
        atomic=options.atomic,
        written=written,
        rows=len(results),
        created=sum(r.outcome == "created" for r in results),
        updated=sum(r.outcome == "updated" for r in results),
        unchanged=sum(r.outcome == "unchanged" for r in results),
        failed=failed,
        results=results,
    )


def _one_row(
    session: Session,
    kind: RefResource,
    body: ParsedBody,
    row: RawRow,
    principal: Principal,
    options: BulkOptions,
) -> BulkRowResult:
    savepoint = session.begin_nested()
    try:
        if body.job_postings:
            stored = _store_job_posting(session, row.data, principal, options)
        else:
            data = row.data
            if body.format == BodyFormat.csv:
                data, errors = row_body(kind, row.data)
                if errors:
                    raise RowFailed(errors)
            stored = STORE[kind](session, data, principal)
    except (KaiError, RowFailed) as exc:
        savepoint.rollback()
        return failed(
            row.number, exc.errors or [FieldError("body", getattr(exc, "detail", "failed"))]
        )
    except ValidationError as exc:
        savepoint.rollback()
        return failed(row.number, field_errors_from_validation(exc)[1])
    savepoint.commit()
    return BulkRowResult(
        row=row.number,
        outcome=stored.outcome.value,
        id=stored.id,
        ref=stored.ref,
        possible_duplicates=stored.possible_duplicates,
    )


def _vacancy_rows(
    session: Session,
    body: ParsedBody,
    principal: Principal,
    progress: Callable[[int], None] | None,
) -> list[BulkRowResult]:
    """Vacancy rows take the batched path (``vacancy_batch``); CSV cells are read first."""
    unreadable: dict[int, BulkRowResult] = {}
    ready: list[tuple[int, dict[str, Any]]] = []
    for row in body.rows:
        data = row.data
        if body.format == BodyFormat.csv:
            data, errors = row_body(RefResource.vacancy, row.data)
            if errors:
                unreadable[row.number] = failed(row.number, errors)
                continue
        ready.append((row.number, data))

    def one_by_one(number: int, data: dict[str, Any]) -> BulkRowResult:
        parsed = ParsedBody(BodyFormat.json, [])
        return _one_row(
            session, RefResource.vacancy, parsed, RawRow(number, data), principal, BulkOptions()
        )

    stored = vacancy_batch.store_rows(session, ready, principal, one_by_one, progress)
    if progress is not None and unreadable:
        progress(len(unreadable))
    by_number = unreadable | {r.row: r for r in stored}
    return [by_number[row.number] for row in body.rows]


def _unwritten(result: BulkRowResult) -> BulkRowResult:
    """Nothing was stored: a record "created" has no id."""
    if result.outcome == "created":
        return result.model_copy(update={"id": None})
    return result


def _upsert_or_create(
    data: Any,
    principal: Principal,
    create: Callable[[], Any],
    upsert: Callable[[str, str], Upserted],
) -> Stored:
    if not data.external_refs:
        check_partner_row(principal, data.external_refs)
        created = create()
        return Stored(created.id, Outcome.created, None, _duplicates_of(created))
    first = data.external_refs[0]
    upserted = upsert(first.system, first.id)
    return Stored(upserted.public.id, upserted.outcome, first, _duplicates_of(upserted.public))


def _duplicates_of(public: Any) -> list[PossibleDuplicate]:
    return list(getattr(public, "possible_duplicates", []))


def _store_vacancy(session: Session, row: dict[str, Any], principal: Principal) -> Stored:
    row = dict(row)
    reference = row.pop("employer_ref", None)
    if reference is not None:
        row["employer_id"] = _employer_by_ref(session, reference)
    data = VacancyCreate.model_validate(row)
    return _upsert_or_create(
        data,
        principal,
        lambda: vacancies.create_vacancy(session=session, data=data, principal=principal),
        lambda system, ref_id: vacancies.upsert_vacancy_by_ref(
            session=session, system=system, ref_id=ref_id, data=data, principal=principal
        ),
    )


def _employer_by_ref(session: Session, reference: Any) -> int:
    try:
        ref = ExternalRef.model_validate(reference)
    except ValidationError as exc:
        raise RowFailed(
            [
                FieldError(f"employer_ref.{e.field}", e.message)
                for e in field_errors_from_validation(exc)[1]
            ]
        ) from exc
    employer_id = refs.find(session, RefResource.employer, ref.system, ref.id)
    if employer_id is None:
        raise RowFailed([FieldError("employer_ref", f"names no employer ({ref.system}/{ref.id})")])
    return employer_id


def _store_employer(session: Session, row: dict[str, Any], principal: Principal) -> Stored:
    data = EmployerCreate.model_validate(row)
    return _upsert_or_create(
        data,
        principal,
        lambda: employers.create_employer(session=session, data=data, principal=principal),
        lambda system, ref_id: employers.upsert_employer_by_ref(
            session=session, system=system, ref_id=ref_id, data=data, principal=principal
        ),
    )


def _store_participant(session: Session, row: dict[str, Any], principal: Principal) -> Stored:
    data = ParticipantCreate.model_validate(row)
    return _upsert_or_create(
        data,
        principal,
        lambda: participants.create_participant(session=session, data=data, principal=principal),
        lambda system, ref_id: participants.upsert_participant_by_ref(
            session=session, system=system, ref_id=ref_id, data=data, principal=principal
        ),
    )


def _store_job_posting(
    session: Session, document: dict[str, Any], principal: Principal, options: BulkOptions
) -> Stored:
    result = jobposting_in.import_job_posting(
        session=session,
        document=document,
        principal=principal,
        employer_id=options.employer_id,
        ref_system=options.ref_system,
    )
    refs_given = result.vacancy.external_refs
    return Stored(
        result.vacancy.id,
        Outcome(result.outcome),
        refs_given[0] if refs_given else None,
        list(result.vacancy.possible_duplicates),
    )


STORE: dict[RefResource, Callable[[Session, dict[str, Any], Principal], Stored]] = {
    RefResource.vacancy: _store_vacancy,
    RefResource.employer: _store_employer,
    RefResource.participant: _store_participant,
}

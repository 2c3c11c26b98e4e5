"""The fast path of a vacancy bulk import: rows checked one by one, written set-wise.

Creating a vacancy through the single-record service costs a dozen statements (lookups,
inserts, a read-back for the answer); five thousand rows of a job board's export would take
over a minute. Here every row is still checked exactly as ``POST /vacancies`` checks it
(``vacancies.service.prepare_vacancy``), but employers and references are looked up once per
chunk, new vacancies are inserted in one flush with their skills, languages, references and
change-log rows, and a row whose content equals the stored vacancy is ``unchanged`` without a
write. Changed rows and anything unusual (a reference used twice in the file, a failed chunk)
go through the single-record upsert, row by row, so the outcome is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlmodel import Session

from kai_match.api.problems import field_errors_from_validation
from kai_match.errors import FieldError, KaiError
from kai_match.external_refs import service as refs
from kai_match.external_refs.upsert import VOLATILE_FIELDS
from kai_match.imports.row_results import RowFailed, check_partner_row, failed
from kai_match.kit.principal import Principal
from kai_match.models import (
    ChangeLog,
    Employer,
    ExternalRefRow,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
)
from kai_match.models.bulk import BulkRowResult
from kai_match.models.common import utcnow
from kai_match.models.external_ref import ExternalRef, RefResource
from kai_match.models.vacancy import VacancyCreate
from kai_match.vacancies import service as vacancies
from kai_match.vacancies.duplicate_search import DuplicateIndex, place_of, posting_of

CHUNK = 500


@dataclass
class Checked:
    number: int
    data: VacancyCreate
    prepared: vacancies.PreparedVacancy


Fallback = Callable[[int, dict[str, Any]], BulkRowResult]


def store_rows(
    session: Session,
    rows: list[tuple[int, dict[str, Any]]],
    principal: Principal,
    fallback: Fallback,
    progress: Callable[[int], None] | None = None,
) -> list[BulkRowResult]:
    """One result per row, in the rows' order; ``fallback`` stores a row the slow way."""
    results: dict[int, BulkRowResult] = {}
    places = {
        place_of(str(row.get("postal_code")), None)
        for _, row in rows
        if isinstance(row.get("postal_code"), str)
    }
    index = DuplicateIndex(session, places)  # read once; new rows are added as they come
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        _chunk(session, chunk, principal, fallback, results, index)
        if progress is not None:
            progress(len(chunk))
    return [results[number] for number, _ in rows]


def _chunk(
    session: Session,
    rows: list[tuple[int, dict[str, Any]]],
    principal: Principal,
    fallback: Fallback,
    results: dict[int, BulkRowResult],
    index: DuplicateIndex,
) -> None:
    employer_ids = _employers_by_ref(session, [row for _, row in rows])
    checked: list[Checked] = []
    slow: list[tuple[int, dict[str, Any]]] = []
    for number, row in rows:
        outcome = _check(number, row, employer_ids, principal)
        if isinstance(outcome, BulkRowResult):
            results[number] = outcome
        else:
            checked.append(outcome)
    _refuse_unknown_employers(session, checked, results)
    checked = [c for c in checked if c.number not in results]
    stored = _stored_refs(session, checked)
    by_number = dict(rows)
    new, seen = [], set()
    for item in checked:
        keys = {(r.system, r.id) for r in item.data.external_refs}
        if keys & seen or _names_stored(item, stored):
            slow.append((item.number, by_number[item.number]))
        else:
            new.append(item)
        seen |= keys
    unchanged_or_slow = [i for i in new if _first_ref_stored(i, stored)]
    new = [i for i in new if not _first_ref_stored(i, stored)]
    _compare_with_stored(session, unchanged_or_slow, stored, rows, slow, results)
    _insert(session, new, rows, slow, results, index)
    for number, row in sorted(slow):
        results[number] = fallback(number, row)


def _check(
    number: int, row: dict[str, Any], employer_ids: dict[tuple[str, str], int], principal: Principal
) -> Checked | BulkRowResult:
    row = dict(row)
    reference = row.pop("employer_ref", None)
    try:
        if reference is not None:
            ref = ExternalRef.model_validate(reference)
            if (ref.system, ref.id) not in employer_ids:
                raise RowFailed(
                    [FieldError("employer_ref", f"names no employer ({ref.system}/{ref.id})")]
                )
            row["employer_id"] = employer_ids[(ref.system, ref.id)]
        data = VacancyCreate.model_validate(row)
        vacancies.check_employer_key(data, principal)
        check_partner_row(principal, data.external_refs)
        refs.check_may_set(principal, data.external_refs)
        errors: list[FieldError] = []
        prepared = vacancies.prepare_vacancy(data, errors)
        if errors:
            raise RowFailed(errors)
    except ValidationError as exc:
        return failed(number, field_errors_from_validation(exc)[1])
    except (KaiError, RowFailed) as exc:
        return failed(number, exc.errors)
    return Checked(number, data, prepared)


def _employers_by_ref(session: Session, rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    wanted = {
        (r["employer_ref"].get("system"), r["employer_ref"].get("id"))
        for r in rows
        if isinstance(r.get("employer_ref"), dict)
    }
    return _refs_of(session, RefResource.employer, wanted)


def _refs_of(
    session: Session, resource: RefResource, wanted: set[tuple[Any, Any]]
) -> dict[tuple[str, str], int]:
    if not wanted:
        return {}
    systems = {s for s, _ in wanted if isinstance(s, str)}
    ids = {i for _, i in wanted if isinstance(i, str)}
    query = select(ExternalRefRow.system, ExternalRefRow.ref_id, ExternalRefRow.resource_id).where(
        ExternalRefRow.resource == resource.value,
        ExternalRefRow.system.in_(systems),
        ExternalRefRow.ref_id.in_(ids),
    )
    return {(s, i): owner for s, i, owner in session.execute(query) if (s, i) in wanted}


def _refuse_unknown_employers(
    session: Session, checked: list[Checked], results: dict[int, BulkRowResult]
) -> None:
    wanted = {c.data.employer_id for c in checked}
    known = set(session.execute(select(Employer.id).where(Employer.id.in_(wanted))).scalars())
    for item in checked:
        if item.data.employer_id not in known:
            results[item.number] = failed(
                item.number,
                [FieldError("employer_id", f"employer {item.data.employer_id} does not exist")],
            )


def _stored_refs(session: Session, checked: list[Checked]) -> dict[tuple[str, str], int]:
    wanted = {(r.system, r.id) for c in checked for r in c.data.external_refs}
    return _refs_of(session, RefResource.vacancy, wanted)


def _first_ref_stored(item: Checked, stored: dict[tuple[str, str], int]) -> bool:
    refs_given = item.data.external_refs
    return bool(refs_given) and (refs_given[0].system, refs_given[0].id) in stored


def _names_stored(item: Checked, stored: dict[tuple[str, str], int]) -> bool:
    """A further reference already stored: the single-record path says whose it is."""
    return any((r.system, r.id) in stored for r in item.data.external_refs[1:])


def _compare_with_stored(
    session: Session,
    items: list[Checked],
    stored: dict[tuple[str, str], int],
    rows: list[tuple[int, dict[str, Any]]],
    slow: list[tuple[int, dict[str, Any]]],
    results: dict[int, BulkRowResult],
) -> None:
    """Rows equal to their stored vacancy are ``unchanged``; the others are updated slowly."""
    by_number = dict(rows)
    ids = {
        i.number: stored[(i.data.external_refs[0].system, i.data.external_refs[0].id)]
        for i in items
    }
    records = {
        v.id: v
        for v in session.execute(select(Vacancy).where(Vacancy.id.in_(set(ids.values())))).scalars()
    }
    publics = {p.id: p for p in vacancies.vacancies_public(session, list(records.values()))}
    for item in items:
        vacancy_id = ids[item.number]
        current = publics.get(vacancy_id)
        record = records.get(vacancy_id)
        if current is None or record is None:
            slow.append((item.number, by_number[item.number]))
            continue
        candidate = _candidate(item, record, current)
        exclude = VOLATILE_FIELDS | {"status"}
        if candidate.model_dump(exclude=exclude) == current.model_dump(exclude=exclude):
            results[item.number] = BulkRowResult(
                row=item.number, outcome="unchanged", id=vacancy_id, ref=item.data.external_refs[0]
            )
        else:
            slow.append((item.number, by_number[item.number]))


def _candidate(item: Checked, record: Vacancy, current: Any) -> Any:
    vacancy = item.prepared.vacancy.model_copy(
        update={
            "id": record.id,
            "status": record.status,
            "created_at": record.created_at,
            "updated_at": record.updated_at,
        }
    )
    prepared = vacancies.PreparedVacancy(vacancy, item.prepared.skills)
    # The stored references of other systems stay (a write replaces only its own).
    given = {(r.system, r.id) for r in item.data.external_refs}
    merged = sorted(
        {(r.system, r.id) for r in current.external_refs} | given,
    )
    return vacancies.public_of_prepared(
        prepared,
        vacancies.language_rows(item.data.languages_wanted),
        [ExternalRef.model_construct(system=s, id=i) for s, i in merged],
    )


def _insert(
    session: Session,
    items: list[Checked],
    rows: list[tuple[int, dict[str, Any]]],
    slow: list[tuple[int, dict[str, Any]]],
    results: dict[int, BulkRowResult],
    index: DuplicateIndex,
) -> None:
    if not items:
        return
    savepoint = session.begin_nested()
    try:
        records = [item.prepared.vacancy for item in items]
        session.add_all(records)
        session.flush()
        skills, languages, references, logged = [], [], [], []
        for item in items:
            vacancy_id = item.prepared.vacancy.id
            assert vacancy_id is not None
            skills += [
                {"vacancy_id": vacancy_id, **asdict(skill)} for skill in item.prepared.skills
            ]
            languages += [
                {"vacancy_id": vacancy_id, "code": language.code, "level": language.level}
                for language in vacancies.language_rows(item.data.languages_wanted)
            ]
            references += [
                {
                    "resource": RefResource.vacancy.value,
                    "resource_id": vacancy_id,
                    "system": ref.system,
                    "ref_id": ref.id,
                    "created_at": utcnow(),
                }
                for ref in item.data.external_refs
            ]
            logged.append({"entity": "vacancy", "entity_id": vacancy_id, "changed_at": utcnow()})
        # Plain multi-row inserts: the child rows need no ids back, so no ORM round trips.
        for model, values in (
            (VacancySkill, skills),
            (VacancyLanguage, languages),
            (ExternalRefRow, references),
            (ChangeLog, logged),
        ):
            if values:
                session.execute(insert(model), values)
    except KaiError:
        raise
    except Exception:  # a constraint the checks could not see: redo these rows one by one
        savepoint.rollback()
        by_number = dict(rows)
        slow.extend((item.number, by_number[item.number]) for item in items)
        return
    savepoint.commit()
    employers = dict(
        session.execute(
            select(Employer.id, Employer.name).where(
                Employer.id.in_({i.data.employer_id for i in items})
            )
        ).all()
    )
    postings = {
        item.number: posting_of(item.prepared.vacancy, employers[item.data.employer_id])
        for item in items
    }
    for item in items:
        refs_given = item.data.external_refs
        vacancy_id = item.prepared.vacancy.id
        assert vacancy_id is not None
        results[item.number] = BulkRowResult(
            row=item.number,
            outcome="created",
            id=vacancy_id,
            ref=refs_given[0] if refs_given else None,
            possible_duplicates=index.find(postings[item.number], exclude={vacancy_id}),
        )
        index.add(vacancy_id, postings[item.number])

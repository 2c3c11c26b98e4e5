"""Merging a duplicate vacancy into the one that stays (a counsellor's or an admin's call).

The detector only suggests (``possible_duplicates``); a person decides. The vacancy that
stays keeps its own fields and gains the duplicate's references (so the next import of either
source updates it) and placements (so no trial or hire is lost); the duplicate is closed and
says so in the change feed and to webhooks like any closed vacancy.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from kai_match.errors import FieldError, InvalidInput
from kai_match.external_refs import service as refs
from kai_match.kit import changes
from kai_match.kit.versioning import bump_version, check_if_match, lock_for_write, record_etag
from kai_match.models import Placement, Vacancy
from kai_match.models.external_ref import RefResource
from kai_match.models.vacancy import VacancyPublic
from kai_match.vacancies import openings as capacity
from kai_match.vacancies.service import close_vacancy, vacancy_public


def merge_vacancies(
    *, session: Session, keep: Vacancy, duplicate: Vacancy, if_match: str | None = None
) -> VacancyPublic:
    if keep.id == duplicate.id:
        raise InvalidInput(
            detail="A vacancy cannot be merged into itself.",
            errors=[FieldError("duplicate_id", "must name another vacancy")],
        )
    keep = lock_for_write(session, keep)
    check_if_match(if_match, record_etag(keep))
    duplicate = lock_for_write(session, duplicate)
    assert keep.id is not None and duplicate.id is not None
    refs.move(session, RefResource.vacancy, duplicate.id, keep.id)
    session.execute(
        update(Placement).where(Placement.vacancy_id == duplicate.id).values(vacancy_id=keep.id)
    )
    close_vacancy(session=session, vacancy=duplicate)
    bump_version(keep)
    session.add(keep)
    capacity.sync_status(session, keep, touch=False)
    changes.record(session, "vacancy", keep.id)
    session.flush()
    return vacancy_public(session, keep)

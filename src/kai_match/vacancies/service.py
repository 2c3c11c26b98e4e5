"""Vacancy use cases."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Row
from sqlmodel import Session, col, select

from kai_match.access.scopes import vacancy_scope
from kai_match.data.geo import lookup_postal_code
from kai_match.data.taxonomy import normalize_skill
from kai_match.data.taxonomy.certificates import is_certificate
from kai_match.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from kai_match.external_refs import service as refs
from kai_match.external_refs.upsert import Upserted, UpsertSteps, upsert, with_ref
from kai_match.kit import changes
from kai_match.kit.child_rows import replace_rows, rows_by_owner
from kai_match.kit.pagination import Page, PageRequest, page_of
from kai_match.kit.patching import null_errors
from kai_match.kit.principal import Principal
from kai_match.kit.versioning import bump_version, check_if_match, lock_for_write, record_etag
from kai_match.models import Employer, Vacancy, VacancyLanguage, VacancySkill
from kai_match.models.api_key import Role
from kai_match.models.common import GeoPoint, VacancyStatus
from kai_match.models.external_ref import ExternalRef, RefResource
from kai_match.models.parts import (
    LanguageIn,
    RequiredSkillIn,
    RequiredSkillOut,
    SkillSuggestion,
    VacancyOccupationOut,
)
from kai_match.models.schedule import template_working_times, working_times_out
from kai_match.models.vacancy import VacancyCreate, VacancyPublic, VacancyUpdate
from kai_match.reference.service import (
    check_municipality,
    check_postal_code,
    municipality_after_update,
    municipality_name,
    municipality_of,
    occupation_label_of,
    resolve_occupation_input,
    resolve_skill_input,
    skill_label_of,
)
from kai_match.vacancies import openings as capacity
from kai_match.vacancies import working_times
from kai_match.vacancies.duplicate_search import possible_duplicates
from kai_match.webhooks import outbox


def create_vacancy(
    *,
    session: Session,
    data: VacancyCreate,
    principal: Principal | None = None,
    find_duplicates: bool = True,
) -> VacancyPublic:
    """Employer keys post vacancies for their own employer only. ``find_duplicates=False``
    (the demo's generator) skips the search for ``possible_duplicates``."""
    check_employer_key(data, principal)
    errors: list[FieldError] = []
    if session.get(Employer, data.employer_id) is None:
        errors.append(FieldError("employer_id", f"employer {data.employer_id} does not exist"))
    prepared = prepare_vacancy(data, errors)
    if errors:
        raise InvalidInput(detail="The vacancy could not be stored.", errors=errors)
    vacancy, skills = prepared.vacancy, prepared.skills
    refs.check_may_set(principal, data.external_refs)
    session.add(vacancy)
    session.flush()
    assert vacancy.id is not None
    _replace_children(session, vacancy.id, skills, data.languages_wanted)
    refs.replace(session, RefResource.vacancy, vacancy.id, data.external_refs, principal)
    changes.record(session, "vacancy", vacancy.id)
    session.flush()
    public = vacancy_public(session, vacancy)
    if not find_duplicates:
        return public
    return public.model_copy(update={"possible_duplicates": possible_duplicates(session, vacancy)})


@dataclass(frozen=True)
class PreparedVacancy:
    """A vacancy row and its skill rows, checked and normalised, not yet in the session."""

    vacancy: Vacancy
    skills: list[SkillRow]


def check_employer_key(data: VacancyCreate, principal: Principal | None) -> None:
    if (
        principal is not None
        and principal.role == Role.employer
        and data.employer_id != principal.employer_id
    ):
        raise Forbidden(
            detail="An employer key creates vacancies of its own employer only.",
            errors=[FieldError("employer_id", f"must be {principal.employer_id}")],
        )


def prepare_vacancy(data: VacancyCreate, errors: list[FieldError]) -> PreparedVacancy:
    """Every check of a new vacancy that needs no database (the bulk import batches the rest)."""
    check_postal_code(data.postal_code, "postal_code", errors)
    municipality = None
    if data.municipality is not None:
        municipality = check_municipality(
            data.postal_code, data.municipality, "municipality", errors
        )
    skills = _skill_rows(data.skills, errors)
    if data.start_date and data.end_date and data.start_date > data.end_date:
        errors.append(FieldError("end_date", "must not lie before start_date"))
    times = working_times.columns(
        data.working_times,
        [str(s) for s in data.shifts],
        shifts_sent="shifts" in data.model_fields_set,
        errors=errors,
    )
    shuttle = working_times.shuttle_column(data.shuttle, errors)
    vacancy = Vacancy.model_validate(
        data.model_dump(
            exclude={
                "occupation",
                "skills",
                "languages_wanted",
                "municipality",
                "location",
                "working_times",
                "shuttle",
                "external_refs",
            }
        ),
        update={
            **times,
            "shuttle": shuttle,
            "status": VacancyStatus.open,
            "municipality_ags": municipality,
            **_location_columns(data.location),
        },
    )
    _apply_occupation(vacancy, data.occupation, errors)
    errors += refs.check_unique(data.external_refs)
    return PreparedVacancy(vacancy, skills)


def language_rows(languages: list[LanguageIn]) -> list[VacancyLanguage]:
    by_code = {language.code: language.level for language in languages}
    return [VacancyLanguage(vacancy_id=0, code=c, level=lv) for c, lv in by_code.items()]


def public_of_prepared(
    prepared: PreparedVacancy, languages: list[VacancyLanguage], references: list[ExternalRef]
) -> VacancyPublic:
    """What the vacancy would read as once stored (the bulk import compares it to the stored)."""
    return _to_public(prepared.vacancy, prepared.skills, languages, references)  # type: ignore[arg-type]


def get_vacancy(
    *, session: Session, vacancy_id: int, principal: Principal | None = None
) -> Vacancy:
    """Load within the caller's reach: an employer key finds only its own vacancies."""
    query = select(Vacancy).where(Vacancy.id == vacancy_id, *vacancy_scope(principal))
    vacancy = session.exec(query).first()
    if vacancy is None:
        raise NotFound(detail=f"Vacancy {vacancy_id} does not exist.")
    return vacancy


def list_vacancies(
    *,
    session: Session,
    page: PageRequest,
    employer_id: int | None = None,
    type: str | None = None,
    status: str | None = None,
    postal_code: str | None = None,
    principal: Principal | None = None,
) -> Page[VacancyPublic]:
    query = select(Vacancy).where(*vacancy_scope(principal)).order_by(col(Vacancy.id))
    if page.after_id is not None:
        query = query.where(col(Vacancy.id) > page.after_id)
    for column, value in (
        (Vacancy.employer_id, employer_id),
        (Vacancy.type, type),
        (Vacancy.status, status),
        (Vacancy.postal_code, postal_code),
    ):
        if value is not None:
            query = query.where(column == value)
    rows, cursor = page_of(list(session.exec(query.limit(page.limit + 1))), page.limit, _id)
    return Page(items=vacancies_public(session, rows), next_cursor=cursor)


def update_vacancy(
    *,
    session: Session,
    vacancy: Vacancy,
    data: VacancyUpdate,
    if_match: str | None = None,
    principal: Principal | None = None,
) -> VacancyPublic:
    vacancy = lock_for_write(session, vacancy)
    check_if_match(if_match, record_etag(vacancy))
    status_before = str(vacancy.status)
    changed = data.model_dump(
        exclude_unset=True,
        exclude={"occupation", "skills", "municipality", "location", "external_refs"},
    )
    changed.pop("languages_wanted", None)
    errors = null_errors(changed, Vacancy)
    if data.postal_code is not None:
        check_postal_code(data.postal_code, "postal_code", errors)
    changed["municipality_ags"] = municipality_after_update(
        field="municipality",
        postal_code=vacancy.postal_code,
        new_postal_code=data.postal_code,
        sent="municipality" in data.model_fields_set,
        value=data.municipality,
        stored=vacancy.municipality_ags,
        errors=errors,
    )
    if "location" in data.model_fields_set:
        changed |= _location_columns(data.location)
    skills = _skill_rows(data.skills, errors) if data.skills is not None else None
    if "working_times" in changed or "shifts" in changed:
        changed |= working_times.columns(
            data.working_times or [],
            [str(s) for s in (data.shifts if data.shifts is not None else vacancy.shifts)],
            shifts_sent="shifts" in changed,
            errors=errors,
        )
    if "shuttle" in changed:
        changed["shuttle"] = working_times.shuttle_column(data.shuttle or [], errors)
    if "occupation" in data.model_fields_set:
        _apply_occupation(vacancy, data.occupation, errors)
    start = changed.get("start_date", vacancy.start_date)
    end = changed.get("end_date", vacancy.end_date)
    if start is not None and end is not None and start > end:
        errors.append(FieldError("end_date", "must not lie before start_date"))
    errors += refs.check_unique(data.external_refs or [])
    if errors:
        raise InvalidInput(detail="The vacancy could not be updated.", errors=errors)
    refs.check_may_set(principal, data.external_refs or [])
    if changed.get("openings") is not None:
        _refuse_fewer_openings_than_booked(session, vacancy, changed["openings"])
    vacancy.sqlmodel_update(changed)
    if "openings" in changed or changed.get("status") in capacity.BOOKABLE_STATUSES:
        capacity.sync_status(session, vacancy, touch=False)  # filled ⇔ no openings left
    bump_version(vacancy)
    session.add(vacancy)
    assert vacancy.id is not None
    _replace_children(session, vacancy.id, skills, data.languages_wanted)
    refs.replace(session, RefResource.vacancy, vacancy.id, data.external_refs, principal)
    changes.record(session, "vacancy", vacancy.id)
    outbox.vacancy_status_changed(
        session, vacancy_id=vacancy.id, source=status_before, target=str(vacancy.status)
    )
    session.flush()
    return vacancy_public(session, vacancy)


def _location_columns(location: GeoPoint | None) -> dict[str, float | None]:
    return {"lat": location.lat if location else None, "lon": location.lon if location else None}


def _refuse_fewer_openings_than_booked(session: Session, vacancy: Vacancy, openings: int) -> None:
    """Running trials and hires keep their openings: fewer openings than they hold is a 409."""
    booked = capacity.openings_used(session, [vacancy.id]).get(vacancy.id or 0, 0)
    if openings < booked:
        raise Conflict(
            detail=f"{booked} openings are held by running trials or hires; end those placements "
            "before lowering the number of openings.",
            errors=[FieldError("openings", f"must be at least {booked} (openings booked)")],
        )


def close_vacancy(*, session: Session, vacancy: Vacancy) -> None:
    """Deleting a vacancy closes it: placements and outcomes keep pointing at it."""
    vacancy = lock_for_write(session, vacancy)
    status_before = str(vacancy.status)
    vacancy.status = VacancyStatus.closed
    bump_version(vacancy)
    session.add(vacancy)
    assert vacancy.id is not None
    changes.record(session, "vacancy", vacancy.id)
    outbox.vacancy_status_changed(
        session, vacancy_id=vacancy.id, source=status_before, target=VacancyStatus.closed.value
    )
    session.flush()


def vacancy_public(session: Session, vacancy: Vacancy) -> VacancyPublic:
    return vacancies_public(session, [vacancy])[0]


def vacancies_public(session: Session, vacancies: list[Vacancy]) -> list[VacancyPublic]:
    ids = [v.id for v in vacancies]
    if not ids:
        return []
    skills = rows_by_owner(session, VacancySkill, "vacancy_id", ids)
    languages = rows_by_owner(session, VacancyLanguage, "vacancy_id", ids)
    references = refs.refs_by_owner(session, RefResource.vacancy, ids)
    return [_to_public(v, skills[v.id], languages[v.id], references[v.id]) for v in vacancies]


def skill_suggestions(text: str | None, limit: int = 3) -> list[SkillSuggestion]:
    """The closest skills to an unrecognised requirement, to map it by PATCH."""
    return [
        SkillSuggestion(skill_id=c.id, label=c.label, confidence=round(c.confidence, 3))
        for c in normalize_skill(text or "", limit=limit)
    ]


def _apply_occupation(vacancy: Vacancy, occupation, errors: list[FieldError]) -> None:
    if occupation is None:
        vacancy.occupation_name = vacancy.occupation_code = vacancy.occupation_confidence = None
        return
    resolved = resolve_occupation_input(occupation.name, occupation.code, "occupation", errors)
    vacancy.occupation_name = occupation.name
    vacancy.occupation_code = resolved.code
    vacancy.occupation_confidence = resolved.confidence


@dataclass(frozen=True)
class SkillRow:
    """A checked skill requirement; a plain record, as building ORM rows costs more than the
    check itself when an import prepares thousands (``vacancy_skill`` columns by name)."""

    name: str | None
    skill_id: str | None
    importance: str
    level: int
    confidence: float | None

    def stored(self, vacancy_id: int) -> VacancySkill:
        return VacancySkill(vacancy_id=vacancy_id, **asdict(self))


def _skill_rows(skills: list[RequiredSkillIn], errors: list[FieldError]) -> list[SkillRow]:
    rows = []
    for index, skill in enumerate(skills):
        resolved = resolve_skill_input(
            skill.name, skill.skill_id, f"skills[{index}]", errors, requirement=True
        )
        rows.append(
            SkillRow(
                name=skill.name,
                skill_id=resolved.code,
                importance=str(skill.importance),
                level=skill.level,
                confidence=resolved.confidence,
            )
        )
    return rows


def _replace_children(
    session: Session,
    vacancy_id: int,
    skills: list[SkillRow] | None,
    languages: list[LanguageIn] | None,
) -> None:
    languages_rows = None if languages is None else language_rows(languages)
    skill_rows = None if skills is None else [skill.stored(vacancy_id) for skill in skills]
    replace_rows(session, VacancySkill, "vacancy_id", vacancy_id, skill_rows)
    replace_rows(session, VacancyLanguage, "vacancy_id", vacancy_id, languages_rows)
    session.flush()


def _to_public(
    vacancy: Vacancy, skills: list[Row], languages: list[Row], references: list[ExternalRef]
) -> VacancyPublic:
    occupation = None
    if vacancy.occupation_name is not None or vacancy.occupation_code is not None:
        occupation = VacancyOccupationOut(
            name=vacancy.occupation_name,
            code=vacancy.occupation_code,
            label=occupation_label_of(vacancy.occupation_code),
            confidence=vacancy.occupation_confidence,
            normalized=vacancy.occupation_code is not None,
        )
    data = vacancy.model_dump(
        exclude={"version", "occupation_name", "occupation_code", "lat", "lon"}
    )
    data.pop("occupation_confidence")
    return VacancyPublic.model_validate(
        data
        | {
            "occupation": occupation,
            "skills": [
                RequiredSkillOut(
                    name=s.name,
                    skill_id=s.skill_id,
                    label=skill_label_of(s.skill_id),
                    importance=s.importance,
                    level=s.level,
                    confidence=s.confidence,
                    normalized=s.skill_id is not None,
                    certificate=is_certificate(s.skill_id),
                    suggestions=[] if s.skill_id is not None else skill_suggestions(s.name),
                )
                for s in skills
            ],
            "languages_wanted": [LanguageIn(code=x.code, level=x.level) for x in languages],
            "external_refs": references,
            "municipality": (
                municipality_name(vacancy.municipality_ags) or municipality_of(vacancy.postal_code)
            ),
            "municipality_ags": vacancy.municipality_ags or _postal_ags(vacancy.postal_code),
            "working_times": working_times_out(
                vacancy.working_times or template_working_times(vacancy.shifts)
            ),
            "shuttle": working_times.shuttle_out(vacancy.shuttle),
            "location": (
                None
                if vacancy.lat is None or vacancy.lon is None
                else GeoPoint.model_construct(lat=vacancy.lat, lon=vacancy.lon)
            ),
        }
    )


def _postal_ags(postal_code: str) -> str | None:
    place = lookup_postal_code(postal_code)
    return place.ags if place else None


def _id(vacancy: Vacancy) -> int | None:
    return vacancy.id


def upsert_vacancy_by_ref(
    *,
    session: Session,
    system: str,
    ref_id: str,
    data: VacancyCreate,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> Upserted[VacancyPublic]:
    """Create the vacancy the reference names, or replace it whole (``PUT …/by-ref``)."""
    data = data.model_copy(update={"external_refs": with_ref(data.external_refs, system, ref_id)})

    def load(vacancy_id: int) -> Vacancy | None:
        query = select(Vacancy).where(Vacancy.id == vacancy_id, *vacancy_scope(principal))
        return session.exec(query).first()

    def replace(vacancy: Vacancy) -> VacancyPublic:
        if vacancy.employer_id != data.employer_id:
            raise Conflict(
                detail="A vacancy keeps its employer; close it and post a new one instead.",
                errors=[FieldError("employer_id", f"must stay {vacancy.employer_id}")],
            )
        update = VacancyUpdate.model_validate(data.model_dump(exclude={"employer_id"}))
        return update_vacancy(
            session=session, vacancy=vacancy, data=update, if_match=if_match, principal=principal
        )

    steps = UpsertSteps(
        resource=RefResource.vacancy,
        create=lambda: create_vacancy(session=session, data=data, principal=principal),
        load=load,
        replace=replace,
        public_of=lambda vacancy: vacancy_public(session, vacancy),
    )
    return upsert(session, steps, system=system, ref_id=ref_id, principal=principal)


def get_vacancy_by_ref(
    *, session: Session, system: str, ref_id: str, principal: Principal | None = None
) -> Vacancy:
    vacancy_id = refs.find_or_404(session, RefResource.vacancy, system, ref_id)
    return get_vacancy(session=session, vacancy_id=vacancy_id, principal=principal)

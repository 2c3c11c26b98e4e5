"""Employer use cases."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from kai_match.access.scopes import employer_scope
from kai_match.access.service import revoke_keys_of_employer
from kai_match.errors import Conflict, FieldError, InvalidInput, NotFound
from kai_match.external_refs import service as refs
from kai_match.external_refs.upsert import Upserted, UpsertSteps, upsert, with_ref
from kai_match.kit import changes
from kai_match.kit.pagination import Page, PageRequest, page_of
from kai_match.kit.patching import null_errors
from kai_match.kit.principal import Principal
from kai_match.kit.versioning import bump_version, check_if_match, lock_for_write, record_etag
from kai_match.models import Employer, Vacancy
from kai_match.models.api_key import Role
from kai_match.models.employer import EmployerCreate, EmployerPublic, EmployerUpdate
from kai_match.models.external_ref import ExternalRef, RefResource
from kai_match.models.parts import dedupe
from kai_match.reference.service import check_postal_code, municipality_of


def create_employer(
    *, session: Session, data: EmployerCreate, principal: Principal | None = None
) -> EmployerPublic:
    errors: list[FieldError] = []
    check_postal_code(data.postal_code, "postal_code", errors)
    errors += refs.check_unique(data.external_refs)
    if errors:
        raise InvalidInput(detail="The employer could not be stored.", errors=errors)
    refs.check_may_set(principal, data.external_refs)
    employer = Employer.model_validate(
        data.model_dump(exclude={"external_refs"}),
        update={"support": dedupe([str(s) for s in data.support])},
    )
    session.add(employer)
    session.flush()
    assert employer.id is not None
    refs.replace(session, RefResource.employer, employer.id, data.external_refs, principal)
    return employer_public(session, employer)


def get_employer(
    *, session: Session, employer_id: int, principal: Principal | None = None
) -> Employer:
    """Load within the caller's reach: an employer key finds only its own employer."""
    query = select(Employer).where(Employer.id == employer_id, *employer_scope(principal))
    employer = session.exec(query).first()
    if employer is None:
        raise NotFound(detail=f"Employer {employer_id} does not exist.")
    return employer


def list_employers(
    *,
    session: Session,
    page: PageRequest,
    name: str | None = None,
    principal: Principal | None = None,
) -> Page[EmployerPublic]:
    query = select(Employer).where(*employer_scope(principal)).order_by(col(Employer.id))
    if page.after_id is not None:
        query = query.where(col(Employer.id) > page.after_id)
    if name:
        query = query.where(func.lower(Employer.name).contains(name.lower()))
    rows, cursor = page_of(list(session.exec(query.limit(page.limit + 1))), page.limit, _id)
    contacts = principal is None or principal.role != Role.analyst
    references = refs.refs_by_owner(session, RefResource.employer, [e.id for e in rows])
    return Page(
        items=[
            employer_public(session, e, contacts=contacts, references=references[e.id or 0])
            for e in rows
        ],
        next_cursor=cursor,
    )


def update_employer(
    *,
    session: Session,
    employer: Employer,
    data: EmployerUpdate,
    if_match: str | None = None,
    principal: Principal | None = None,
) -> EmployerPublic:
    employer = lock_for_write(session, employer)
    check_if_match(if_match, record_etag(employer))
    changed = data.model_dump(exclude_unset=True, exclude={"external_refs"})
    errors = null_errors(changed, Employer)
    if data.postal_code is not None:
        check_postal_code(data.postal_code, "postal_code", errors)
    errors += refs.check_unique(data.external_refs or [])
    if errors:
        raise InvalidInput(detail="The employer could not be updated.", errors=errors)
    refs.check_may_set(principal, data.external_refs or [])
    if "support" in changed:
        changed["support"] = dedupe([str(s) for s in changed["support"]])
    employer.sqlmodel_update(changed)
    bump_version(employer)
    session.add(employer)
    assert employer.id is not None
    refs.replace(session, RefResource.employer, employer.id, data.external_refs, principal)
    _record_vacancy_changes(session, employer)
    session.flush()
    return employer_public(session, employer)


def delete_employer(*, session: Session, employer: Employer) -> None:
    """Only an employer without vacancies can go; otherwise close its vacancies first."""
    count = session.exec(
        select(func.count()).select_from(Vacancy).where(Vacancy.employer_id == employer.id)
    ).one()
    if count:
        raise Conflict(
            detail=f"Employer {employer.id} still has {count} vacancies; close them instead.",
            errors=[FieldError("employer_id", "has vacancies")],
        )
    assert employer.id is not None
    revoke_keys_of_employer(session=session, employer_id=employer.id)
    refs.forget(session, RefResource.employer, employer.id)
    session.delete(employer)
    session.flush()


def employer_public(
    session: Session,
    employer: Employer,
    *,
    contacts: bool = True,
    references: list[ExternalRef] | None = None,
) -> EmployerPublic:
    """``contacts=False`` blanks the contact person (personal data) for analysts."""
    data = employer.model_dump(exclude={"version"})
    if not contacts:
        data |= {"contact_name": None, "contact_email": None, "contact_phone": None}
    if references is None:
        references = refs.refs_by_owner(session, RefResource.employer, [employer.id])[
            employer.id or 0
        ]
    return EmployerPublic.model_validate(
        data | {"municipality": municipality_of(employer.postal_code), "external_refs": references}
    )


def upsert_employer_by_ref(
    *,
    session: Session,
    system: str,
    ref_id: str,
    data: EmployerCreate,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> Upserted[EmployerPublic]:
    """Create the employer the reference names, or replace it whole (``PUT …/by-ref``)."""
    data = data.model_copy(update={"external_refs": with_ref(data.external_refs, system, ref_id)})

    def load(employer_id: int) -> Employer | None:
        query = select(Employer).where(Employer.id == employer_id, *employer_scope(principal))
        return session.exec(query).first()

    def replace(employer: Employer) -> EmployerPublic:
        update = EmployerUpdate.model_validate(data.model_dump())
        return update_employer(
            session=session, employer=employer, data=update, if_match=if_match, principal=principal
        )

    steps = UpsertSteps(
        resource=RefResource.employer,
        create=lambda: create_employer(session=session, data=data, principal=principal),
        load=load,
        replace=replace,
        public_of=lambda employer: employer_public(session, employer),
    )
    return upsert(session, steps, system=system, ref_id=ref_id, principal=principal)


def get_employer_by_ref(
    *, session: Session, system: str, ref_id: str, principal: Principal | None = None
) -> Employer:
    employer_id = refs.find_or_404(session, RefResource.employer, system, ref_id)
    return get_employer(session=session, employer_id=employer_id, principal=principal)


def _record_vacancy_changes(session: Session, employer: Employer) -> None:
    """Employer support feeds the language score, so its vacancies' rankings change too."""
    for vacancy_id in session.exec(select(Vacancy.id).where(Vacancy.employer_id == employer.id)):
        changes.record(session, "vacancy", vacancy_id)


def _id(employer: Employer) -> int | None:
    return employer.id

"""Report routes: programme KPIs per site and month, fairness of the rankings by group, and
the proposals firms have not answered."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response

from kai_match.access.budget import spend
from kai_match.api.deps import PrincipalDep, SessionDep, SettingsDep, allow
from kai_match.api.heavy import heavy
from kai_match.api.problems import problem_responses
from kai_match.api.representations import CSV, JSON, csv_content, preferred
from kai_match.api.unit_of_work import domain_router
from kai_match.insights import fairness as fairness_report
from kai_match.insights import proposals, reports
from kai_match.models.api_key import Role
from kai_match.models.common import MAX_RECORD_ID, PlausibleDate, Site
from kai_match.models.placement import ProposalReport
from kai_match.models.reports import FairnessReport, ProgrammeReport
from kai_match.placements.congestion import ProposalCaps

router = domain_router(prefix="/reports", tags=["reports"])


# Reports take up to seconds: each runs in a slot of the heavy work (api.heavy) and pays its
# cost to the caller's budget (access.budget) before the work starts.
def _programme_paid(request: Request, principal: PrincipalDep) -> None:
    spend(request, principal, "programme")


def _fairness_paid(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    k: Annotated[int, Query(ge=1, le=100, description="Top-k cut-off")] = 10,
) -> int:
    """``k``, once the report is paid: every open vacancy ranks every active participant."""
    spend(request, principal, "fairness", k=k, pairs=fairness_report.ranked_pairs(session=session))
    return k


@router.get(
    "/programme",
    response_model=ProgrammeReport,
    responses=problem_responses(422, 503) | csv_content("Programme KPIs (JSON, or CSV on Accept)"),
    **heavy(allow(Role.admin, Role.counsellor, Role.analyst), Depends(_programme_paid)),
)
def programme(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    start: Annotated[
        PlausibleDate | None,
        Query(
            alias="from",
            description="First day (default: 12 months back); not after `to`, and the window "
            f"touches at most {reports.MAX_MONTHS} calendar months",
        ),
    ] = None,
    end: Annotated[
        PlausibleDate | None, Query(alias="to", description="Last day (default today)")
    ] = None,
    site: Annotated[Site | None, Query(description="Counsellors: their own site")] = None,
) -> ProgrammeReport | Response:
    """KPIs per site, month and German level; analysts get counts below 5 as null.

    ``Accept: text/csv`` answers the rows as CSV."""
    report = reports.programme_report(
        session=session,
        principal=principal,
        start=start,
        end=end,
        site=site.value if site else None,
    )
    if preferred(request, (JSON, CSV)) == CSV:
        return Response(
            reports.programme_csv(report),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Vary": "Accept"},
        )
    return report


@router.get(
    "/fairness",
    response_model=FairnessReport,
    responses=problem_responses(422, 503),
    **heavy(allow(Role.admin, Role.analyst)),
)
def fairness(
    session: SessionDep,
    k: Annotated[int, Depends(_fairness_paid)],
    profile: Annotated[
        str | None, Query(min_length=1, max_length=64, description="Default: the active one")
    ] = None,
    version: Annotated[
        int | None, Query(ge=1, le=MAX_RECORD_ID, description="Default: the latest")
    ] = None,
) -> FairnessReport:
    """Scores, top-k selection rates and exposure by site and age band; groups under 5 hidden."""
    return fairness_report.fairness_over_database(
        session=session, profile=profile, version=version, k=k
    )


@router.get(
    "/proposals",
    response_model=ProposalReport,
    responses=problem_responses(422, 503),
    **allow(Role.admin, Role.counsellor),
)
def proposals_report(
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    site: Annotated[Site | None, Query(description="Counsellors: their own site")] = None,
) -> ProposalReport:
    """Firms and vacancies with proposals they have not answered, the longest waiting first,
    with the open proposals counted against the caps (docs/placements.md, "Congestion")."""
    return proposals.proposal_report(
        session=session,
        principal=principal,
        site=site.value if site else None,
        caps=ProposalCaps.from_settings(settings),
    )

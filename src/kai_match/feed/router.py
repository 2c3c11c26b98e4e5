"""Match-list feed: partners pull the current top-N lists that changed since their cursor."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Header, Query, Request, Response

from kai_match.api.deps import PrincipalDep, SessionDep, SettingsDep, allow
from kai_match.api.problems import problem_responses
from kai_match.api.reason_language import LANG_PATTERN, reason_language
from kai_match.api.representations import CSV, JSON, csv_content, match_lists_csv, preferred
from kai_match.api.unit_of_work import domain_router
from kai_match.feed import service
from kai_match.models.api_key import Role
from kai_match.models.feed import MatchListPage

router = domain_router(tags=["matching"])


@router.get(
    "/match-lists",
    response_model=MatchListPage,
    responses=problem_responses(422, 503)
    | csv_content("Match lists (JSON, or CSV on Accept: one row per list item)"),
    **allow(Role.admin, Role.partner, Role.analyst),
)
def match_lists(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    since: Annotated[
        str | None,
        Query(max_length=4000, description="next_cursor of the previous page; none: everything"),
    ] = None,
    side: Annotated[
        Literal["participant", "vacancy"],
        Query(description="Lists of participants (their vacancies) or of open vacancies"),
    ] = "participant",
    limit: Annotated[int, Query(ge=1, le=100, description="Lists per page")] = 20,
    lang: Annotated[str | None, Query(pattern=LANG_PATTERN, description="Reason texts")] = None,
    accept_language: Annotated[str | None, Header(alias="Accept-Language")] = None,
) -> MatchListPage | Response:
    """Each list whose ranking may have changed after the cursor, once per walk, pseudonymised.

    Keep paging while ``has_more``; store the last ``next_cursor`` for the next pull.
    ``Accept: text/csv`` answers one row per list item, the cursor in ``X-Next-Cursor``.
    """
    page = service.match_lists(
        session=session,
        indexes=request.app.state.matching,
        principal=principal,
        side=side,
        since=since,
        limit=limit,
        list_size=settings.match_list_size,
        lang=reason_language(lang, accept_language),
    )
    if preferred(request, (JSON, CSV)) == CSV:
        return match_lists_csv(request, page)
    return page

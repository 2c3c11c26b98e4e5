"""Other representations of JSON answers, chosen by ``Accept``: CSV rankings, JSON-LD vacancies."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import Request, Response

from kai_match.models.feed import MatchListPage
from kai_match.models.matching import RankingOut
from kai_match.scoring import COMPONENTS

CSV = "text/csv"
JSON = "application/json"
JSON_LD = "application/ld+json"


def preferred(request: Request, offered: tuple[str, ...]) -> str:
    """The offered media type the client's ``Accept`` ranks highest (the first on a tie).

    No or a wildcard-only ``Accept`` gets the first offer (JSON).
    """
    best, best_q, best_pos = offered[0], 0.0, len(offered)
    for position, part in enumerate(request.headers.get("accept", "").split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in offered and (q > best_q or (q == best_q and position < best_pos)) and q > 0:
            best, best_q, best_pos = media, q, position
    return best


def csv_content(description: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entry: the 200 answer is also available as CSV."""
    return {200: {"content": {CSV: {"schema": {"type": "string"}}}, "description": description}}


def ranking_csv(request: Request, ranking: RankingOut) -> Response:
    """One row per item: rank, ids, score, each component's contribution, commute minutes.

    Pseudonymised rankings leave ``participant_id`` empty; the weight profile and the next
    page travel in headers (``X-Weight-Profile``, ``Link: rel="next"``).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "rank",
            "participant_id",
            "participant_public_id",
            "vacancy_id",
            "score",
            *(f"{name}_contribution" for name in COMPONENTS),
            "commute_minutes",
            "commute_mode",
        ]
    )
    for item in ranking.items:
        writer.writerow(
            [
                item.rank,
                "" if item.participant_id is None else item.participant_id,
                item.participant_public_id,
                item.vacancy_id,
                item.score,
                *(
                    item.components[name].contribution if name in item.components else ""
                    for name in COMPONENTS
                ),
                item.commute_minutes,
                item.commute_mode or "",
            ]
        )
    headers = {
        "X-Weight-Profile": f"{ranking.weight_profile.name};version={ranking.weight_profile.version}",
        "X-Total-Count": str(ranking.total),
        "Vary": "Accept",
    }
    return _csv_response(buffer, headers, request, cursor=ranking.next_cursor)


def match_lists_csv(request: Request, page: MatchListPage) -> Response:
    """One row per item of every list on the page; a list with no items (or one that left the
    rankings, ``ranked`` false: drop it) is one row without item columns.

    The walk's position travels in headers: ``X-Next-Cursor`` (pass as ``since``),
    ``X-Has-More``, and ``Link: rel="next"`` while the walk has more pages.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "list_participant_public_id",
            "list_vacancy_id",
            "ranked",
            "rank",
            "participant_public_id",
            "vacancy_id",
            "score",
            "commute_minutes",
            "commute_mode",
            "flags",
        ]
    )
    for entry in page.lists:
        key = [entry.participant_public_id or "", entry.vacancy_id or "", str(entry.ranked).lower()]
        items = entry.ranking.items if entry.ranking is not None else []
        if not items:
            writer.writerow([*key, "", "", "", "", "", "", ""])
        for item in items:
            writer.writerow(
                [
                    *key,
                    item.rank,
                    item.participant_public_id,
                    item.vacancy_id,
                    item.score,
                    item.commute_minutes,
                    item.commute_mode or "",
                    "|".join(flag.code for flag in item.flags),
                ]
            )
    headers = {
        "X-Next-Cursor": page.next_cursor,
        "X-Has-More": str(page.has_more).lower(),
        "X-List-Size": str(page.list_size),
        "Vary": "Accept",
    }
    return _csv_response(
        buffer, headers, request, since=page.next_cursor if page.has_more else None
    )


def _csv_response(buffer: io.StringIO, headers: dict[str, str], request: Request, **next_page):
    """The CSV answer; ``next_page`` (one query parameter, None on the last page) becomes
    ``Link: rel="next"``."""
    ((name, value),) = next_page.items()
    if value:
        url = request.url.include_query_params(**{name: value})
        headers = headers | {"Link": f'<{url}>; rel="next"'}
    return Response(buffer.getvalue(), media_type=f"{CSV}; charset=utf-8", headers=headers)


def json_ld_response(document: dict[str, Any], etag: str) -> Response:
    """A JSON-LD document; its ETag is weak, as it is another representation of the record."""
    return Response(
        json.dumps(document, ensure_ascii=False),
        media_type=JSON_LD,
        headers={"ETag": "W/" + etag, "Vary": "Accept"},
    )

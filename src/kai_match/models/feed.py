"""Match-list feed for partner systems (``GET /api/v1/match-lists``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from kai_match.models.matching import RankingOut


class MatchListOut(BaseModel):
    """The current top-N list of one participant or one vacancy."""

    side: Literal["participant", "vacancy"]
    participant_public_id: str | None = Field(None, exclude_if=lambda v: v is None)
    participant_id: int | None = Field(
        None, exclude_if=lambda v: v is None, description="Admins only"
    )
    vacancy_id: int | None = Field(None, exclude_if=lambda v: v is None)
    ranked: bool = Field(
        description="False: the record left the rankings (archived, filled, closed, no consent);"
        " drop its list"
    )
    ranking: RankingOut | None = None


class MatchListPage(BaseModel):
    side: Literal["participant", "vacancy"]
    list_size: int = Field(description="Items per list (KAI_MATCH_LIST_SIZE)")
    lists: list[MatchListOut]
    next_cursor: str = Field(
        description="Pass as `since`: continues this walk while has_more, else starts the next"
    )
    has_more: bool

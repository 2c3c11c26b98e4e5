"""RankingContext: the settings one ranking or explanation runs under, as one value.

Every stage (query encoding, masks, components, reason texts) reads the same profile, day and
collaborators; passing them as one object keeps the stages' signatures short and equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .protocols import CommuteModel, FieldName, GroupName, RelatedSkills, SkillName
from .texts import check_lang
from .weights import DEFAULT_PROFILE, WeightProfile


@dataclass(frozen=True, kw_only=True)
class RankingContext:
    """Who asks, when, under which weight profile, and with which collaborators.

    `employer_view` also requires consent to share with employers (lists shown to employers)
    and checks permits against the end of the start's quarter, not the day (`formulas.
    permit_horizon`); `restricted_texts` words reasons for audiences outside counselling
    (employers, partners, analysts): wanted languages as a count, no literacy, no permit dates;
    `lang` is the language of reason texts ("de" or "en"); `skill_name` labels skills in them,
    `field_name` occupational fields (without it, texts show the field's code), `group_name`
    ISCO-08 groups (without it, texts say only how close an occupation is).
    """

    commute: CommuteModel
    as_of: date
    profile: WeightProfile = DEFAULT_PROFILE
    related: RelatedSkills | None = None
    skill_name: SkillName | None = None
    field_name: FieldName | None = None
    group_name: GroupName | None = None
    employer_view: bool = False
    restricted_texts: bool = False
    lang: str = "de"

    def __post_init__(self) -> None:
        check_lang(self.lang)

    @property
    def as_of_day(self) -> int:
        """`as_of` as the integer day number the index columns use."""
        return self.as_of.toordinal()

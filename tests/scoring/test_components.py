"""The component registry, the ranking context and name-addressed index columns."""

from __future__ import annotations

import pytest

from kai_match.scoring import (
    COMPONENTS,
    DEFAULT_PROFILE,
    RankingContext,
    VacancyIndex,
    explain,
)
from kai_match.scoring.components import REGISTRY
from kai_match.scoring.weights import DEFAULT_WEIGHTS

from .fakes import AS_OF, FakeCommute, make_participant, make_vacancy

COMMUTE = FakeCommute()


def test_components_and_default_weights_come_from_the_registry() -> None:
    assert COMPONENTS == tuple(c.name for c in REGISTRY) == tuple(DEFAULT_WEIGHTS)
    assert dict(DEFAULT_PROFILE.weights) == {c.name: c.default_weight for c in REGISTRY}
    assert tuple(DEFAULT_PROFILE.shares) == COMPONENTS


def test_every_item_carries_every_registered_component_in_order() -> None:
    e = explain(make_participant(), make_vacancy(), RankingContext(commute=COMMUTE, as_of=AS_OF))
    assert tuple(e.components) == COMPONENTS
    for c in REGISTRY:
        assert e.components[c.name].weight == DEFAULT_PROFILE.shares[c.name]


def test_a_context_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang"):
        RankingContext(commute=COMMUTE, as_of=AS_OF, lang="fr")


def test_an_encoder_that_misses_or_invents_a_column_is_refused() -> None:
    class Missing(VacancyIndex):
        def _encode(self, v, row, put, entries, skills) -> None:
            super()._encode(v, row, {**put, "lat": lambda value: None}, entries, skills)

    class Invented(VacancyIndex):
        def _encode(self, v, row, put, entries, skills) -> None:
            super()._encode(v, row, put, entries, skills)
            put["colour"]("blue")

    with pytest.raises(ValueError, match="lat"):
        Missing([make_vacancy()])
    with pytest.raises(KeyError, match="colour"):
        Invented([make_vacancy()])

"""Collaborators the engine needs but does not own, as structural types (injected by the caller).

The geo package implements `CommuteModel`, the taxonomy package provides `RelatedSkills`; scoring
imports neither, so it runs and is tested without them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike

RelatedSkills = Callable[[str], Mapping[str, float]]
"""`related(skill_id)` → similar skills with similarity in (0, 1), used for partial credit."""

SkillName = Callable[[str], str]
"""`skill_name(skill_id)` → a human-readable label for reason texts."""

FieldName = Callable[[str, str], str]
"""`field_name(field, lang)` → the label of an occupational field in that language."""

GroupName = Callable[[str, str], str | None]
"""`group_name(isco_group, lang)` → the title of an ISCO-08 group in that language, or None."""


@runtime_checkable
class CommuteModel(Protocol):
    """Door-to-door travel time by the best mode a person has.

    Every argument is a scalar or a numpy array; arrays broadcast against each other. Returns
    minutes (float64, `inf` when unreachable) and the index of the best mode in `MODES`
    (walk, bike, public_transport, car) as int8.
    """

    def best_minutes(
        self,
        *,
        origin_lat: ArrayLike,
        origin_lon: ArrayLike,
        origin_transit: ArrayLike,
        dest_lat: ArrayLike,
        dest_lon: ArrayLike,
        dest_transit: ArrayLike,
        off_peak: ArrayLike,
        car: ArrayLike,
        bike: ArrayLike,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Minutes and mode index of the fastest available mode."""
        ...

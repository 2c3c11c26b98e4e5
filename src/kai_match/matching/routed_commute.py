"""A second opinion on one commute from a routing server (OSRM / OpenTripPlanner)."""

from __future__ import annotations

from kai_match.data.geo import Router
from kai_match.matching.inputs import participant_place, vacancy_place
from kai_match.models import Participant, Vacancy
from kai_match.models.matching import RoutedCommuteOut
from kai_match.scoring import off_peak_for


def routed_commute(
    router: Router, participant: Participant, vacancy: Vacancy
) -> RoutedCommuteOut | None:
    """Door-to-door time by the person's best mode, as the configured server routes it.

    From the points the ranking uses (coordinates, named municipality, or the postal code's
    main place), at the hour the ranking judges the trip: off-peak only when every shift of the vacancy the
    person could work is an early, night or weekend shift (`scoring.off_peak_for`).
    """
    home, work = participant_place(participant), vacancy_place(vacancy)
    if home is None or work is None:
        return None
    estimate = router.estimate(
        home,
        work,
        car=participant.has_car and "B" in participant.driving_licences,
        bike=participant.has_bike,
        off_peak=off_peak_for(participant.shifts, vacancy.shifts),
    )
    return RoutedCommuteOut(
        minutes=round(estimate.minutes, 1), mode=estimate.mode, source=estimate.source
    )

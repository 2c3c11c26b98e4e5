"""Connection Scan Algorithm over one day's connections, for many targets (origins) at once.

Both scans keep one column per target (origin) and update a whole row of stops × columns per
connection, so the Python loop runs once per connection and numpy does the per-target work.

- ``latest_departures`` (arrive-by profile): the latest time one can leave each stop and still
  reach the target by the deadline. Connections are scanned by decreasing arrival.
- ``earliest_arrivals`` (depart-after): the earliest arrival at each stop when leaving the origin
  at the start time. Connections are scanned by increasing departure.

Rules: staying on a trip needs no time; changing vehicles needs the stop's change time, or a
footpath's transfer time to a neighbouring stop; walking at the very start or end of a journey
takes the footpath's walking time only. A journey uses at least one vehicle. Only connections
inside the window (departure ≥ deadline − window, arrival ≤ deadline; or departure ≥ start,
arrival ≤ start + window) count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kai_match.data.geo.timetable.footpaths import Network
from kai_match.data.geo.timetable.gtfs import DayConnections

NEVER_LEFT = np.int32(-(2**30))
"""Latest departure of a stop from which the target cannot be reached."""
NEVER_ARRIVED = np.int32(2**30)
"""Earliest arrival at a stop that cannot be reached."""

Ends = Sequence[tuple[NDArray[np.integer], NDArray[np.integer]]]
"""Per column: the stops of the target (origin) and the walking seconds between each and the
exact target (origin) point."""


@dataclass(frozen=True, slots=True)
class Scan:
    """The window's connections in scan order as Python ints (numpy scalars are slow in loops)."""

    rows: list[tuple[int, int, int, int, int, bool, bool]]
    n_trips: int


def window(day: DayConnections, low: int, high: int, *, reverse: bool) -> Scan:
    """Connections departing at or after ``low`` and arriving by ``high``, in scan order
    (``reverse``: for ``scan_latest``), prepared once for many batches of columns."""
    sel = np.flatnonzero((day.dep >= low) & (day.arr <= high))
    if reverse:  # latest arrival first; within a trip, later connections first
        order = np.lexsort((-day.seq[sel], -day.dep[sel], -day.arr[sel]))
    else:
        order = np.lexsort((day.seq[sel], day.arr[sel], day.dep[sel]))
    sel = sel[order]
    trips, local = np.unique(day.trip[sel], return_inverse=True)
    rows = list(
        zip(
            day.dep_stop[sel].tolist(),
            day.arr_stop[sel].tolist(),
            day.dep[sel].tolist(),
            day.arr[sel].tolist(),
            local.tolist(),
            day.board[sel].tolist(),
            day.alight[sel].tolist(),
            strict=True,
        )
    )
    return Scan(rows, len(trips))


def _adjacency(
    net: Network, key: NDArray[np.int32], other: NDArray[np.int32]
) -> list[tuple[NDArray, NDArray, NDArray] | None]:
    """Per stop (by ``key``): the footpaths' other stops, walk and transfer seconds as columns."""
    found: list[tuple[NDArray, NDArray, NDArray] | None] = [None] * net.n_stops
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(net.n_stops + 1))
    for stop in np.flatnonzero(np.diff(bounds)).tolist():
        idx = order[bounds[stop] : bounds[stop + 1]]
        found[stop] = (other[idx], net.walk_s[idx][:, None], net.transfer_s[idx][:, None])
    return found


def latest_departures(
    day: DayConnections, net: Network, *, deadline: int, window_s: int, targets: Ends
) -> NDArray[np.int32]:
    """Latest departure (s) from every stop (rows) reaching each target (columns) by
    ``deadline``; NEVER_LEFT where no journey within the window exists."""
    scan = window(day, deadline - window_s, deadline, reverse=True)
    return scan_latest(scan, net, deadline, targets)


def scan_latest(scan: Scan, net: Network, deadline: int, targets: Ends) -> NDArray[np.int32]:
    """``latest_departures`` over a prepared window."""
    n, width = net.n_stops, len(targets)
    leave = np.full((n, width), NEVER_LEFT, np.int32)  # fresh traveller at the stop
    ready = np.full((n, width), NEVER_LEFT, np.int32)  # arrived by vehicle at the stop
    into = _adjacency(net, net.foot_to, net.foot_from)
    for col, (stops, egress) in enumerate(targets):
        at = deadline - np.asarray(egress, np.int64)
        for stop, t in zip(np.asarray(stops).tolist(), at.tolist(), strict=True):
            ready[stop, col] = max(ready[stop, col], t)
            if into[stop] is not None:
                nb, walk, _ = into[stop]
                ready[nb, col] = np.maximum(ready[nb, col], t - walk[:, 0])
    on_trip = np.zeros((scan.n_trips, width), np.bool_)
    change = net.change_s.tolist()
    for u, v, dep, arr, trip, board, alight in scan.rows:
        seated = on_trip[trip]
        if alight:
            ok = ready[v] >= arr
            ok |= seated
        else:
            ok = seated
        if not ok.any():
            continue
        on_trip[trip] = ok
        if not board:
            continue
        cand = np.where(ok, np.int32(dep), NEVER_LEFT)
        np.maximum(leave[u], cand, out=leave[u])
        np.maximum(ready[u], cand - change[u], out=ready[u])
        if into[u] is not None:
            nb, walk, transfer = into[u]
            leave[nb] = np.maximum(leave[nb], cand - walk)
            ready[nb] = np.maximum(ready[nb], cand - transfer)
    return leave


def earliest_arrivals(
    day: DayConnections, net: Network, *, start: int, window_s: int, origins: Ends
) -> NDArray[np.int32]:
    """Earliest arrival (s) at every stop (rows) leaving each origin (columns) at ``start``;
    NEVER_ARRIVED where no journey within the window exists."""
    scan = window(day, start, start + window_s, reverse=False)
    return scan_earliest(scan, net, start, origins)


def scan_earliest(scan: Scan, net: Network, start: int, origins: Ends) -> NDArray[np.int32]:
    """``earliest_arrivals`` over a prepared window."""
    n, width = net.n_stops, len(origins)
    arrive = np.full((n, width), NEVER_ARRIVED, np.int32)  # arrival by vehicle (or walk after)
    ready = np.full((n, width), NEVER_ARRIVED, np.int32)  # can board from this time on
    out_of = _adjacency(net, net.foot_from, net.foot_to)
    for col, (stops, access) in enumerate(origins):
        at = start + np.asarray(access, np.int64)
        for stop, t in zip(np.asarray(stops).tolist(), at.tolist(), strict=True):
            ready[stop, col] = min(ready[stop, col], t)
            if out_of[stop] is not None:
                nb, walk, _ = out_of[stop]
                ready[nb, col] = np.minimum(ready[nb, col], t + walk[:, 0])
    on_trip = np.zeros((scan.n_trips, width), np.bool_)
    change = net.change_s.tolist()
    for u, v, dep, arr, trip, board, alight in scan.rows:
        seated = on_trip[trip]
        if board:
            ok = ready[u] <= dep
            ok |= seated
        else:
            ok = seated
        if not ok.any():
            continue
        on_trip[trip] = ok
        if not alight:
            continue
        cand = np.where(ok, np.int32(arr), NEVER_ARRIVED)
        np.minimum(arrive[v], cand, out=arrive[v])
        np.minimum(ready[v], cand + change[v], out=ready[v])
        if out_of[v] is not None:
            nb, walk, transfer = out_of[v]
            arrive[nb] = np.minimum(arrive[nb], cand + walk)
            ready[nb] = np.minimum(ready[nb], cand + transfer)
    return arrive

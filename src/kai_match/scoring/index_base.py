"""Bookkeeping shared by VacancyIndex and ParticipantIndex: ids, tombstones, compaction, grid."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Generic, TypeVar

import numpy as np

from .store import Columns, SkillEntries, SpatialGrid, bounding_box

P = TypeVar("P")


class Vocabulary(dict[str, int]):
    """Stable string → int ids; ids are never reused, so codes stay valid across compactions."""

    def id(self, key: str) -> int:
        """The id of `key`, assigning the next one if it is new."""
        value = self.get(key)
        if value is None:
            value = self[key] = len(self)
        return value


Put = dict[str, Callable[[Any], None]]
"""Per column name, the `append` of that column's pending values: `put["lat"](51.2)`.

Encoders address every value by its column name, so ROW_DTYPES and the encoders cannot drift
apart by order. Appending per column (rather than returning a dict per record, measured 20 %
slower on a bulk build) keeps encoding as fast as the old positional tuples.
"""


class _Pending:
    """The values put per column during one `extend`.

    Kept per index and emptied after each `extend`: building the lists anew cost more than
    encoding the one row of an upsert.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.columns: dict[str, list] = {name: [] for name in names}
        self.put: Put = {name: values.append for name, values in self.columns.items()}
        self._lists = list(self.columns.values())

    def check(self, n: int | None, table: str) -> None:
        """Every column got `n` values (None: the same number), else the encoder is wrong."""
        lengths = set(map(len, self._lists))
        if len(lengths) > 1 or (n is not None and lengths - {n}):
            counts = {name: len(values) for name, values in self.columns.items()}
            want = "the same number" if n is None else n
            raise ValueError(f"{table}: values per column {counts}, want {want} each")

    def clear(self) -> None:
        for values in self._lists:
            values.clear()


class BaseIndex(Generic[P]):
    """Rows of profiles with O(1) amortised upsert/remove and lazy compaction.

    Subclasses define ROW_DTYPES, ENTRY_DTYPES and `_encode` (which puts one value per row
    column, and any entries, by column name), and name their coordinate columns in LAT/LON.
    """

    LAT = "lat"  # names of the coordinate columns used by the spatial grid
    LON = "lon"
    ROW_DTYPES: ClassVar[dict[str, Any]] = {}
    ENTRY_DTYPES: ClassVar[dict[str, dict[str, Any]]] = {}
    # Compaction once the uncompacted tail or the dead rows exceed these shares (or 1024 rows).
    TAIL_SHARE = 0.125
    DEAD_SHARE = 0.25

    def __init__(self, profiles: Iterable[P] = ()) -> None:
        self.cols = Columns({"id": np.int64, "alive": np.bool_, **self.ROW_DTYPES})
        self.entries = {name: Columns(dt) for name, dt in self.ENTRY_DTYPES.items()}
        self.skills = SkillEntries()
        self.skill_vocab = Vocabulary()
        self._row_of: dict[int, int] = {}
        self._profiles: dict[int, P] = {}
        self._main_rows = 0
        self._dead = 0
        self._grid: SpatialGrid | None = None
        self._alive_rows: np.ndarray | None = None
        self._pending = _Pending(self.ROW_DTYPES)
        self._pending_entries = {name: _Pending(dt) for name, dt in self.ENTRY_DTYPES.items()}
        self._entry_put = {name: pending.put for name, pending in self._pending_entries.items()}
        self.extend(profiles)
        self.compact()

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._profiles)

    def __contains__(self, profile_id: object) -> bool:
        return profile_id in self._profiles

    def __iter__(self) -> Iterator[P]:
        return iter(self._profiles.values())

    def get(self, profile_id: int) -> P | None:
        """The indexed profile with this id, or None."""
        return self._profiles.get(profile_id)

    def row_of(self, profile_id: int) -> int | None:
        """The live row of a profile id (internal, for explanations)."""
        return self._row_of.get(profile_id)

    def profile_at(self, row: int) -> P:
        """The profile stored in a row."""
        return self._profiles[int(self.cols["id"][row])]

    def entries_of(self, name: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the entries of the given rows in entry table `name`, and each one's
        position in `rows` (entries are stored in row order: appended per row, renumbered in
        order by compaction)."""
        owner_rows = self.entries[name]["row"]
        if not len(owner_rows) or not len(rows):
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        lo = np.searchsorted(owner_rows, rows, side="left")
        counts = np.searchsorted(owner_rows, rows, side="right") - lo
        total = int(counts.sum())
        if not total:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        owner = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
        first = np.cumsum(counts) - counts
        positions = np.arange(total, dtype=np.int64) + np.repeat(lo - first, counts)
        return positions, owner

    # -- writing ------------------------------------------------------------------------------

    def upsert(self, profile: P) -> None:
        """Insert or replace one profile (matched by id); O(1) amortised."""
        self.extend((profile,))

    def extend(self, profiles: Iterable[P]) -> None:
        """Insert or replace many profiles at once (bulk load); the last one per id wins."""
        latest = {p.id: p for p in profiles}  # type: ignore[attr-defined]
        if not latest:
            return
        for pid in latest:
            self._tombstone(pid)
        first = self.cols.n
        pending, put = self._pending, self._pending.put
        skill_entries: list[tuple[int, int, int]] = []
        try:
            for offset, (pid, profile) in enumerate(latest.items()):
                row = first + offset
                self._encode(profile, row, put, self._entry_put, skill_entries)
                self._row_of[pid] = row
                self._profiles[pid] = profile
            kind = type(self).__name__
            pending.check(len(latest), kind)
            self.cols.extend({"id": list(latest), "alive": [True] * len(latest), **pending.columns})
            for name, table in self._pending_entries.items():
                table.check(None, f"{kind}.entries[{name!r}]")
                self.entries[name].extend(table.columns)
        finally:
            pending.clear()
            for table in self._pending_entries.values():
                table.clear()
        if skill_entries:
            r, c, k = zip(*skill_entries, strict=True)
            self.skills.coo.extend({"row": r, "col": c, "code": k})
        self._changed()

    def remove(self, profile_id: int) -> bool:
        """Drop a profile; True if it was indexed."""
        found = self._tombstone(profile_id)
        if found:
            self._changed()
        return found

    def _tombstone(self, profile_id: int) -> bool:
        row = self._row_of.pop(profile_id, None)
        self._profiles.pop(profile_id, None)
        if row is None:
            return False
        self.cols._data["alive"][row] = False
        self._dead += 1
        return True

    def _changed(self) -> None:
        self._alive_rows = None

    def _encode(
        self, profile: P, row: int, put: Put, entries: Mapping[str, Put], skills: list[tuple]
    ) -> None:
        """Put one value per row column of a profile, and its entries and skill entries."""
        raise NotImplementedError

    # -- compaction -----------------------------------------------------------------------------

    def compact(self) -> None:
        """Drop dead rows, sort skill entries by column and rebuild the grid lazily."""
        alive = self.cols["alive"].copy()
        new_row = np.cumsum(alive) - 1
        self.cols.keep(alive)
        for table in self.entries.values():
            mask = alive[table["row"]]
            table.keep(mask)
            table._data["row"] = new_row[table["row"]]
        self.skills.keep_rows(alive, new_row)
        self.skills.rebuild(self.cols.n, len(self.skill_vocab))
        self._row_of = dict(zip(self.cols["id"].tolist(), range(self.cols.n), strict=True))
        self._main_rows = self.cols.n
        self._dead = 0
        self._grid = None
        self._changed()

    def maybe_compact(self) -> None:
        """Compact when the tail or the dead rows have grown past their share."""
        n = self.cols.n
        tail = n - self._main_rows
        if tail > max(1024, self.TAIL_SHARE * self._main_rows) or self._dead > max(
            1024, self.DEAD_SHARE * n
        ):
            self.compact()

    # -- candidates ---------------------------------------------------------------------------

    def live_rows(self) -> np.ndarray:
        """All live rows, ascending."""
        if self._alive_rows is None:
            self._alive_rows = np.flatnonzero(self.cols["alive"])
        return self._alive_rows

    def rows_near(self, lat: float, lon: float, radius_km: float) -> np.ndarray:
        """Live rows within a box around (lat, lon) that covers `radius_km` (a superset)."""
        lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, radius_km)
        if self._grid is None:
            m = self._main_rows
            self._grid = SpatialGrid(self.cols[self.LAT][:m], self.cols[self.LON][:m])
        rows = self._grid.rows_in_box(lat_min, lat_max, lon_min, lon_max)
        tail = np.arange(self._main_rows, self.cols.n, dtype=np.int64)
        if len(tail):
            rows = np.concatenate([rows, tail])
        lat_c, lon_c = self.cols[self.LAT][rows], self.cols[self.LON][rows]
        inside = (lat_c >= lat_min) & (lat_c <= lat_max) & (lon_c >= lon_min) & (lon_c <= lon_max)
        rows = rows[inside & self.cols["alive"][rows]]
        rows.sort()
        return rows

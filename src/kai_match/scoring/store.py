"""Columnar storage shared by the vacancy and participant indexes.

Rows live in growable numpy columns. Writes append a row and tombstone the old one, so an upsert
costs O(1) amortised; rows appended since the last compaction form a small "tail" that queries
scan directly, while the compacted "main" part has a column-sorted (CSC) copy of the skill
entries and a spatial grid. Compaction (dropping dead rows, re-sorting) runs lazily at the next
query once the tail or the dead share grows past a threshold, so its cost is amortised too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp


class Columns:
    """Named parallel numpy columns with amortised O(1) append."""

    def __init__(self, dtypes: Mapping[str, np.dtype | type]) -> None:
        self.n = 0
        self._cap = 0
        self._data = {k: np.empty(0, dtype=dt) for k, dt in dtypes.items()}

    def _reserve(self, extra: int) -> None:
        need = self.n + extra
        if need <= self._cap:
            return
        cap = max(need, 2 * self._cap, 64)
        for k, a in self._data.items():
            grown = np.empty(cap, dtype=a.dtype)
            grown[: self.n] = a[: self.n]
            self._data[k] = grown
        self._cap = cap

    def extend(self, cols: Mapping[str, Sequence | np.ndarray]) -> None:
        """Append rows given column-wise (every column, same length)."""
        lengths = {len(v) for v in cols.values()}
        if len(lengths) > 1 or set(cols) != set(self._data):
            raise ValueError("columns differ in names or lengths")
        m = lengths.pop() if lengths else 0
        self._reserve(m)
        for k, a in self._data.items():
            a[self.n : self.n + m] = cols[k]
        self.n += m

    def __getitem__(self, name: str) -> np.ndarray:
        return self._data[name][: self.n]

    def keep(self, mask: np.ndarray) -> None:
        """Drop the rows where `mask` is False (compaction)."""
        for k in self._data:
            self._data[k] = self._data[k][: self.n][mask].copy()
        self.n = int(mask.sum())
        self._cap = self.n


BIG_COLUMN = 512  # entries from which a column is swept as a slice rather than gathered


def sweep_columns(
    out: np.ndarray,
    indptr: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    values_of,
) -> None:
    """Add `values_of(col, start, stop)` (or 1) at the rows of each column's entries.

    Large columns are processed as contiguous slices (no gathers); the many small columns a
    wide set of related skills brings in are gathered at once, so neither kind of input makes
    the Python loop long.
    """
    cols = cols[cols < len(indptr) - 1]
    if not len(cols):
        return
    sizes = indptr[cols + 1] - indptr[cols]
    for col in cols[sizes >= BIG_COLUMN].tolist():
        a, b = int(indptr[col]), int(indptr[col + 1])
        out[rows[a:b]] += 1 if values_of is None else values_of(col, a, b)
    small = cols[(sizes > 0) & (sizes < BIG_COLUMN)]
    if len(small):
        pos, col_of = gather_columns(indptr, small)
        np.add.at(out, rows[pos], 1 if values_of is None else values_of(col_of, pos, None))


def gather_columns(indptr: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of all entries of the given CSC columns, and each entry's column."""
    cols = cols[cols < len(indptr) - 1]
    starts = indptr[cols]
    lengths = indptr[cols + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    first = np.cumsum(lengths) - lengths
    positions = np.arange(total, dtype=np.int64) + np.repeat(starts - first, lengths)
    return positions, np.repeat(cols, lengths)


class SkillEntries:
    """Row × skill entries (COO, append-only) plus a CSC copy of the compacted part.

    `code` packs two small integers per entry (importance and level for vacancies, source and
    level for participants) as `a * 8 + level`, which keeps the sparse data nonzero.
    """

    def __init__(self) -> None:
        self.coo = Columns({"row": np.int64, "col": np.int64, "code": np.int16})
        self.main_nnz = 0
        self.indptr = np.zeros(1, dtype=np.int64)
        self.csc_row = np.empty(0, dtype=np.int64)
        self.csc_code = np.empty(0, dtype=np.int16)
        self.csc_slot = np.empty(0, dtype=np.int64)  # col * 4 + level - 1
        self.csc_level0 = np.empty(0, dtype=np.intp)  # level - 1
        self.csc_kind = np.empty(0, dtype=np.int8)  # code >> 3
        self._derived: dict[object, object] = {}

    def rebuild(self, main_rows: int, n_cols: int) -> None:
        """Re-sort all entries by column (after compaction, every row is 'main')."""
        rows, cols, codes = self.coo["row"], self.coo["col"], self.coo["code"]
        matrix = sp.csr_matrix((codes, (rows, cols)), shape=(main_rows, n_cols)).tocsc()
        matrix.sort_indices()
        self.indptr = matrix.indptr.astype(np.int64)
        self.csc_row = matrix.indices.astype(np.int64)
        self.csc_code = matrix.data.astype(np.int16)
        csc_col = np.repeat(np.arange(n_cols, dtype=np.int64), np.diff(self.indptr))
        self.csc_slot = csc_col * 4 + (self.csc_code & 7) - 1
        self.csc_level0 = ((self.csc_code & 7) - 1).astype(np.intp)
        self.csc_kind = (self.csc_code >> 3).astype(np.int8)
        self.main_nnz = self.coo.n
        self._derived = {}

    def kind_weights(self, weights: tuple[float, ...]) -> np.ndarray:
        """Per main entry, `weights[kind]` (cached until the next rebuild)."""
        key = ("weights", weights)
        if key not in self._derived:
            self._derived[key] = np.asarray(weights, dtype=np.float64)[self.csc_kind]
        return self._derived[key]  # type: ignore[return-value]

    def kind0_columns(self) -> tuple[np.ndarray, np.ndarray]:
        """(indptr, rows) of the main entries of kind 0 only (e.g. must skills), by column."""
        if "kind0" not in self._derived:
            hit = self.csc_kind == 0
            counts = np.bincount(self.csc_slot[hit] >> 2, minlength=len(self.indptr) - 1)
            indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
            self._derived["kind0"] = (indptr, self.csc_row[hit])
        return self._derived["kind0"]  # type: ignore[return-value]

    def keep_rows(self, alive: np.ndarray, new_row: np.ndarray) -> None:
        """Drop entries of dead rows and renumber the rest."""
        mask = alive[self.coo["row"]]
        self.coo.keep(mask)
        self.coo._data["row"] = new_row[self.coo["row"]]

    def tail(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, columns and codes of entries appended since the last rebuild."""
        s = slice(self.main_nnz, self.coo.n)
        return self.coo["row"][s], self.coo["col"][s], self.coo["code"][s]

    def column(self, col: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows and codes of one skill column (main and tail)."""
        rows = np.empty(0, dtype=np.int64)
        codes = np.empty(0, dtype=np.int16)
        if col < len(self.indptr) - 1:
            a, b = self.indptr[col], self.indptr[col + 1]
            rows, codes = self.csc_row[a:b], self.csc_code[a:b]
        t_rows, t_cols, t_codes = self.tail()
        if len(t_rows):
            hit = t_cols == col
            if hit.any():
                rows = np.concatenate([rows, t_rows[hit]])
                codes = np.concatenate([codes, t_codes[hit]])
        return rows, codes

    def matrix(self, n_rows: int, n_cols: int, data: np.ndarray) -> sp.csr_matrix:
        """All entries as a row × skill CSR matrix with the given per-entry data."""
        return sp.csr_matrix((data, (self.coo["row"], self.coo["col"])), shape=(n_rows, n_cols))


class SpatialGrid:
    """Rows bucketed by lat/lon cells, for bounding-box candidate lookup."""

    def __init__(self, lat: np.ndarray, lon: np.ndarray, cell_deg: float = 0.1) -> None:
        self.cell = cell_deg
        self.n = len(lat)
        if self.n == 0:
            self.keys = np.empty(0, dtype=np.int64)
            self.rows = np.empty(0, dtype=np.int64)
            return
        i = np.floor(lat / cell_deg).astype(np.int64)
        j = np.floor(lon / cell_deg).astype(np.int64)
        self.j0 = int(j.min())
        self.width = int(j.max()) - self.j0 + 1
        keys = i * self.width + (j - self.j0)
        self.rows = np.argsort(keys, kind="stable").astype(np.int64)
        self.keys = keys[self.rows]

    def rows_in_box(self, lat_min: float, lat_max: float, lon_min: float, lon_max: float):
        """Rows whose cell overlaps the box (a superset of rows inside it)."""
        if self.n == 0:
            return self.rows
        j_lo = max(int(np.floor(lon_min / self.cell)) - self.j0, 0)
        j_hi = min(int(np.floor(lon_max / self.cell)) - self.j0, self.width - 1)
        if j_lo > j_hi:
            return np.empty(0, dtype=np.int64)
        parts = []
        for i in range(int(np.floor(lat_min / self.cell)), int(np.floor(lat_max / self.cell)) + 1):
            a = np.searchsorted(self.keys, i * self.width + j_lo, side="left")
            b = np.searchsorted(self.keys, i * self.width + j_hi, side="right")
            if b > a:
                parts.append(self.rows[a:b])
        if not parts:
            return np.empty(0, dtype=np.int64)
        return np.concatenate(parts)


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """A lat/lon box that contains every point within `radius_km` great-circle distance."""
    earth_r = 6371.0088
    delta = radius_km / earth_r * 1.001  # angular radius, with a margin for rounding
    lat_min = max(lat - np.degrees(delta), -90.0)
    lat_max = min(lat + np.degrees(delta), 90.0)
    cos_lat = np.cos(np.radians(lat))
    if delta >= np.pi / 2 or np.sin(delta) >= cos_lat:
        return lat_min, lat_max, -180.0, 180.0
    dlon = np.degrees(np.arcsin(np.sin(delta) / cos_lat))
    if lon - dlon < -180.0 or lon + dlon > 180.0:
        return lat_min, lat_max, -180.0, 180.0
    return lat_min, lat_max, lon - dlon, lon + dlon

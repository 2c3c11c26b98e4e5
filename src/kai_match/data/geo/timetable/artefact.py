"""The precomputed file: zone centres and one zone × zone minutes matrix per time band (.npz).

Plain arrays and a JSON string, read with ``allow_pickle=False``: loading a file an operator
copied from elsewhere runs no code. Matrices are uint16 minutes, ``UNREACHABLE`` where no
journey exists within the band's window.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

FORMAT = 1
UNREACHABLE = 65535
BAND_NAMES = ("weekday_peak", "weekday_early", "weekday_late", "weekend")


@dataclass(frozen=True, slots=True)
class TransitMatrices:
    """Zones and their door-to-door-ready minutes per band: ``bands[name][origin, dest]``."""

    zone_lat: NDArray[np.float64]
    zone_lon: NDArray[np.float64]
    zone_departures: NDArray[np.int32]
    zone_rail: NDArray[np.bool_]
    bands: dict[str, NDArray[np.uint16]]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n_zones(self) -> int:
        return len(self.zone_lat)

    def save(self, path: Path) -> int:
        """Write atomically (a reader never sees half a file); returns the size in bytes."""
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {
            "format": np.array(FORMAT),
            "meta": np.array(json.dumps(self.meta, sort_keys=True)),
            "zone_lat": self.zone_lat,
            "zone_lon": self.zone_lon,
            "zone_departures": self.zone_departures,
            "zone_rail": self.zone_rail,
        }
        arrays |= {f"band_{name}": matrix for name, matrix in self.bands.items()}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez_compressed(out, **arrays)
            os.chmod(tmp, 0o644)  # a public timetable: the service may run as another user
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path.stat().st_size

    @classmethod
    def load(cls, path: Path, bands: Iterable[str] | None = None) -> TransitMatrices:
        """Read ``path`` (only the named ``bands``, default all); ValueError if it is not one."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if "format" not in data.files or int(data["format"]) != FORMAT:
                    raise ValueError(f"{path} is not a kai-match transit file (format {FORMAT})")
                wanted = BAND_NAMES if bands is None else tuple(bands)
                missing = [b for b in wanted if f"band_{b}" not in data.files]
                if missing:
                    raise ValueError(f"{path} lacks the bands {missing}")
                found = cls(
                    zone_lat=data["zone_lat"].astype(np.float64),
                    zone_lon=data["zone_lon"].astype(np.float64),
                    zone_departures=data["zone_departures"],
                    zone_rail=data["zone_rail"],
                    bands={b: data[f"band_{b}"].astype(np.uint16, copy=False) for b in wanted},
                    meta=json.loads(str(data["meta"])),
                )
        except (OSError, EOFError, KeyError) as exc:
            raise ValueError(f"{path} cannot be read as a transit file: {exc}") from None
        except ValueError as exc:
            if str(path) in str(exc):
                raise
            raise ValueError(f"{path} cannot be read as a transit file: {exc}") from None
        z = found.n_zones
        if any(m.shape != (z, z) for m in found.bands.values()):
            raise ValueError(f"{path}: a matrix does not match its {z} zones")
        return found

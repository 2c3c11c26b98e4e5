"""Great-circle distance that broadcasts like any numpy ufunc."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), the usual choice for the haversine formula."""


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray:
    """Great-circle distance in km between points given in degrees.

    Arguments broadcast against each other, so one origin against an array of destinations is a
    single call. Float32 inputs are computed in float32 (fast, ~1 m error at district scale, which
    the commute estimator uses); anything else is computed in float64.
    """
    arrays = [np.asarray(x) for x in (lat1, lon1, lat2, lon2)]
    dtype = np.result_type(*arrays)
    if dtype != np.float32:
        dtype = np.dtype(np.float64)
    p1, l1, p2, l2 = (np.radians(a.astype(dtype, copy=False)) for a in arrays)
    half = dtype.type(0.5)
    a = np.sin((p2 - p1) * half) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) * half) ** 2
    # Rounding can push a a hair past 1 for antipodal points; arcsin would return NaN.
    a = np.minimum(a, dtype.type(1.0))
    return dtype.type(2.0 * EARTH_RADIUS_KM) * np.arcsin(np.sqrt(a))

"""Great-circle distance that broadcasts like any numpy ufunc."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), the usual choice for the haversine formula."""

_RAD = math.pi / 180.0
_HALF_RAD = math.pi / 360.0


def _cos_lat(lat: NDArray, buf: NDArray) -> NDArray:
    """cos(latitude), computed in ``buf`` when ``lat`` already has the full shape."""
    if lat.shape == buf.shape:
        np.multiply(lat, _RAD, out=buf)
        return np.cos(buf, out=buf)
    return np.cos(lat * _RAD)


def haversine_into(
    out: NDArray,
    tmp: tuple[NDArray, NDArray, NDArray],
    lat1: NDArray,
    lon1: NDArray,
    lat2: NDArray,
    lon2: NDArray,
) -> NDArray:
    """Haversine distance (km) written into ``out``, using three scratch arrays of its shape.

    The commute estimator calls this with reused buffers: allocating fresh 100k-element arrays
    costs more in page faults than the arithmetic itself.
    """
    t1, t2, t3 = tmp
    np.subtract(lat2, lat1, out=out)
    np.multiply(out, _HALF_RAD, out=out)
    np.sin(out, out=out)
    np.multiply(out, out, out=out)
    np.subtract(lon2, lon1, out=t1)
    np.multiply(t1, _HALF_RAD, out=t1)
    np.sin(t1, out=t1)
    np.multiply(t1, t1, out=t1)
    np.multiply(t1, _cos_lat(lat1, t2), out=t1)
    np.multiply(t1, _cos_lat(lat2, t3), out=t1)
    np.add(out, t1, out=out)
    # Rounding can push the term a hair past 1 for antipodal points; arcsin would return NaN.
    np.minimum(out, 1.0, out=out)
    np.sqrt(out, out=out)
    np.arcsin(out, out=out)
    return np.multiply(out, 2.0 * EARTH_RADIUS_KM, out=out)


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray:
    """Great-circle distance in km between points given in degrees.

    Arguments broadcast against each other, so one origin against an array of destinations is a
    single call. All-float32 input is computed in float32 (fast, ~1 m error at district scale);
    anything else in float64.
    """
    arrays = [np.asarray(x) for x in (lat1, lon1, lat2, lon2)]
    dtype = np.result_type(*arrays)
    if dtype != np.float32:
        dtype = np.dtype(np.float64)
        arrays = [a.astype(dtype, copy=False) for a in arrays]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    out = np.empty(shape, dtype)
    tmp = (np.empty(shape, dtype), np.empty(shape, dtype), np.empty(shape, dtype))
    return haversine_into(out, tmp, *arrays)[()]

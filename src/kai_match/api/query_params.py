"""Unknown query parameters are a 422 that names them, on every ``/api/v1`` route.

A typo (``?q=Haddad``, ``?limt=10``) would otherwise be ignored and answer the unfiltered list,
which looks like a real result. The names a route accepts are the query parameters of its
dependency tree, read once per route; the check is a router-level dependency in ``main.py``
(after the caller is known, so an anonymous request still gets its 401 first).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from pydantic import BaseModel

from kai_match.errors import FieldError, InvalidInput

RULE = "is not a parameter of this operation"
_CACHE = "_kai_query_parameters"  # an attribute of the route: computed once per route


def _names_of(dependant: Dependant) -> frozenset[str]:
    names: set[str] = set()
    for field in dependant.query_params:
        annotation = field.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.update(f.alias or n for n, f in annotation.model_fields.items())
        else:
            names.add(field.alias)
    for sub in dependant.dependencies:
        names |= _names_of(sub)
    return frozenset(names)


def known_query_parameters(route: object) -> frozenset[str]:
    """Every query parameter name ``route`` (an ``APIRoute``) declares, its dependencies' too."""
    found = getattr(route, _CACHE, None)
    if found is None:
        dependant = getattr(route, "dependant", None)
        found = _names_of(dependant) if dependant is not None else frozenset()
        setattr(route, _CACHE, found)
    return found


async def reject_unknown_query_parameters(request: Request) -> None:
    """422 naming each query parameter the route does not declare (nothing else is checked)."""
    if not request.query_params:
        return
    route = request.scope.get("route")
    if route is None:
        return
    known = known_query_parameters(route)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in known]
    if unknown:
        noun = "parameter" if len(unknown) == 1 else "parameters"
        raise InvalidInput(
            detail=f"The request has {len(unknown)} unknown query {noun}: " + ", ".join(unknown),
            errors=[FieldError(name, RULE) for name in unknown],
        )

"""A JobPosting's ``identifier`` as an external reference, so that a re-import updates.

schema.org lets ``identifier`` be a text, a ``PropertyValue`` (``propertyID`` names the
system) or a list of them. A plain text says nothing about whose id it is, so it becomes a
reference only with ``?ref_system=``; kai-match's own id (``kai-match:vacancy``, which our
JobPosting output carries) is never a reference: the record is addressed by its URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kai_match.models.external_ref import REF_ID_PATTERN, SYSTEM_PATTERN, ExternalRef

OWN_PROPERTY_ID = "kai-match:vacancy"
_SYSTEM = re.compile(SYSTEM_PATTERN)
_REF_ID = re.compile(REF_ID_PATTERN)


@dataclass
class IdentifierMapping:
    references: list[ExternalRef] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (field, reason)


def references_of(identifier: Any, ref_system: str | None) -> IdentifierMapping:
    """The references an ``identifier`` names; what cannot become one is listed with why."""
    result = IdentifierMapping()
    items = identifier if isinstance(identifier, list) else [identifier]
    for index, item in enumerate(items):
        name = "identifier" if len(items) == 1 else f"identifier[{index}]"
        system, value = _system_and_value(item, ref_system)
        if system == OWN_PROPERTY_ID:
            result.skipped.append((name, "kai-match's own id; address the vacancy by its URL"))
        elif system is None:
            result.skipped.append(
                (name, "a plain identifier needs ?ref_system=… to say whose id it is")
            )
        elif not _SYSTEM.match(system):
            result.skipped.append(
                (name, f"propertyID '{system}' is no system name (a-z, 0-9, '.', '_', '-')")
            )
        elif value is None or not _REF_ID.match(value):
            result.skipped.append((name, "the value is no id of 1–200 printable characters"))
        elif all(r.system != system or r.id != value for r in result.references):
            result.references.append(ExternalRef(system=system, id=value))
    return result


def _system_and_value(item: Any, ref_system: str | None) -> tuple[str | None, str | None]:
    if isinstance(item, dict):
        system = item.get("propertyID") or item.get("name")
        value = item.get("value")
        return (
            system.strip().lower() if isinstance(system, str) else None,
            str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None,
        )
    if isinstance(item, str | int) and not isinstance(item, bool):
        return ref_system, str(item)
    return None, None

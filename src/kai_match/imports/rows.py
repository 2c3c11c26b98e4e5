"""A bulk body as rows: JSON array, JSON Lines, JobPosting ``@graph``, or CSV.

Rows keep their number in the file (1 = the first record; for CSV the first line after the
header), so a report can point a person at the line to fix in their spreadsheet. CSV comes the
way German Excel saves it as well: ``;`` as separator and UTF-8 with a byte-order mark.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kai_match.errors import FieldError, InvalidInput


class BodyFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


MEDIA_TYPES = {
    "application/json": BodyFormat.json,
    "application/ld+json": BodyFormat.json,
    "application/x-ndjson": BodyFormat.jsonl,
    "application/jsonl": BodyFormat.jsonl,
    "application/x-jsonlines": BodyFormat.jsonl,
    "text/csv": BodyFormat.csv,
}
SUFFIXES = {".json": BodyFormat.json, ".jsonld": BodyFormat.json, ".jsonl": BodyFormat.jsonl}
SUFFIXES |= {".ndjson": BodyFormat.jsonl, ".csv": BodyFormat.csv}


@dataclass(frozen=True)
class RawRow:
    number: int
    data: dict[str, Any]  # a JSON object, or CSV cells by column name (empty cells left out)


@dataclass(frozen=True)
class ParsedBody:
    format: BodyFormat
    rows: list[RawRow]
    columns: tuple[str, ...] = ()  # CSV only
    job_postings: bool = False  # JSON-LD JobPosting documents


def format_of_media_type(content_type: str | None) -> BodyFormat:
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        raise InvalidInput(
            detail="Send the rows as JSON, JSON Lines or CSV.",
            errors=[FieldError("Content-Type", f"must be one of {', '.join(sorted(MEDIA_TYPES))}")],
        )
    return MEDIA_TYPES[media]


def parse(body: bytes, body_format: BodyFormat, max_rows: int) -> ParsedBody:
    """All rows of a body; 422 naming the line for anything that is not rows at all."""
    text = _decode(body)
    if body_format == BodyFormat.csv:
        parsed = _csv_rows(text)
    elif body_format == BodyFormat.jsonl:
        parsed = ParsedBody(BodyFormat.jsonl, list(_json_lines(text)))
    else:
        parsed = _json_rows(text)
    if not parsed.rows:
        raise InvalidInput(detail="The body holds no rows.", errors=[FieldError("body", "empty")])
    if len(parsed.rows) > max_rows:
        raise InvalidInput(
            detail=f"At most {max_rows} rows per request; split the file.",
            errors=[FieldError("body", f"has {len(parsed.rows)} rows, at most {max_rows}")],
        )
    return parsed


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            detail="The body is not UTF-8. In Excel save as 'CSV UTF-8 (durch Trennzeichen "
            "getrennt)'.",
            errors=[FieldError("body", f"byte {exc.start} is not UTF-8")],
        ) from exc


def _json_rows(text: str) -> ParsedBody:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            detail="The body is no JSON.",
            errors=[FieldError("body", f"line {exc.lineno}, column {exc.colno}: {exc.msg}")],
        ) from exc
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        items = document["@graph"]
    elif isinstance(document, list):
        items = document
    else:
        raise InvalidInput(
            detail="Send a JSON array of rows (or a JSON-LD document with @graph).",
            errors=[FieldError("body", "must be an array or an object with @graph")],
        )
    rows = [RawRow(n, item) for n, item in enumerate(items, start=1)]
    _objects_only(rows)
    postings = [_is_job_posting(r.data) for r in rows]
    if any(postings) and not all(postings):
        first = postings.index(not postings[0]) + 1
        raise InvalidInput(
            detail="Mix no JobPosting documents with plain rows in one body.",
            errors=[FieldError(f"rows[{first}]", "is of another kind than row 1")],
        )
    return ParsedBody(BodyFormat.json, rows, job_postings=bool(rows) and all(postings))


def _json_lines(text: str) -> Iterator[RawRow]:
    number = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        number += 1
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                detail="A line of the JSON Lines body is no JSON.",
                errors=[FieldError(f"line {line_number}", exc.msg)],
            ) from exc
        row = RawRow(number, item)
        _objects_only([row])
        yield row


def _objects_only(rows: list[RawRow]) -> None:
    wrong = [r.number for r in rows if not isinstance(r.data, dict)]
    if wrong:
        raise InvalidInput(
            detail="Every row must be a JSON object.",
            errors=[FieldError(f"rows[{n}]", "is not an object") for n in wrong[:20]],
        )


def _is_job_posting(item: dict[str, Any]) -> bool:
    kind = item.get("@type")
    return kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind)


def _csv_rows(text: str) -> ParsedBody:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return ParsedBody(BodyFormat.csv, [])
    columns = tuple(h.strip().lower() for h in header)
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        raise InvalidInput(
            detail="A column appears twice in the header.",
            errors=[FieldError(f"column {c}", "appears twice") for c in duplicates],
        )
    rows = []
    for number, cells in enumerate(reader, start=1):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(columns):
            raise InvalidInput(
                detail="A line has more cells than the header has columns.",
                errors=[
                    FieldError(f"rows[{number}]", f"{len(cells)} cells, {len(columns)} columns")
                ],
            )
        data = {c: v.strip() for c, v in zip(columns, cells, strict=False) if v.strip()}
        rows.append(RawRow(number, data))
    return ParsedBody(BodyFormat.csv, rows, columns=columns)

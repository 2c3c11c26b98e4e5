"""The duplicate detector: targets on the labelled pairs, and the rules on crafted pairs."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from benchmarks.duplicates import PAIRS, measure
from kai_match.vacancies.duplicates import (
    DUPLICATE_THRESHOLD,
    Posting,
    contradiction,
    duplicate_score,
    employer_similarity,
)


def test_the_labelled_pairs_meet_the_targets():
    rows = list(csv.DictReader(PAIRS.open(encoding="utf-8")))
    assert len(rows) >= 200
    precision, recall, _ = measure(rows)
    assert precision >= 0.95, precision
    assert recall >= 0.90, recall


BASE = Posting("Müller Logistik GmbH", "Lagerhelfer (m/w/d)", "04552", "14729020")


@pytest.mark.parametrize(
    ("other", "same"),
    [
        (Posting("Mueller Logistik", "Helfer/in - Lager", "04552", "14729020"), True),
        (
            Posting("MÜLLER LOGISTIK GMBH & CO. KG", "Lagerhelfer (w/m/d) in Vollzeit", "04552"),
            True,
        ),
        (Posting("Müller Bau GmbH", "Lagerhelfer (m/w/d)", "04552"), False),
        (Posting("Müller Logistik GmbH", "Staplerfahrer (m/w/d)", "04552"), False),
        (Posting("Müller Logistik GmbH", "Lagerhelfer (m/w/d)", "04668", "14729160"), False),
        (Posting("Müller Logistik GmbH", "Ausbildung Lagerhelfer (m/w/d)", "04552"), False),
        (Posting("Müller Logistik GmbH", "Fachkraft für Lagerlogistik (m/w/d)", "04552"), False),
    ],
)
def test_crafted_pairs(other, same):
    assert (duplicate_score(BASE, other) >= DUPLICATE_THRESHOLD) is same


def test_dates_and_surnames_decide():
    spring = Posting("Obsthof Seidel", "Erntehelfer (m/w/d)", "04668", None, date(2026, 4, 1))
    autumn = Posting("Obsthof Seidel", "Erntehelfer (m/w/d)", "04668", None, date(2026, 9, 1))
    assert contradiction(spring, autumn) == "start dates far apart"
    assert employer_similarity("Bäckerei Schulze GmbH", "Bäckerei Schulz") < 1
    assert (
        employer_similarity("Seniorenresidenz Am Muldenufer", "Senioren-Residenz a. Muldenufer")
        == 1
    )
    assert (
        employer_similarity("Wohnungsgenossenschaft Am Wasserturm eG", "WG Am Wasserturm eG") == 1
    )

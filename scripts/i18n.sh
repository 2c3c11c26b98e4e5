#!/bin/sh
# Re-extract the reason texts, merge them into every catalogue and compile them (docs/i18n.md).
set -eu
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
L=src/kai_match/scoring/locales
"$PYBABEL" -q extract -k pgettext_noop:1c,2 --add-comments=Translators: --project=kai-match \
    --copyright-holder=kai-match --header-comment="# Reason texts of kai-match (docs/i18n.md)." \
    -o "$L/kai_match.pot" src/kai_match/scoring
"$PYBABEL" -q update -i "$L/kai_match.pot" -d "$L" -D kai_match --no-fuzzy-matching --ignore-obsolete
"$PYBABEL" compile -d "$L" -D kai_match --statistics
# The words of charts and the funder report: their own catalogue (src/kai_match/analytics/labels.py).
A=src/kai_match/analytics/locales
"$PYBABEL" -q extract -k label -k N_ --no-default-keywords --add-comments=Translators: --project=kai-match \
    --copyright-holder=kai-match --header-comment="# Words of kai-match's charts and reports (docs/i18n.md)." \
    -o "$A/reports.pot" src/kai_match/analytics
for lang in de en; do
    [ -f "$A/$lang/LC_MESSAGES/reports.po" ] ||
        "$PYBABEL" -q init -i "$A/reports.pot" -d "$A" -D reports -l "$lang"
done
"$PYBABEL" -q update -i "$A/reports.pot" -d "$A" -D reports --no-fuzzy-matching --ignore-obsolete
"$PYBABEL" compile -d "$A" -D reports --statistics
# The console's pages (src/kai_match/console/i18n.py): templates and labels of stored codes.
C=src/kai_match/console/locales
mkdir -p "$C"
"$PYBABEL" -q extract -F src/kai_match/console/babel.cfg -k _ -k N_ -k ngettext:1,2 --no-default-keywords \
    --project=kai-match --copyright-holder=kai-match \
    --header-comment="# Words of kai-match's console (docs/console.md)." \
    -o "$C/console.pot" src/kai_match/console
for lang in de en; do
    [ -f "$C/$lang/LC_MESSAGES/console.po" ] ||
        "$PYBABEL" -q init -i "$C/console.pot" -d "$C" -D console -l "$lang"
done
"$PYBABEL" -q update -i "$C/console.pot" -d "$C" -D console --no-fuzzy-matching --ignore-obsolete
"$PYBABEL" compile -d "$C" -D console --statistics

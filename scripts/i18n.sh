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

#!/usr/bin/env python3
"""Validate data/gazetteer/*.tsv (Python 3.11, standard library only).

Usage: python3 tools/check_data.py [--warnings]

Checks the TSV format described in data/README.md, the attribute vocabulary,
cross-references between files (country/capital/canonical names), duplicates,
the total size budget, and that none of the test-fixture person names occur
in data/gazetteer/ or data/README.md.  Exits 1 on any error.
"""
from __future__ import annotations

import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "data")
GAZ = os.path.join(DATA, "gazetteer")
SIZE_LIMIT = 4 * 1024 * 1024

# Test-fixture surnames that must never be in the data (person names must be found by rules).
FORBIDDEN = ["lavrov", "dodik", "crnadak", "dacic", "prilepin", "scherbak"]

TYPES = {"place", "organization", "office", "group", "event", "given_name", "surname",
         "speech_verb", "role", "honorific", "org_word", "sports_word", "source_noun", "office_mod",
         "pronoun", "nominal_cue", "event_tail", "place_word"}
EXPECTED_TYPE = {
    "countries": "place", "demonyms": "place", "regions": "place", "cities": "place",
    "groups": "group", "given_names": "given_name", "surnames": "surname", "world_given_names": "given_name", "world_surnames": "surname", "offices": "office",
    "roles": "role", "honorifics": "honorific", "organizations": "organization",
    "org_words": "org_word", "events": "event", "speech_verbs": "speech_verb", "source_nouns": "source_noun",
    "sports_words": "sports_word", "conll_organizations": "organization", "conll_places": "place",
    "conll_teams": "organization", "office_modifiers": "office_mod", "place_words": "place_word",
}
# Files whose lines carry their own type (given_name or surname; pronoun, nominal_cue, event_tail).
MIXED_TYPES = {"conll_person_names", "function_words"}
ENUMS = {
    "case": {"exact", "fold"},
    "mention": {"name", "demonym"},
    "requires": {"the"},
    "gender": {"m", "f", "u"},
    "ambiguous": {"1"},
    "shared": {"1"},
    "pos": {"prefix", "suffix"},
    "relation": {"office", "occupation"},
    "number": {"plural"},
    "team": {"1"},
}
NUMERIC = {"pop", "count"}
KEY_RE = re.compile(r"^[a-z_][a-z0-9_]*$")


class Entry:
    __slots__ = ("file", "lineno", "phrase", "attrs")

    def __init__(self, file, lineno, phrase, attrs):
        self.file, self.lineno, self.phrase, self.attrs = file, lineno, phrase, attrs

    @property
    def canonical(self):
        return self.attrs.get("canonical", self.phrase)


errors: list[str] = []
warnings: list[str] = []


def err(msg):
    errors.append(msg)


def parse_file(path: str) -> list[Entry]:
    name = os.path.basename(path)
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(f"{name}: not UTF-8 ({e})")
        return []
    if "\r" in text:
        err(f"{name}: contains CR characters (must be LF only)")
    if text.startswith("\ufeff"):
        err(f"{name}: has a byte-order mark")
    if text and not text.endswith("\n"):
        err(f"{name}: no final newline")
    entries = []
    directive: dict[str, str] = {}
    for i, line in enumerate(text.split("\n"), 1):
        where = f"{name}:{i}"
        if line == "" or line.strip() == "":
            if line:
                err(f"{where}: whitespace-only line")
            continue
        if line.startswith("#@"):
            body = line[2:]
            if not body.startswith(" "):
                err(f"{where}: directive must be '#@ key=value ...'")
                continue
            directive = {}
            for tok in body.split():
                k, sep, v = tok.partition("=")
                if not sep or not KEY_RE.match(k) or not v:
                    err(f"{where}: bad directive token {tok!r}")
                    continue
                directive[k] = v
            if "\t" in line:
                err(f"{where}: tab in directive")
            continue
        if line.startswith("#"):
            if len(line) > 1 and line[1] != " ":
                err(f"{where}: '#' line is neither a comment ('# ') nor a directive ('#@ ')")
            continue
        fields = line.split("\t")
        phrase = fields[0]
        if not phrase or phrase != phrase.strip():
            err(f"{where}: empty phrase or leading/trailing whitespace: {phrase!r}")
            continue
        if "  " in phrase:
            err(f"{where}: double space in phrase {phrase!r}")
        attrs = dict(directive)
        own = {}
        for fld in fields[1:]:
            k, sep, v = fld.partition("=")
            if not sep or not KEY_RE.match(k):
                err(f"{where}: attribute is not key=value: {fld!r}")
                continue
            if v == "" or v != v.strip():
                err(f"{where}: empty value or stray whitespace in {fld!r}")
            if k in own:
                err(f"{where}: attribute {k} given twice")
            own[k] = v
        attrs.update(own)
        t = attrs.get("type")
        if t is None:
            err(f"{where}: no type (neither on the line nor in a directive)")
        elif t not in TYPES:
            err(f"{where}: unknown type {t!r}")
        for k, allowed in ENUMS.items():
            if k in attrs and attrs[k] not in allowed:
                err(f"{where}: {k}={attrs[k]!r} not in {sorted(allowed)}")
        for k in NUMERIC:
            if k in attrs and not attrs[k].isdigit():
                err(f"{where}: {k} must be a non-negative integer")
        if "canonical" in own and own["canonical"] == phrase:
            warnings.append(f"{where}: canonical equals the phrase (redundant)")
        entries.append(Entry(name, i, phrase, attrs))
    return entries


def main(argv):
    show_warnings = "--warnings" in argv
    files = sorted(f for f in os.listdir(GAZ) if f.endswith(".tsv"))
    by_file: dict[str, list[Entry]] = {}
    for f in files:
        by_file[f[:-4]] = parse_file(os.path.join(GAZ, f))

    missing = set(EXPECTED_TYPE) - set(by_file)
    for m in sorted(missing):
        err(f"missing file {m}.tsv")
    for stem, entries in by_file.items():
        exp = EXPECTED_TYPE.get(stem)
        if stem in MIXED_TYPES:
            continue
        if exp is None:
            warnings.append(f"{stem}.tsv: not a known gazetteer file")
            continue
        if not entries:
            err(f"{stem}.tsv: no entries")
        for e in entries:
            if e.attrs.get("type") != exp:
                err(f"{e.file}:{e.lineno}: type {e.attrs.get('type')} but {stem}.tsv holds {exp}")

    # duplicates inside a file (exact, and case-folded for fold entries)
    for stem, entries in by_file.items():
        seen: dict[str, Entry] = {}
        folded: dict[str, Entry] = {}
        for e in entries:
            if e.phrase in seen:
                err(f"{e.file}:{e.lineno}: duplicate phrase {e.phrase!r} (first at line {seen[e.phrase].lineno})")
            seen[e.phrase] = e
            if e.attrs.get("case") == "fold":
                k = e.phrase.casefold()
                if k in folded and folded[k].phrase != e.phrase:
                    err(f"{e.file}:{e.lineno}: {e.phrase!r} duplicates {folded[k].phrase!r} under case folding")
                folded[k] = e

    # cross references
    countries = by_file.get("countries", [])
    regions = by_file.get("regions", [])
    cities = by_file.get("cities", [])
    country_canon = {e.canonical for e in countries}
    country_phr = {e.phrase for e in countries}
    region_canon = {e.canonical for e in regions}
    city_main = {e.phrase for e in cities if "canonical" not in e.attrs}
    for stem in ("countries", "regions", "cities"):
        for e in by_file.get(stem, []):
            for k in ("country", "capital_of"):
                if k in e.attrs and e.attrs[k] not in country_canon:
                    err(f"{e.file}:{e.lineno}: {k}={e.attrs[k]!r} is not a canonical country")
    for stem, canon_set in (("countries", country_canon), ("regions", region_canon), ("cities", city_main)):
        for e in by_file.get(stem, []):
            if "canonical" in e.attrs and e.attrs["canonical"] not in canon_set | {e.phrase}:
                # the canonical must itself be an entry of the same file
                err(f"{e.file}:{e.lineno}: canonical {e.attrs['canonical']!r} has no entry of its own")
    for e in countries:
        cap = e.attrs.get("capital")
        if cap and cap not in city_main and cap not in country_phr:
            err(f"{e.file}:{e.lineno}: capital {cap!r} not found in cities.tsv")
    for e in by_file.get("demonyms", []):
        if e.attrs.get("mention") != "demonym":
            err(f"{e.file}:{e.lineno}: demonym entry without mention=demonym")
        if e.canonical not in country_canon | region_canon:
            err(f"{e.file}:{e.lineno}: demonym canonical {e.canonical!r} is neither a country nor a region")
    for stem in ("organizations", "groups", "offices", "roles", "events", "honorifics"):
        entries = by_file.get(stem, [])
        own = {e.canonical for e in entries} | {e.phrase for e in entries}
        for e in entries:
            if "canonical" in e.attrs and e.attrs["canonical"] not in own:
                warnings.append(f"{e.file}:{e.lineno}: canonical {e.attrs['canonical']!r} has no entry of its own")

    # the same phrase in several files (allowed, but listed)
    where: dict[str, list[str]] = {}
    for stem, entries in by_file.items():
        for e in entries:
            where.setdefault(e.phrase, [])
            if stem not in where[e.phrase]:
                where[e.phrase].append(stem)
    multi = {p: s for p, s in where.items() if len(s) > 1}
    for p, s in sorted(multi.items()):
        warnings.append(f"phrase {p!r} is in several files: {', '.join(s)}")

    # forbidden names in the gazetteer data and its README (data/rules/ is the engine's
    # rule code, whose documented examples may quote test sentences)
    scan = [os.path.join(GAZ, f) for f in os.listdir(GAZ)] + [os.path.join(DATA, "README.md")]
    if True:
        for path in scan:
            if not os.path.isfile(path):
                continue
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    low = f.read().lower()
            except OSError:
                continue
            for bad in FORBIDDEN:
                if bad in low:
                    err(f"{os.path.relpath(path, REPO)}: contains forbidden test-fixture name {bad!r}")

    total = sum(os.path.getsize(os.path.join(GAZ, f)) for f in os.listdir(GAZ))
    if total >= SIZE_LIMIT:
        err(f"data/gazetteer is {total} bytes, over the {SIZE_LIMIT} byte budget")

    for stem, entries in sorted(by_file.items()):
        size = os.path.getsize(os.path.join(GAZ, stem + ".tsv"))
        print(f"{stem + '.tsv':20s} {len(entries):7d} entries {size:10d} bytes")
    print(f"{'total':20s} {sum(len(v) for v in by_file.values()):7d} entries {total:10d} bytes")
    print(f"{len(multi)} phrases occur in more than one file"
          + ("" if show_warnings else " (run with --warnings to list)"))
    if show_warnings:
        for w in warnings:
            print("warning:", w)
    else:
        other = len(warnings) - len(multi)
        if other:
            print(f"{other} other warnings (run with --warnings to list)")
    for e in errors:
        print("ERROR:", e)
    print("check_data: " + ("FAILED" if errors else "ok"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

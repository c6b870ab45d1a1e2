#!/usr/bin/env python3
"""Mine name lists from the CoNLL-2003 English TRAIN split into data/gazetteer/.

Usage (from the repository root):

    python3 tools/mine_conll.py ../shared/corpora/conll2003/conll2003-train.jsonl

Reads the train JSONL (one Reuters 1996 article per line, with labelled
mentions) and writes:

    data/gazetteer/conll_organizations.tsv  organization names
    data/gazetteer/conll_places.tsv         place names not already in
                                            countries/regions/cities.tsv
    data/gazetteer/conll_teams.tsv          places also used as sports teams
    data/gazetteer/conll_person_names.tsv   given-name and surname TOKENS not
                                            already in given_names/surnames.tsv

Only names (facts) and counts are written, never article text.  Only the
train split is read: never point this script at the dev/test files.

Person names of the test fixtures (tests/fixtures/*.gold.json, type person,
name and aliases) are excluded: their tokens never enter the person-name file
and the full strings never enter any file, so the engine has to find those
people by rules.  The script re-reads the fixtures on every run.

Python 3.11, standard library only; output is deterministic.  See
data/README.md, section "CoNLL-2003 train names".
"""
from __future__ import annotations

import collections
import glob
import json
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GAZ = os.path.join(REPO, "data", "gazetteer")
FIXTURES = os.path.join(REPO, "tests", "fixtures")
WORDS = "/usr/share/dict/american-english"  # Debian wamerican (SCOWL)
SOURCE = "conll2003-train"

# Thresholds (shares of a string's labelled train occurrences).
ORG_MIN = 2 / 3          # conll_organizations: organization share
PLACE_MIN = 2 / 3        # conll_places: place share
TEAM_MIN = 1 / 4         # conll_teams: organization share and place share
PERSON_OTHER_MAX = 0.20  # person tokens: max share inside place/org/misc mentions
DICT_WORD_MIN_COUNT = 2     # an English-word name needs >= 2 labelled occurrences of its type
CALENDAR_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                  "january", "february", "march", "april", "may", "june", "july", "august",
                  "september", "october", "november", "december"}
# Bare compass words are directions far more often than places.
COMPASS_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western"}
PERSON_NAME_FREQUENT = 1000  # given name/surname count from which a name is ambiguous
TEAM_SPORTS_MIN = 1 / 2  # conll_teams: share of the organization uses in sports articles

# A sports article's headline starts with "SPORT -" (any case): "SOCCER - ...",
# "Rugby league-...".
SPORTS_HEADLINE = re.compile(
    r"^(?:soccer|football|american football|cricket|baseball|tennis|table tennis|cycling|"
    r"golf|athletics|rugby union|rugby league|rugby|rallying|motor racing|formula one|"
    r"basketball|horse racing|badminton|motorcycling|squash|motocross|swimming|"
    r"ice hockey|hockey|rowing|boxing|skiing|alpine skiing|volleyball|handball|sailing|"
    r"yachting|judo|wrestling|skating|snooker|darts|triathlon|gymnastics|weightlifting|"
    r"australian rules|afl|nrl|nascar|indycar|nfl|nba|nhl|olympics|sport|sports)\s*-", re.I)

# Test-fixture people: must be found by rules, never by data.
FIXTURE_PEOPLE = ["Lavrov", "Sergei", "Dodik", "Milorad", "Crnadak", "Igor", "Dacic",
                  "Ivica", "Prilepin", "Zakhar", "Scherbak", "Alexander"]
# tools/check_data.py rejects any file containing these (case-insensitive substrings).
FORBIDDEN_SUBSTRINGS = ["lavrov", "dodik", "crnadak", "dacic", "prilepin", "scherbak"]

# Not name tokens although capitalized inside person spans.
NOT_NAME_TOKENS = {"Jr", "Sr", "Snr", "Jnr"}

TOKEN_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|['\-])*[^\W\d_]$")

# class= for conll_places from an obvious last word of the name.
PLACE_CLASS_SUFFIX = {
    "River": "river", "Sea": "sea", "Ocean": "sea", "Gulf": "sea",
    "Strait": "waterway", "Straits": "waterway", "Canal": "waterway",
    "Province": "province", "County": "county", "Island": "island", "Islands": "island",
    "Mountains": "mountain", "Mountain": "mountain", "Airport": "airport",
    "Stadium": "venue", "Park": "venue", "Valley": "region", "Desert": "region",
    "Peninsula": "region", "Lake": "lake", "Street": "street", "Square": "square",
}


# --------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------


def read_gazetteer(name: str) -> dict[str, dict[str, str]]:
    """phrase -> own attributes of the entry lines of data/gazetteer/<name>.tsv."""
    out: dict[str, dict[str, str]] = {}
    with open(os.path.join(GAZ, name + ".tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            phrase, *fields = line.split("\t")
            out.setdefault(phrase, dict(fld.partition("=")[::2] for fld in fields))
    return out


def read_gazetteer_phrases(name: str) -> set[str]:
    """Phrases (first field of entry lines) of data/gazetteer/<name>.tsv."""
    return set(read_gazetteer(name))


def english_words() -> set[str]:
    """Lower-case common words (entries written in lower case only), as gen_data.py."""
    if not os.path.exists(WORDS):
        sys.exit(f"mine_conll: {WORDS} missing (apt-get update && apt-get install wamerican)")
    with open(WORDS, encoding="utf-8") as f:
        return {w for w in f.read().split("\n") if w and w.isalpha() and w.islower()}


def fixture_people() -> tuple[set[str], set[str]]:
    """(full name strings, name tokens) of the person entities of the fixture gold files."""
    names = set(FIXTURE_PEOPLE)
    tokens = set(FIXTURE_PEOPLE)
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*.gold.json"))):
        with open(path, encoding="utf-8") as f:
            gold = json.load(f)
        for ent in gold.get("entities", []):
            if ent.get("type") != "person":
                continue
            for s in [ent.get("name", "")] + list(ent.get("aliases", [])):
                s = s.strip()
                if not s:
                    continue
                names.add(s)
                for tok in s.split():
                    tokens.add(tok)
                    tokens.add(tok.strip(".,'\"()"))
    tokens.discard("")
    return names, tokens


def read_train(path: str):
    """Yield (mention text, type, is_dateline, in_sports_article) for every train mention."""
    if "testa" in os.path.basename(path) or "testb" in os.path.basename(path) \
            or os.path.basename(path).startswith("dev"):
        sys.exit("mine_conll: refusing to mine a dev/test file; pass the TRAIN split")
    with open(path, encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            raw = doc["text"].encode("utf-8")
            sports = SPORTS_HEADLINE.match(doc["text"]) is not None
            for m in doc["mentions"]:
                s = raw[m["start"]:m["end"]].decode("utf-8")
                if s != m["text"]:
                    sys.exit(f"mine_conll: offset mismatch in {doc['id']}: {s!r} != {m['text']!r}")
                line_start = m["start"] == 0 or raw[m["start"] - 1:m["start"]] == b"\n"
                rest = raw[m["end"]:m["end"] + 12].decode("utf-8", "replace")
                dateline = line_start and re.match(r" \d{4}-\d\d-\d\d", rest) is not None
                yield s, m["type"], dateline, sports


def is_all_caps(s: str) -> bool:
    return any(c.isalpha() for c in s) and s.upper() == s


def caps_map(counts: dict[str, collections.Counter]) -> dict[str, str]:
    """Map each ALL-CAPS string (headlines, datelines, result tables) to its most frequent
    mixed-case spelling seen in train with the same letters, when there is one.  The engine
    matches an exact entry also in all-caps lines, so the caps form needs no entry."""
    best: dict[str, tuple[int, str]] = {}
    for s, c in counts.items():
        if is_all_caps(s):
            continue
        k = s.casefold()
        n = sum(c.values())
        if k not in best or (n, s) > best[k]:  # deterministic tie-break
            best[k] = (n, s)
    return {s: best[s.casefold()][1] for s in counts if is_all_caps(s) and s.casefold() in best}


def merge_caps(counts: dict[str, collections.Counter]) -> dict[str, collections.Counter]:
    cmap = caps_map(counts)
    out: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for s, c in counts.items():
        out[cmap.get(s, s)].update(c)
    return out


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------


def write_tsv(name: str, header: list[str], directive: str, rows: list[tuple[str, list[str]]]):
    path = os.path.join(GAZ, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write(("# " + h).rstrip() + "\n")
        if directive:
            f.write("#@ " + directive + "\n")
        for phrase, attrs in rows:
            assert "\t" not in phrase and phrase == phrase.strip() and phrase, phrase
            for a in attrs:
                assert "\t" not in a and "=" in a, a
            f.write("\t".join([phrase] + attrs) + "\n")
    print(f"{name}: {len(rows)} entries, {os.path.getsize(path)} bytes")


TYPES = ("person", "place", "organization", "misc")


def total(c: collections.Counter) -> int:
    return sum(c[t] for t in TYPES)


def share(c: collections.Counter, t: str) -> float:
    n = total(c)
    return c[t] / n if n else 0.0


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.exit(__doc__)
    words = english_words()
    fx_names, fx_tokens = fixture_people()

    place_phrases = set()
    for stem in ("countries", "regions", "cities"):
        place_phrases |= read_gazetteer_phrases(stem)
    place_folded = {p.casefold() for p in place_phrases}
    org_phrases = read_gazetteer_phrases("organizations")
    org_folded = {p.casefold() for p in org_phrases}
    other_phrases = set()
    for stem in ("demonyms", "groups", "honorifics", "offices", "roles", "org_words",
                 "events", "speech_verbs"):
        other_phrases |= read_gazetteer_phrases(stem)
    given_gaz, surname_gaz = read_gazetteer("given_names"), read_gazetteer("surnames")
    given_names, surnames = set(given_gaz), set(surname_gaz)
    # frequent person names (count >= 1000, as gen_data.py uses for city alternates)
    frequent_person = {p for g in (given_gaz, surname_gaz) for p, a in g.items()
                       if int(a.get("count", "0")) >= PERSON_NAME_FREQUENT}

    # ---- count mention strings and person tokens
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    dateline_places: set[str] = set()
    tok_person: collections.Counter = collections.Counter()
    tok_other: collections.Counter = collections.Counter()
    given_cand: collections.Counter = collections.Counter()
    surname_cand: collections.Counter = collections.Counter()
    surname_multi: collections.Counter = collections.Counter()  # last token of 2+ tokens
    for s, t, dateline, sports in read_train(argv[1]):
        counts[s][t] += 1
        if t == "organization" and sports:
            counts[s]["sports_org"] += 1  # not a type: excluded from the shares below
        if t == "place" and dateline:
            dateline_places.add(s.casefold())
        toks = s.split()
        if t == "person":
            tok_person.update(toks)
            if len(toks) >= 2:
                given_cand[toks[0]] += 1
                surname_multi[toks[-1]] += 1
            surname_cand[toks[-1]] += 1
        else:
            tok_other.update(toks)
    counts = merge_caps(counts)

    def excluded(phrase: str) -> bool:
        """Fixture people (full names, and any phrase containing an explicit fixture name)."""
        low = phrase.casefold()
        if phrase in fx_names or any(b in low for b in FORBIDDEN_SUBSTRINGS):
            return True
        return any(tok in FIXTURE_PEOPLE for tok in re.split(r"[\s\-]+", phrase))

    def name_ok(phrase: str, n: int, acronyms: bool = True) -> tuple[bool, bool]:
        """(keep, ambiguous) for an organization or place phrase labelled n times."""
        if len(phrase) < 2 or phrase == phrase.lower() or not any(c.isalpha() for c in phrase):
            return False, False
        if excluded(phrase) or phrase in other_phrases or "(" in phrase or ")" in phrase:
            return False, False
        if phrase.lower() in CALENDAR_WORDS or phrase.lower() in COMPASS_WORDS:
            # weekdays and months are dates (Sheffield Wednesday is the club's full name)
            return False, False
        if " " not in phrase and phrase.lower() in words:
            # common English word: keep capitalized ones, flagged; drop ALL-CAPS words
            # (headline words such as EXPRESS) except short organization acronyms (PAP)
            if is_all_caps(phrase) and (len(phrase) > 4 or not acronyms):
                return False, False
            # a single labelled occurrence is too little evidence for a common word
            return (phrase[0].isupper() and n >= DICT_WORD_MIN_COUNT, True)
        return True, phrase in frequent_person

    def known(phrase: str, phrases: set[str], folded: set[str]) -> bool:
        """Already in an existing file: same spelling, the caps form of an entry, or an
        entry cut before its final period by the CoNLL tokenization ("U.S" for "U.S.")."""
        return phrase in phrases or phrase + "." in phrases \
            or (is_all_caps(phrase) and phrase.casefold() in folded)

    orgs, places, teams = [], [], []
    stats = collections.Counter()
    for s in sorted(counts):
        c = counts[s]
        org, plc = share(c, "organization"), share(c, "place")
        is_known_place = known(s, place_phrases, place_folded)
        is_known_org = known(s, org_phrases, org_folded)
        sports = c["sports_org"] / c["organization"] if c["organization"] else 0.0
        if org >= TEAM_MIN and sports >= TEAM_SPORTS_MIN \
                and (plc >= TEAM_MIN or is_known_place or (c["place"] > 0 and " " not in s)):
            keep, amb = name_ok(s, c["organization"])
            if keep:
                teams.append((s, c["organization"], amb))
            else:
                stats["team_dropped"] += 1
        elif org >= ORG_MIN:
            if is_known_org:
                stats["org_already_in_organizations"] += 1
            else:
                keep, amb = name_ok(s, c["organization"])
                if keep:
                    orgs.append((s, c["organization"], amb or is_known_place))
                else:
                    stats["org_dropped"] += 1
        if plc >= PLACE_MIN:
            if is_known_place or is_known_org:
                stats["place_already_known"] += 1
                continue
            keep, amb = name_ok(s, c["place"], acronyms=False)
            if keep:
                places.append((s, c["place"], amb))
            else:
                stats["place_dropped"] += 1

    def place_class(s: str) -> str | None:
        last = s.split()[-1]
        if " " in s and last in PLACE_CLASS_SUFFIX:
            return PLACE_CLASS_SUFFIX[last]
        if s.casefold() in dateline_places:
            return "city"
        return None

    def by_count(rows):
        return sorted(rows, key=lambda r: (-r[1], r[0]))

    org_rows = [(s, [f"count={k}"] + (["ambiguous=1"] if amb else [])) for s, k, amb in by_count(orgs)]
    place_rows = []
    for s, k, amb in by_count(places):
        attrs = []
        cls = place_class(s)
        if cls:
            attrs.append(f"class={cls}")
        attrs.append(f"count={k}")
        if amb:
            attrs.append("ambiguous=1")
        place_rows.append((s, attrs))
    team_rows = [(s, [f"count={k}"]) for s, k, _ in by_count(teams)]

    # ---- person name tokens
    listed = {s for s, _, _ in orgs} | {s for s, _, _ in places} | {s for s, _, _ in teams}
    tok_counts = {t: collections.Counter({"person": tok_person[t], "other": tok_other[t]})
                  for t in set(tok_person) | set(tok_other)}
    tmap = caps_map(tok_counts)

    def merged(counter: collections.Counter) -> collections.Counter:
        out = collections.Counter()
        for t, k in counter.items():
            out[tmap.get(t, t)] += k
        return out

    tok_person_m, tok_other_m = merged(tok_person), merged(tok_other)
    given_m, surname_m = merged(given_cand), merged(surname_cand)
    surname_multi_m = merged(surname_multi)

    def token_ok(t: str) -> bool:
        if len(t) < 2 or not TOKEN_RE.match(t) or not t[0].isupper() or t.upper() == t:
            return False
        if t in NOT_NAME_TOKENS or t.lower() in words:
            return False
        if t in fx_tokens or excluded(t):
            return False
        if t in listed or t in place_phrases or t in org_phrases or t in other_phrases:
            return False
        p, o = tok_person_m[t], tok_other_m[t]
        return p >= 1 and o / (p + o) < PERSON_OTHER_MAX

    person_rows = []
    both = 0
    for t in sorted(set(given_m) | set(surname_m)):
        if not token_ok(t):
            continue
        g = given_m[t] if t not in given_names else 0
        # a one-token mention of a known given name ("Arantxa") is no surname evidence
        sn = 0 if t in surnames else (surname_multi_m[t] if t in given_names else surname_m[t])
        if g == 0 and sn == 0:
            continue
        if g and sn:
            both += 1  # one line per phrase: keep the more frequent role (tie: surname)
        typ, k = ("given_name", g) if g > sn else ("surname", sn)
        person_rows.append((t, [f"type={typ}", f"count={k}", f"source={SOURCE}"], k))
    person_rows.sort(key=lambda r: (r[1][0], -r[2], r[0]))
    person_rows = [(t, a) for t, a, _ in person_rows]

    # ---- write
    common = [
        "Mined from the CoNLL-2003 English train split (Reuters RCV1, 1996) by tools/mine_conll.py.",
        "Names are facts; no article text is included. count = labelled train occurrences",
        "(ALL-CAPS headline/dateline/table forms counted with the mixed-case spelling).",
        "Person names of the test fixtures are excluded. generated - do not edit by hand;",
        "see data/README.md, section 'CoNLL-2003 train names'.",
    ]
    write_tsv("conll_organizations.tsv", [
        "Organization names labelled organization in >= 2/3 of their train occurrences",
        "(places used as sports teams are in conll_teams.tsv instead). Phrases already in",
        "organizations.tsv are left out. ambiguous=1: the name is also a common English word",
        "(then kept only with count >= 2), a frequent given name or surname (count >= 1000),",
        "or a phrase of countries/regions/cities.tsv.",
    ] + common, f"type=organization source={SOURCE}", org_rows)
    write_tsv("conll_places.tsv", [
        "Place names labelled place in >= 2/3 of their train occurrences that are not already",
        "in countries.tsv, regions.tsv, cities.tsv or organizations.tsv. class: from an obvious",
        "last word (River, Sea, Island...), else city when the name opens a Reuters dateline,",
        "else none.",
        "ambiguous=1: the name is also a common English word (then kept only with count >= 2)",
        "or a frequent given name or surname (count >= 1000).",
    ] + common, f"type=place source={SOURCE}", place_rows)
    write_tsv("conll_teams.tsv", [
        "Places used as sports team names: labelled organization in >= 1/4 of their train",
        "occurrences, at least half of those in sports articles (headline 'SOCCER - ...'), and",
        "labelled place in >= 1/4 of them, or a phrase of countries/regions/cities.tsv, or a",
        "single word labelled place at least once. To be read as organizations only in sports",
        "contexts.",
        "count = occurrences labelled organization.",
    ] + common, f"type=organization class=sports_team_place context=sports source={SOURCE}", team_rows)
    write_tsv("conll_person_names.tsv", [
        "Person name TOKENS (not full names): the first token of a 2+ token person mention is a",
        "given-name candidate, the last token (or the only one, unless it is in given_names.tsv)",
        "a surname candidate. Only tokens not already in given_names.tsv / surnames.tsv,",
        "capitalized, length >= 2, not an English word, not a phrase of another gazetteer file",
        "or of the conll_* lists, and found inside place/organization/misc mentions in < 20% of",
        "their train occurrences. A token that is both a given-name and a surname candidate is",
        "listed once, with its more frequent role. count = occurrences in that role.",
    ] + common, "", person_rows)
    print(f"person tokens that were both given-name and surname candidates: {both}")
    for k, v in sorted(stats.items()):
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

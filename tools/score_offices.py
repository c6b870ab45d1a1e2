#!/usr/bin/env python3
"""Score gazette on a facts-only JSONL gold (tests/gold/*.gold.jsonl) joined to its corpus by id.

    python3 tools/score_offices.py tests/gold/conll2003-testa-offices.gold.jsonl \
        ../shared/corpora/conll2003/conll2003-testa.jsonl [--half first|second|all] [--bin target/release/gazette]

Each gold line is scored with `score_doc` from ../shared/tools/score.py (the project's scorer),
after running `gazette extract --format json --date DOCUMENT_DATE` on the article text.
Prints holds_office precision (output holds_office facts matching a gold fact, required or
optional, over all output holds_office facts), recall (required gold facts found), status
right over found facts with a gold status, and explicit dates found (required date entities).
"""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "tools"))
from score import score_doc  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("corpus")
    ap.add_argument("--half", choices=["first", "second", "all"], default="all")
    ap.add_argument("--bin", default="target/release/gazette")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each miss and false fact")
    a = ap.parse_args()
    golds = [json.loads(l) for l in open(a.gold) if l.strip()]
    half = len(golds) // 2
    golds = {"first": golds[:half], "second": golds[half:], "all": golds}[a.half]
    texts = {}
    for line in open(a.corpus):
        d = json.loads(line)
        texts[d["id"]] = d["text"]
    tot = dict(h_pred=0, h_false=0, h_req=0, h_found=0, st_right=0, st_total=0, r_req=0, r_found=0, r_false=0,
               d_req=0, d_found=0)
    for g in golds:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(texts[g["id"]])
            path = f.name
        cmd = [a.bin, "extract", "--format", "json", path]
        if g.get("document_date"):
            cmd[4:4] = ["--date", g["document_date"]]
        out = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
        os.unlink(path)
        g.setdefault("quotes", [])
        g.setdefault("events", [])
        res = score_doc(g, out)
        rel = res["relations"]
        h_false = [x for x in rel["false"] if x.split(" | ")[1] == "holds_office"]
        tot["h_pred"] += sum(1 for r in out.get("relations", []) if r.get("predicate") == "holds_office")
        tot["h_false"] += len(h_false)
        req_h = [r for r in g["relations"] if r["predicate"] == "holds_office" and not r.get("optional")]
        miss_h = [m for m in rel["missing"] if m.split(" | ")[1] == "holds_office"]
        tot["h_req"] += len(req_h)
        tot["h_found"] += len(req_h) - len(miss_h)
        tot["st_right"] += rel["status_right"]
        tot["st_total"] += rel["status_total"]
        tot["r_req"] += rel["required"]
        tot["r_found"] += rel["found"]
        tot["r_false"] += len(rel["false"])
        dreq = [e for e in g["entities"] if e["type"] == "date" and not e.get("optional")]
        dmiss = [m for m in res["entities"]["missing"] if m.startswith("date")] if isinstance(res["entities"]["missing"], list) else []
        found_dates = 0
        for e in dreq:
            names = {e["name"].lower()} | {x.lower() for x in e.get("aliases", [])}
            if any((d.get("value") or "").lower() == e["name"].lower() or d.get("text", "").lower() in names
                   for d in out.get("dates", [])):
                found_dates += 1
        tot["d_req"] += len(dreq)
        tot["d_found"] += found_dates
        if a.verbose:
            for m in miss_h:
                print(f'{g["id"]}  MISS  {m}')
            for x in h_false:
                print(f'{g["id"]}  FALSE {x}')
    p = 1 - tot["h_false"] / tot["h_pred"] if tot["h_pred"] else 0.0
    r = tot["h_found"] / tot["h_req"] if tot["h_req"] else 0.0
    print(f'{a.half}: {len(golds)} docs; holds_office P {p:.2f} ({tot["h_pred"] - tot["h_false"]}/{tot["h_pred"]}) '
          f'R {r:.2f} ({tot["h_found"]}/{tot["h_req"]}); status {tot["st_right"]}/{tot["st_total"]}; '
          f'all relations found {tot["r_found"]}/{tot["r_req"]} false {tot["r_false"]}; '
          f'explicit dates {tot["d_found"]}/{tot["d_req"]}')


if __name__ == "__main__":
    main()

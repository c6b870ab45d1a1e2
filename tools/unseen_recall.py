#!/usr/bin/env python3
"""Exact-span scores and the recall of names never seen in training.

Usage:
    python3 tools/unseen_recall.py GOLD.jsonl TRAIN.jsonl OUT.jsonl

GOLD.jsonl and TRAIN.jsonl hold {"id", "text", "mentions": [{"start", "end",
"type", "text"}]} per line (the CoNLL-2003 JSONL of ../shared/corpora);
OUT.jsonl is `gazette extract --format jsonl GOLD.jsonl`.

Prints exact-span precision, recall and F1 per type (person, organization,
place) and micro, then the recall of the gold names whose surface form never
occurs as a gold name (of any type) in TRAIN ("unseen names"), by type. The
unseen-name recall is what predicts text whose names no list holds: names
mined from the training split are found by memory, the others only by
context.
"""
import json
import sys

TYPES = ("person", "organization", "place")
# Output mention kinds that are names (pronouns, nominals, demonyms are not).
NAME_KINDS = {None, "name", "alias", "abbreviation", "acronym"}


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold_spans(doc):
    return {(m["start"], m["end"], m["type"]) for m in doc.get("mentions", []) if m["type"] in TYPES}


def out_spans(doc):
    spans = set()
    for e in doc.get("entities", []):
        if e.get("type") not in TYPES:
            continue
        for m in e.get("mentions", []):
            if m.get("kind") in NAME_KINDS:
                spans.add((m["start"], m["end"], e["type"]))
    return spans


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    gold, train, out = (read_jsonl(p) for p in argv[1:])
    seen = {m["text"] for d in train for m in d.get("mentions", [])}
    outs = {d.get("id"): d for d in out}
    counts = {t: [0, 0, 0] for t in TYPES}  # tp fp fn
    unseen = {t: [0, 0] for t in TYPES}  # found, total
    for g in gold:
        text = g["text"].encode("utf-8")
        gs = gold_spans(g)
        ps = out_spans(outs.get(g["id"], {}))
        for t in TYPES:
            gt = {s for s in gs if s[2] == t}
            pt = {s for s in ps if s[2] == t}
            counts[t][0] += len(gt & pt)
            counts[t][1] += len(pt - gt)
            counts[t][2] += len(gt - pt)
        for s in gs:
            surface = text[s[0] : s[1]].decode("utf-8", "replace")
            # Gold offsets may be characters; fall back on the gold text.
            m_text = next((m["text"] for m in g["mentions"] if (m["start"], m["end"], m["type"]) == s), surface)
            if m_text in seen:
                continue
            unseen[s[2]][1] += 1
            unseen[s[2]][0] += s in ps
    tot = [sum(c[i] for c in counts.values()) for i in range(3)]
    for t in TYPES + ("micro",):
        tp, fp, fn = tot if t == "micro" else counts[t]
        p, r, f = prf(tp, fp, fn)
        print(f"{t:<13} exact  P {p:.3f} R {r:.3f} F1 {f:.3f}  (tp {tp} fp {fp} fn {fn})")
    found = sum(u[0] for u in unseen.values())
    total = sum(u[1] for u in unseen.values())
    for t in TYPES:
        f, n = unseen[t]
        print(f"{t:<13} unseen recall {f / n if n else 0:.3f}  ({f}/{n})")
    print(f"{'all':<13} unseen recall {found / total if total else 0:.3f}  ({found}/{total})")


if __name__ == "__main__":
    main(sys.argv)

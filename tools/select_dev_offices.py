"""Issue 10 dev-set selection, fixed before looking at any extractor output:
the first 40 articles (by id) of conll2003-testa that contain an office head word,
and the first 20 articles (by id) of polnear-dev."""
import json, re
OFFICE_WORDS = r"\b(minister|president|president-elect|secretary|chairman|chairwoman|chairperson|director|governor|mayor|ambassador|spokesman|spokeswoman|spokesperson|chief|premier|chancellor|senator|envoy|commissioner|leader|deputy|king|queen|prince|judge|prosecutor|attorney general|treasurer|economist|analyst|manager|coach|executive|ceo|officer|adviser|advisor|representative|congressman|congresswoman|speaker|sheriff|mp)\b"
rx = re.compile(OFFICE_WORDS, re.I)
docs = [json.loads(l) for l in open('../shared/corpora/conll2003/conll2003-testa.jsonl')]
sel = sorted(d['id'] for d in docs if rx.search(d['text']))[:40]
open('tests/gold/conll-ids.txt', 'w').write('\n'.join(sel) + '\n')
pn = sorted(json.loads(l)['id'] for l in open('../shared/corpora/polnear/polnear-dev.jsonl'))[:20]
open('tests/gold/polnear-ids.txt', 'w').write('\n'.join(pn) + '\n')
print(len(sel), sel[0], sel[-1], len(pn))

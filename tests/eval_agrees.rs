//! `gazette eval --texts CORPUS GOLD.jsonl` scores a JSONL of document gold
//! joined to its texts by id, and agrees with the shared scorer
//! (`tests/fixtures/score.py`, a copy of `tools/score.py`) on an invented
//! article: status, `object: null`, evidence offsets, unnamed speakers.

use std::io::Write as _;
use std::process::Command;

const ARTICLE: &str = "Velbridge, March 3 - Acting Estonian Foreign Minister Mart Kallaste said on Tuesday that talks with \
Latvia would resume next month.\n\n\"We are ready to sign the agreement,\" Kallaste told reporters in Tallinn. Agriculture \
Minister Teodor Valcu toured farms in the north.\n\nFormer Velbridge mayor Tom Hale, who heads the Harbour Board, said he \
was not worried. Officials said the deal was close.\n";

/// Invented gold for ARTICLE (one JSONL line, no text).
const GOLD: &str = r#"{"id":"inv-1","document_date":"2020-03-05",
 "entities":[
  {"type":"person","name":"Mart Kallaste","aliases":["Kallaste"]},
  {"type":"person","name":"Teodor Valcu","aliases":["Valcu"]},
  {"type":"person","name":"Tom Hale","aliases":["Hale"]},
  {"type":"place","name":"Estonia","aliases":["Estonian"]},
  {"type":"place","name":"Latvia"},
  {"type":"place","name":"Tallinn"},
  {"type":"place","name":"Velbridge"},
  {"type":"organization","name":"Harbour Board","aliases":["the Harbour Board"]},
  {"type":"office","name":"Foreign Minister"},
  {"type":"office","name":"Agriculture Minister","optional":true},
  {"type":"date","name":"2020-03-03","aliases":["March 3","Tuesday"]},
  {"type":"date","name":"2020-04","aliases":["next month"]}],
 "relations":[
  {"subject":"Mart Kallaste","predicate":"holds_office","office":"Foreign Minister","object":"Estonia","status":"acting","evidence":[21,67]},
  {"subject":"Teodor Valcu","predicate":"holds_office","office":"Agriculture Minister","object":null,"evidence":[207,240]},
  {"subject":"Tom Hale","predicate":"holds_office","office":"mayor","object":"Velbridge","status":"former"},
  {"subject":"Tom Hale","predicate":"holds_office","office":"head","object":"Harbour Board","optional":true}],
 "quotes":[
  {"kind":"direct","text":"We are ready to sign the agreement,","speaker":"Mart Kallaste","cue":"told"},
  {"kind":"indirect","text":"talks with Latvia would resume next month","speaker":"Mart Kallaste","cue":"said"},
  {"kind":"indirect","text":"he was not worried","speaker":"Tom Hale","cue":"said"},
  {"kind":"indirect","text":"the deal was close","speaker":null,"speaker_text":"Officials","cue":"said"}]}"#;

fn tmp(name: &str, content: &str) -> String {
    let dir = std::env::temp_dir().join(format!("gazette-agree-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_string_lossy().into_owned()
}

fn gazette(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gazette")).args(args).output().expect("gazette runs")
}

fn python() -> Option<&'static str> {
    let ok = Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "python3 is needed for the scorer agreement test");
        let _ = writeln!(std::io::stderr(), "SKIPPED: the scorer agreement test needs python3");
    }
    ok.then_some("python3")
}

#[test]
fn eval_with_texts_agrees_with_score_py() {
    let gold_line = GOLD.replace('\n', "");
    let corpus = serde_json::json!({"id": "inv-1", "text": ARTICLE}).to_string()
        + "\n"
        + &serde_json::json!({"id": "other", "text": "Not annotated."}).to_string()
        + "\n";
    let corpus_path = tmp("corpus.jsonl", &corpus);
    let gold_path = tmp("facts.gold.jsonl", &format!("{gold_line}\n"));
    let out = gazette(&["eval", "--json", "--texts", &corpus_path, &gold_path]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours = &report["docs"]["inv-1"];
    assert!(ours.is_object(), "{report}");
    // The relation with a null object is required (reported with "(none)" when missed);
    // status is counted over found relations whose gold has one.
    assert_eq!(ours["relations_required"], 3);
    let missing = ours["relations_missing"].as_array().unwrap();
    assert!(
        missing
            .iter()
            .filter_map(|m| m.as_str())
            .filter(|m| m.contains("Teodor Valcu"))
            .all(|m| m.ends_with("| (none)"))
    );
    let (right, total, found) = (&ours["status_right"], &ours["status_total"], &ours["relations_found"]);
    assert!(right.as_u64() <= total.as_u64() && total.as_u64() <= found.as_u64(), "{ours}");

    let Some(py) = python() else { return };
    let text_path = tmp("article.txt", ARTICLE);
    let extracted = gazette(&["extract", "--date", "2020-03-05", &text_path]);
    assert!(extracted.status.success());
    let out_path = tmp("out.json", &String::from_utf8(extracted.stdout).unwrap());
    let gold_json = tmp("gold.json", &gold_line);
    let score_py = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/score.py");
    let res = Command::new(py).args([score_py, "doc", &gold_json, &out_path]).output().unwrap();
    assert!(res.status.success(), "{}", String::from_utf8_lossy(&res.stderr));
    let stdout = String::from_utf8(res.stdout).unwrap();
    let json_part = &stdout[..stdout.trim_end().rfind('\n').unwrap()];
    let theirs: serde_json::Value = serde_json::from_str(json_part).unwrap();
    let len = |v: &serde_json::Value| v.as_array().map_or(0, Vec::len);
    let pairs = [
        ("entities found", ours["entities_found"].clone(), theirs["entities"]["found"].clone()),
        ("entities required", ours["entities_required"].clone(), theirs["entities"]["required"].clone()),
        ("entities missing", len(&ours["entities_missing"]).into(), len(&theirs["entities"]["missing"]).into()),
        ("spurious", len(&ours["entities_spurious"]).into(), len(&theirs["entities"]["spurious"]).into()),
        ("relations found", ours["relations_found"].clone(), theirs["relations"]["found"].clone()),
        ("relations required", ours["relations_required"].clone(), theirs["relations"]["required"].clone()),
        ("relations false", len(&ours["relations_false"]).into(), len(&theirs["relations"]["false"]).into()),
        ("status right", ours["status_right"].clone(), theirs["relations"]["status_right"].clone()),
        ("status total", ours["status_total"].clone(), theirs["relations"]["status_total"].clone()),
        ("quotes found", ours["quotes_found"].clone(), theirs["quotes"]["found"].clone()),
        ("speakers right", ours["speakers_right"].clone(), theirs["quotes"]["speaker_right"].clone()),
        ("quotes required", ours["quotes_required"].clone(), theirs["quotes"]["required"].clone()),
        ("quotes false", len(&ours["quotes_false"]).into(), len(&theirs["quotes"]["false"]).into()),
    ];
    let differ: Vec<String> =
        pairs.iter().filter(|(_, a, b)| a != b).map(|(l, a, b)| format!("{l}: gazette {a}, score.py {b}")).collect();
    assert!(differ.is_empty(), "gazette eval and score.py disagree:\n{}\n{ours:#}\n{theirs:#}", differ.join("\n"));
}

#[test]
fn eval_with_texts_reports_unknown_ids_and_bad_lines() {
    let corpus_path = tmp("corpus2.jsonl", "{\"id\":\"a\",\"text\":\"Paris.\"}\n");
    let gold_path = tmp(
        "g2.gold.jsonl",
        "{\"id\":\"zz\",\"entities\":[]}\nnot json\n{\"id\":\"a\",\"entities\":[{\"type\":\"place\",\"name\":\"Paris\"}]}\n",
    );
    let out = gazette(&["eval", "--texts", &corpus_path, &gold_path]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("g2.gold.jsonl:1:1: no text with id \"zz\""), "{err}");
    assert!(err.contains("g2.gold.jsonl:2:"), "{err}");
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("a: entities 1/1"), "{s}");
}

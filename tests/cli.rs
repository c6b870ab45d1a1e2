//! The `gazette` command line: formats, exit codes and error messages.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn gazette(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gazette runs");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn tmp(name: &str, content: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("gazette-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn extract_json_from_stdin() {
    let out = gazette(&["extract"], b"Russian Foreign Minister Sergei Lavrov spoke.");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["entities"].as_array().unwrap().iter().any(|e| e["name"] == "Sergei Lavrov"));
}

#[test]
fn jsonl_keeps_order_ids_and_reports_bad_lines() {
    let input = b"{\"id\":\"a\",\"text\":\"Sergei Lavrov met Ivica Dacic.\"}\nnot json\n{\"id\":7,\"text\":\"Paris.\",\"date\":\"2018-09-21\"}\n{\"id\":\"c\"}\n";
    let out = gazette(&["extract", "--format", "jsonl", "--threads", "2"], input);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "a");
    assert!(lines[1]["error"].as_str().unwrap().starts_with("<stdin>:2:"));
    assert_eq!(lines[2]["id"], 7);
    assert_eq!(lines[2]["date"], "2018-09-21");
    assert_eq!(lines[3]["id"], "c");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("<stdin>:2:2: expected ident"), "{err}");
    assert!(err.contains("<stdin>:4:1: no \"text\""), "{err}");
}

#[test]
fn invalid_utf8_names_file_line_and_column_and_the_rest_goes_on() {
    let bad = tmp("bad.txt", b"line one\nab\xffcd\n");
    let good = tmp("good.txt", b"Sergei Lavrov spoke.");
    let out = gazette(&["extract", &bad, &good], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.txt:2:3: invalid UTF-8"), "{err}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.contains("good.txt"));
}

#[test]
fn bad_rule_file_is_a_configuration_error_with_a_caret() {
    let rules = tmp("bad.rules", b"rule x.y\n  when [Cap !@nosuchtype]\n  emit person(p)\n");
    let out = gazette(&["extract", "--rules", &rules], b"text");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.rules:2:14: unknown gazetteer type `nosuchtype`"), "{err}");
    assert!(err.contains('^'), "{err}");
}

#[test]
fn bad_gazetteer_line_is_a_configuration_error() {
    let g = tmp("bad.tsv", b"#@ type=place\nParis\tcountry\n");
    let out = gazette(&["extract", "--gazetteer", &g], b"text");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.tsv:2:7:"), "{err}");
}

#[test]
fn user_gazetteer_and_rules_extend_the_defaults() {
    let g = tmp("mine.tsv", b"#@ type=organization\nAcme Widgets\tclass=company\n");
    let r = tmp("mine.rules", b"rule my.ceo\n  when (p: &person) \",\" \"boss\" \"of\" (o: &organization)\n  emit heads(subject=p, object=o)\n");
    let out = gazette(&["extract", "--gazetteer", &g, "--rules", &r], b"He met Sergei Lavrov, boss of Acme Widgets.");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rel = &v["relations"][0];
    assert_eq!(rel["predicate"], "heads");
    assert_eq!(rel["rule"], "my.ceo");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(gazette(&["extract", "--format", "xml"], b"").status.code(), Some(2));
    assert_eq!(gazette(&["extract", "--date", "2018-13-01"], b"").status.code(), Some(2));
    assert_eq!(gazette(&["frobnicate"], b"").status.code(), Some(2));
}

#[test]
fn text_format_reads_like_the_example() {
    let out = gazette(&["extract", "--format", "text"], b"Russian Foreign Minister Sergei Lavrov spoke.");
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("Sergei Lavrov \u{2014} Foreign Minister \u{2014} Russia"), "{s}");
}

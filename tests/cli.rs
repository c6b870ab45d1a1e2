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
    // A usage error may end the process before it reads its input: a broken
    // pipe here is that, not a failure (the exit status tells).
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn tmp_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("gazette-cli-{}", std::process::id()))
}

fn tmp(name: &str, content: &[u8]) -> String {
    let dir = tmp_dir();
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
    assert!(lines[1]["error"].as_str().unwrap().starts_with("<stdin>:2:2: not JSON"));
    assert_eq!(lines[2]["id"], 7);
    assert_eq!(lines[2]["date"], "2018-09-21");
    assert_eq!(lines[3]["id"], "c");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("<stdin>:2:2: not JSON: expected ident"), "{err}");
    assert!(!err.contains(" at line "), "one position only: {err}");
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
    assert_eq!(gazette(&[], b"").status.code(), Some(2));
    assert_eq!(gazette(&["extract", "--threads", "0"], b"").status.code(), Some(2));
    assert_eq!(gazette(&["eval"], b"").status.code(), Some(2), "no gold file");
}

#[test]
fn help_and_version_everywhere() {
    for args in [&["--help"][..], &["extract", "--help"], &["eval", "--help"], &["help", "extract"], &["extract", "-h"]]
    {
        let out = gazette(args, b"");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(s.contains("Usage: gazette"), "{args:?}: {s}");
    }
    assert!(String::from_utf8(gazette(&["extract", "--help"], b"").stdout).unwrap().contains("--input <FORMAT>"));
    assert!(String::from_utf8(gazette(&["eval", "--help"], b"").stdout).unwrap().contains("--texts <CORPUS.jsonl>"));
    for args in [&["--version"][..], &["extract", "--version"]] {
        let out = gazette(args, b"");
        assert_eq!(out.status.code(), Some(0));
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(s.starts_with("gazette") && s.trim().ends_with(env!("CARGO_PKG_VERSION")), "{s}");
    }
}

#[test]
fn misspelt_flags_get_a_suggestion() {
    let out = gazette(&["extract", "--fromat", "text"], b"");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("a similar argument exists: '--format'"), "{err}");
    let err = String::from_utf8(gazette(&["extrct"], b"").stderr).unwrap();
    assert!(err.contains("'extract'"), "{err}");
}

/// Runs `gazette ARGS` under sh with a redirection such as `2>&-`.
fn sh(cmd: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .env("G", env!("CARGO_BIN_EXE_gazette"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn closed_stdout_or_stderr_is_no_panic() {
    // Exit statuses as documented, never 101 (a panic).
    assert_eq!(sh("\"$G\" frobnicate 2>&-").status.code(), Some(2));
    assert_eq!(sh("\"$G\" extract --nope 2>&-").status.code(), Some(2));
    assert_eq!(sh("\"$G\" --help >&-").status.code(), Some(0));
    assert_eq!(sh("\"$G\" --version >&- 2>&-").status.code(), Some(0));
    // Rust's standard streams treat a closed descriptor as a sink.
    assert_eq!(sh("echo 'Sergei Lavrov spoke.' | \"$G\" extract >&-").status.code(), Some(0));
    assert_eq!(sh("echo 'Sergei Lavrov spoke.' | \"$G\" extract --format text | true").status.code(), Some(0));
    assert_eq!(sh("printf 'x\\n{}\\n' | \"$G\" extract --format jsonl >&- 2>&-").status.code(), Some(1));
    // A reader that stops early (`| head -1`): a quiet end, status 0.
    let many = tmp("many.jsonl", "{\"text\":\"Paris and Moscow.\"}\n".repeat(3000).as_bytes());
    let out = sh(&format!("{{ \"$G\" extract --threads 1 {many}; echo \"rc=$?\" >&2; }} | head -1"));
    assert_eq!(String::from_utf8_lossy(&out.stderr).trim(), "rc=0");
}

#[test]
fn input_and_output_formats_are_independent() {
    let corpus = b"{\"id\":\"a\",\"text\":\"Russian Foreign Minister Sergei Lavrov spoke.\"}\n{\"id\":\"b\",\"text\":\"Paris.\"}\n";
    // JSONL in, readable text out.
    let out = gazette(&["extract", "--input", "jsonl", "--format", "text"], corpus);
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("== a\n"), "{s}");
    assert!(s.contains("Sergei Lavrov \u{2014} Foreign Minister \u{2014} Russia"), "{s}");
    assert!(s.contains("== b\n"), "{s}");
    assert!(!s.contains("\"text\""), "the JSON is not read as article text: {s}");
    // A *.jsonl file is JSONL by its name, whatever the output.
    let f = tmp("corpus.jsonl", corpus);
    let s = String::from_utf8(gazette(&["extract", "--format", "text", &f], b"").stdout).unwrap();
    assert!(s.contains("== a\n"), "{s}");
    // ... unless --input says otherwise.
    let s = String::from_utf8(gazette(&["extract", "--input", "text", "--format", "json", &f], b"").stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert!(v.get("id").is_none());
    // JSON lines from text files carry "file".
    let g = tmp("one.txt", b"Sergei Lavrov spoke.");
    let s = String::from_utf8(gazette(&["extract", "--input", "text", "--format", "jsonl", &g], b"").stdout).unwrap();
    let v: serde_json::Value = serde_json::from_str(s.trim()).unwrap();
    assert!(v["file"].as_str().unwrap().ends_with("one.txt"));
}

#[test]
fn html_pages_for_a_corpus_and_escaping() {
    let corpus = b"{\"id\":\"a/1\",\"text\":\"Sergei Lavrov said <script>alert(1)</script> & more: \\\"We & they <b>agree</b>,\\\" he said.\"}\nnot json\n{\"id\":7,\"text\":\"Paris.\"}\n";
    // Several documents need --out.
    assert_eq!(gazette(&["extract", "--input", "jsonl", "--format", "html"], corpus).status.code(), Some(2));
    let dir = tmp_dir().join("pages");
    let out = gazette(&["extract", "--input", "jsonl", "--format", "html", "--out", dir.to_str().unwrap()], corpus);
    assert_eq!(out.status.code(), Some(1), "the bad line fails, the others come out");
    assert!(String::from_utf8_lossy(&out.stderr).contains("<stdin>:2:2: not JSON"));
    assert!(out.stdout.is_empty());
    let page = std::fs::read_to_string(dir.join("a_1.html")).unwrap();
    assert!(std::fs::read_to_string(dir.join("7.html")).unwrap().contains("Paris"));
    assert!(!page.contains("<script"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"), "{page}");
    assert!(page.contains("We &amp; they &lt;b&gt;agree&lt;/b&gt;,"), "{page}");
    assert!(page.contains("data-speaker=\"Sergei Lavrov\""), "{page}");
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("src="), "self-contained");
    // One article: the page on stdout.
    let out = gazette(&["extract", "--format", "html"], b"Sergei Lavrov & co.");
    assert!(out.status.success());
    assert!(String::from_utf8(out.stdout).unwrap().contains("Lavrov"));
}

#[test]
fn jsonl_line_with_non_string_text_is_an_error() {
    let out = gazette(&["extract", "--format", "jsonl"], b"{\"id\":1,\"text\":5}\n[1]\n");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("<stdin>:1:1: \"text\" is not a string"), "{err}");
    assert!(err.contains("<stdin>:2:1: not a JSON object"), "{err}");
}

#[test]
fn text_form_has_no_empty_sections_and_says_what_is_unknown() {
    let out = gazette(&["extract", "--format", "text"], b"Teodor Valcu toured the north on Friday.");
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(!s.contains("Quotes:") && !s.contains("Relations:"), "{s}");
    assert!(s.contains("Friday: not resolved (no document date)"), "{s}");
    assert!(!s.contains('?'), "{s}");
    let s = String::from_utf8(gazette(&["extract", "--format", "text"], b"").stdout).unwrap();
    assert_eq!(s, "Nothing found.\n");
}

#[test]
fn eval_prints_totals_first_and_json() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lavrov-bosnia-2018.gold.json");
    let out = gazette(&["eval", dir], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("Totals over 1 document (document gold):"), "{s}");
    for row in
        ["  entities ", "    person ", "  relations ", "    holds_office ", "  quotes ", "    direct ", "  dates "]
    {
        assert!(s.contains(row), "{row}: {s}");
    }
    assert!(s.find("lavrov-bosnia-2018: entities").unwrap() > s.find("  dates ").unwrap(), "table first");
    let out = gazette(&["eval", "--json", dir], b"");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["relations"]["holds_office"]["fn"], 0);
    assert!(v["totals"]["entities"]["person"]["tp"].as_u64().unwrap() >= 5);
    assert!(v["docs"]["lavrov-bosnia-2018"]["entities_found"].as_u64().unwrap() > 0);
}

#[test]
fn text_format_reads_like_the_example() {
    let out = gazette(&["extract", "--format", "text"], b"Russian Foreign Minister Sergei Lavrov spoke.");
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("Sergei Lavrov \u{2014} Foreign Minister \u{2014} Russia"), "{s}");
}

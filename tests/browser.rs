//! The HTML view in a real browser: headless Chromium renders the founding
//! article's page, and the DOM it builds has the highlighted mentions and
//! the quotes with their speakers; a screenshot is taken.
//!
//! Needs Debian's `chromium` (`.ci/run` installs it). Without it the test
//! says it is skipped, except under CI (`CI` set), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use gazette::{Date, Extractor, Options};

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        let out = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output().ok()?;
        let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
    });
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "chromium is not installed, and CI needs the browser test");
        // Straight to stderr, past the test harness's capture, so it is seen.
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "SKIPPED: the browser test needs chromium (apt-get install chromium)");
    }
    found
}

/// Runs headless Chromium on a local file with the flags this closed
/// network needs and a fresh profile; returns stdout.
fn run_chromium(bin: &Path, dir: &Path, extra: &[&str], page: &Path) -> String {
    let profile = dir.join(format!("profile-{}", extra.len()));
    let out = Command::new("timeout")
        .arg("120")
        .arg(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The opening tags of `tag` elements having `attr` (in the order found).
fn tags<'a>(dom: &'a str, tag: &str, attr: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    dom.match_indices(&open)
        .filter_map(|(i, _)| dom[i..].find('>').map(|e| &dom[i..i + e + 1]))
        .filter(|t| t.contains(attr))
        .collect()
}

#[test]
fn founding_article_renders_in_chromium() {
    let Some(bin) = chromium() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/fixtures/lavrov-bosnia-2018.md")).unwrap();
    let doc = Extractor::new().extract_with(&text, &Options::default().with_date(Date::parse("2018-09-21")));
    let html = gazette::html::Page::new(&text, &doc).title("lavrov-bosnia-2018").render();
    let dir = std::env::temp_dir().join(format!("gazette-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("lavrov.html");
    std::fs::write(&page, &html).unwrap();

    let dom = run_chromium(&bin, &dir, &["--dump-dom"], &page);
    assert!(dom.contains("<article id=\"text\">"), "{dom}");
    // The browser kept every highlight: no mis-nesting for its parser to repair.
    assert_eq!(tags(&dom, "mark", "class=\"m ").len(), tags(&html, "mark", "class=\"m ").len());
    let marks = tags(&dom, "mark", "data-type=");
    let has = |kind: &str, ty: &str, name: &str| {
        marks.iter().any(|t| {
            t.contains(&format!("data-kind=\"{kind}\""))
                && t.contains(&format!("data-type=\"{ty}\""))
                && t.contains(&format!("data-name=\"{name}\""))
        })
    };
    for (ty, name) in [
        ("person", "Sergei Lavrov"),
        ("person", "Milorad Dodik"),
        ("person", "Igor Crnadak"),
        ("place", "Bosnia"),
        ("place", "Sarajevo"),
        ("office", "Foreign Minister"),
    ] {
        assert!(has("name", ty, name), "no highlighted {ty} {name}");
    }
    // "he" and "the Russian" are tied to Lavrov.
    assert!(has("pronoun", "person", "Sergei Lavrov"), "pronoun mention of Lavrov");
    assert!(has("nominal", "person", "Sergei Lavrov"), "nominal mention of Lavrov");
    // The quotes, marked in the text with their speaker.
    let quotes = tags(&dom, "q", "data-quote=");
    let lavrov_quotes: std::collections::BTreeSet<&str> = quotes
        .iter()
        .filter(|t| t.contains("data-speaker=\"Sergei Lavrov\""))
        .filter_map(|t| t.split("data-quote=\"").nth(1)?.split('"').next())
        .collect();
    assert!(lavrov_quotes.len() >= 6, "quotes by Lavrov in the DOM: {lavrov_quotes:?}");
    assert!(dom.contains("We support Bosnia's sovereignty"), "the direct quote's words");
    assert!(tags(&dom, "span", "class=\"speaker\"").len() >= 6, "speaker badges");
    assert!(dom.contains("Sergei Lavrov — Foreign Minister — Russia"), "the facts list");
    assert!(dom.contains("id=\"legend\""), "a legend");
    assert!(dom.contains("2018-10-07"), "the election's date");
    assert!(!dom.contains("<script"), "no scripts");

    let shot = dir.join("lavrov.png");
    run_chromium(
        &bin,
        &dir,
        &["--window-size=1400,1000", "--hide-scrollbars", &format!("--screenshot={}", shot.display())],
        &page,
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a real screenshot ({} bytes)", png.len());
    if let Some(keep) = std::env::var_os("GAZETTE_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}

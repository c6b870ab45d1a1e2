//! The README's example output (an excerpt of what `cargo run --example
//! article` prints) is printed as shown: every line not marked `[...]`
//! comes out, in that order.

#[test]
fn readme_example_output_is_what_the_example_prints() {
    let readme = include_str!("../README.md");
    let from = readme.find("The first prints").expect("the README shows the example's output");
    let block = readme[from..].split("```text\n").nth(1).and_then(|b| b.split("```").next()).expect("a text block");
    let text = include_str!("fixtures/lavrov-bosnia-2018.md");
    let printed = gazette::Extractor::new().extract(text).to_string();
    let mut lines = printed.lines();
    for want in block.lines().filter(|l| l.trim() != "[...]") {
        assert!(
            lines.any(|l| l == want),
            "README line not printed (in this order) by `cargo run --example article`:\n{want}\n\nIt prints:\n{printed}"
        );
    }
}

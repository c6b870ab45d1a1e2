//! Embeds every file of `data/gazetteer/*.tsv` and `data/rules/*.rules` as
//! the default data (sorted by name, so the order is stable).

use std::{env, fs, path::Path};

fn list(dir: &str, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut out = String::new();
    for (name, dir, ext) in [("GAZETTEER", "data/gazetteer", ".tsv"), ("RULES", "data/rules", ".rules")] {
        println!("cargo:rerun-if-changed={dir}");
        out.push_str(&format!(
            "/// Embedded `{dir}/*{ext}` files: (path, contents).\npub(crate) const {name}: &[(&str, &str)] = &[\n"
        ));
        for f in list(&format!("{root}/{dir}"), ext) {
            println!("cargo:rerun-if-changed={dir}/{f}");
            out.push_str(&format!(
                "    (\"{dir}/{f}\", include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{dir}/{f}\"))),\n"
            ));
        }
        out.push_str("];\n");
    }
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(dest, out).expect("write embedded.rs");
}

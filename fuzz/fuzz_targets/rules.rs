//! Fuzzes the rule parser: any rule file text either loads or gives an
//! error (never a panic), and rules that load run on a sample text and
//! their inline examples.

#![no_main]

use libfuzzer_sys::fuzz_target;

/// A few gazetteer types for rules to refer to, without the embedded data.
const GAZ: &str = "#@ type=person class=given_name\nSergei\n#@ type=place class=country\nRussia\n\
#@ type=organization class=company\nAcme\n#@ type=office\nForeign Minister\n#@ type=event class=election\nvote\n";

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let built = gazette::Extractor::builder().defaults(false).gazetteer_str("fuzz.tsv", GAZ).rules_str("fuzz.rules", src).build();
    if let Ok(ex) = built {
        let _ = ex.extract("Russian Foreign Minister Sergei Lavrov, boss of Acme, said \"yes\" before the Oct. 7 vote.");
        let _ = ex.check_examples();
    }
});

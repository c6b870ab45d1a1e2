//! No input makes gazette panic, and every span it reports slices the input.

use gazette::Extractor;

mod common;

use common::PIECES;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_inputs_never_panic_and_spans_slice() {
    let ex = Extractor::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..1500 {
        let n = (rng.next() % 60) as usize;
        let text: String = (0..n).map(|_| PIECES[(rng.next() as usize) % PIECES.len()]).collect();
        let doc = ex.extract(&text);
        common::check_spans(&text, &doc);
    }
}

#[test]
fn edge_cases() {
    let ex = Extractor::new();
    for text in ["", " ", "\n\n\n", "\"", "\"\"", "**", "[](", "<http://", "#", "U.S.", "....", "'s", "Mr.", "a-", "-a"]
    {
        let doc = ex.extract(text);
        common::check_spans(text, &doc);
    }
    let long = "Lavrov ".repeat(20_000);
    common::check_spans(&long, &ex.extract(&long));
    let word = "x".repeat(100_000);
    common::check_spans(&word, &ex.extract(&word));
}

//! Stage 5: quotation marks paired into quote spans, once per
//! document, before the entity stage (pronouns inside quotes are left alone)
//! and the quote stage (which attributes them).

use crate::tokens::{Kind, Tokens, flag};
use crate::types::TokenSpan;

/// The direction of a quotation mark: 0 either way (`"`), 1 opening, -1 closing.
pub(crate) fn mark(w: &str) -> Option<i8> {
    match w {
        "\"" | "''" => Some(0),
        "\u{201c}" | "\u{201e}" | "\u{00ab}" | "``" => Some(1),
        "\u{201d}" | "\u{00bb}" => Some(-1),
        _ => None,
    }
}

/// Pairs the quotation marks of a document: each pair is the token range
/// from the opening mark to just after the closing mark (a quote left open
/// runs to the end of its paragraph).
pub(crate) fn pair(text: &str, toks: &Tokens) -> Vec<TokenSpan> {
    let word = |i: usize| toks.text(text, i);
    let toks = &toks.tokens;
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, t) in toks.iter().enumerate() {
        if t.kind != Kind::Punct {
            continue;
        }
        let Some(mut m) = mark(word(i)) else {
            continue;
        };
        // An opening mark glued to the words before it and followed by a
        // space closes: `"It's unusual,“ said ...`.
        if m == 1
            && open.is_some_and(|o| o + 1 < i)
            && !t.has(flag::SPACE_BEFORE)
            && toks.get(i + 1).is_none_or(|n| n.has(flag::SPACE_BEFORE))
        {
            m = -1;
        }
        match (open, m) {
            (None, 0 | 1) => open = Some(i),
            (Some(o), 0 | -1) => {
                // A line that starts with a mark while a quote is open: the
                // old quote ran to the end of its paragraph (news style).
                if t.has(flag::NL_BEFORE) && m == 0 {
                    out.push(TokenSpan::new(o as u32, i as u32));
                    open = Some(i);
                } else {
                    out.push(TokenSpan::new(o as u32, i as u32 + 1));
                    open = None;
                }
            }
            (Some(o), 1) => {
                out.push(TokenSpan::new(o as u32, i as u32));
                open = Some(i);
            }
            (None, _) => {}
            _ => {}
        }
    }
    if let Some(o) = open {
        // Unclosed at the end: run to the end of the paragraph.
        let mut e = o + 1;
        while e < toks.len() && !toks[e].has(flag::PARA_BEFORE) {
            e += 1;
        }
        if e > o + 1 {
            out.push(TokenSpan::new(o as u32, e as u32));
        }
    }
    out
}

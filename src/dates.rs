//! Stage 4: dates. Recognition over tokens and normalization against the
//! document's date. Runs before entities so rules can match `&date`.
//!
//! Values are ISO 8601: a day `2018-10-07`, a month `2018-10`, a year
//! `1992`, a range `1992/1995`, a decade `199X`.

use crate::tokens::{Kind, Tokens, flag};

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of month, 1..=31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` for anything else (or an impossible day).
    ///
    /// ```
    /// use gazette::Date;
    /// assert_eq!(Date::parse("2018-09-21").unwrap().to_string(), "2018-09-21");
    /// assert!(Date::parse("2018-02-30").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = s[..4].parse().ok()?;
        let month = s[5..7].parse().ok()?;
        let day = s[8..].parse().ok()?;
        Date::new(year, month, day)
    }

    /// A valid date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        (1..=12).contains(&month).then_some(())?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01.
    pub(crate) fn days(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = if self.month <= 2 { self.year as i64 - 1 } else { self.year as i64 };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    pub(crate) fn from_days(z: i64) -> Date {
        let z = z + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
        Date { year, month, day }
    }

    /// 0 = Monday .. 6 = Sunday.
    pub(crate) fn weekday(&self) -> u32 {
        ((self.days() + 3).rem_euclid(7)) as u32
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];
const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// A date expression found in the text: tokens `[start, end)` and its value.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub start: u32,
    pub end: u32,
    pub value: Option<String>,
    pub rule: &'static str,
}

impl Found {
    fn new(start: usize, end: usize, value: Option<String>, rule: &'static str) -> Found {
        Found { start: start as u32, end: end as u32, value, rule }
    }
}

/// A four-digit year, 1000..=2999.
fn year4(w: &str) -> Option<u32> {
    num(w).filter(|y| (1000..=2999).contains(y) && w.len() == 4)
}

fn month_of(w: &str, t: &crate::tokens::Token) -> Option<u32> {
    if !t.has(flag::CAP) {
        return None;
    }
    let base = w.strip_suffix('.').unwrap_or(w).to_ascii_lowercase();
    // Abbreviations only with a period ("Mar." not "Mar"), except May.
    let full = MONTHS.iter().find(|(n, _)| *n == base).map(|(_, m)| *m)?;
    let is_full =
        MONTHS.iter().any(|(n, _)| n.len() > 4 && *n == base) || base == "may" || base == "june" || base == "july";
    (is_full || w.ends_with('.') || base == "sept").then_some(full)
}

fn num(w: &str) -> Option<u32> {
    if w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()) { w.parse().ok() } else { None }
}

/// The year a month-day without a year falls in: the nearest such date
/// around the document date.
fn nearest_year(anchor: Date, month: u32, day: u32) -> i32 {
    let mut best = anchor.year;
    let mut best_d = i64::MAX;
    for y in [anchor.year - 1, anchor.year, anchor.year + 1] {
        if let Some(d) = Date::new(y, month, day) {
            let dist = (d.days() - anchor.days()).abs();
            if dist < best_d {
                best_d = dist;
                best = y;
            }
        }
    }
    best
}

const FUTURE: &[&str] = &["will", "next", "to", "'ll", "plans", "scheduled", "due"];

/// Finds every date expression. `anchor` is the document date, if known.
pub(crate) fn find(text: &str, toks: &Tokens, anchor: Option<Date>) -> Vec<Found> {
    let at = At { text, toks, anchor };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.tokens.len() {
        match FORMS.iter().find_map(|form| form(&at, i)) {
            Some(f) => {
                i = (f.end as usize).max(i + 1);
                out.push(f);
            }
            None => i += 1,
        }
    }
    out
}

/// What the date forms look at.
struct At<'a> {
    text: &'a str,
    toks: &'a Tokens,
    anchor: Option<Date>,
}

impl At<'_> {
    /// Token `i`'s text, or "" past the end.
    fn w(&self, i: usize) -> &str {
        if i < self.toks.tokens.len() { self.toks.text(self.text, i) } else { "" }
    }

    fn is_number(&self, i: usize) -> bool {
        self.toks.tokens.get(i).is_some_and(|t| t.kind == Kind::Number)
    }

    fn month(&self, i: usize) -> Option<u32> {
        self.toks.tokens.get(i).and_then(|t| month_of(self.w(i), t))
    }

    /// A day of `month` with an optional explicit year, else the year nearest the anchor.
    fn day_value(&self, year: Option<u32>, month: u32, day: u32) -> Option<String> {
        let year = year.map(|y| y as i32).or_else(|| self.anchor.map(|a| nearest_year(a, month, day)));
        year.and_then(|y| Date::new(y, month, day)).map(|d| d.to_string())
    }
}

/// One date form: the date starting at token `i`, if this form is there.
type Form = fn(&At, usize) -> Option<Found>;

/// The forms, tried in order at each token; the first that matches wins.
const FORMS: &[Form] = &[
    iso,
    month_day,
    month_year,
    bare_month,
    day_month,
    year_range,
    year_after_preposition,
    decade,
    weekday,
    relative_day,
];

/// ISO date: 1996-08-30 (tokenized as 1996 - 08 - 30).
fn iso(at: &At, i: usize) -> Option<Found> {
    let wi = at.w(i);
    if !(at.is_number(i) && wi.len() == 4 && at.w(i + 1) == "-" && at.w(i + 3) == "-" && i + 4 < at.toks.tokens.len()) {
        return None;
    }
    let d = Date::parse(&format!("{}-{}-{}", wi, at.w(i + 2), at.w(i + 4)))?;
    Some(Found::new(i, i + 5, Some(d.to_string()), "date.iso"))
}

/// Month Day(, Year)?: "Oct. 7", "September 21, 2018".
fn month_day(at: &At, i: usize) -> Option<Found> {
    let m = at.month(i)?;
    let d = num(at.w(i + 1)).filter(|d| (1..=31).contains(d) && at.is_number(i + 1))?;
    let k = if at.w(i + 2) == "," { i + 3 } else { i + 2 };
    let year = year4(at.w(k));
    let end = if year.is_some() { k + 1 } else { i + 2 };
    Some(Found::new(i, end, at.day_value(year, m, d), "date.month_day"))
}

/// Month Year: "June 1996".
fn month_year(at: &At, i: usize) -> Option<Found> {
    let m = at.month(i)?;
    let y = year4(at.w(i + 1))?;
    Some(Found::new(i, i + 2, Some(format!("{y:04}-{m:02}")), "date.month_year"))
}

/// A bare month name, capitalized mid-sentence, other than "May" (a modal
/// verb) and the short forms; the month nearest before or around the anchor.
fn bare_month(at: &At, i: usize) -> Option<Found> {
    let m = at.month(i)?;
    let wi = at.w(i);
    if wi.eq_ignore_ascii_case("may") || at.toks.tokens[i].has(flag::SENT_START) || wi.len() <= 4 {
        return None;
    }
    let value = at.anchor.map(|a| format!("{:04}-{m:02}", if m > a.month + 6 { a.year - 1 } else { a.year }));
    Some(Found::new(i, i + 1, value, "date.month"))
}

/// Day Month Year: "21 September 2018", "21 September".
fn day_month(at: &At, i: usize) -> Option<Found> {
    if !at.is_number(i) {
        return None;
    }
    let d = num(at.w(i)).filter(|d| (1..=31).contains(d))?;
    let m = at.month(i + 1)?;
    let year = year4(at.w(i + 2));
    let end = if year.is_some() { i + 3 } else { i + 2 };
    Some(Found::new(i, end, at.day_value(year, m, d), "date.day_month"))
}

/// Year ranges: "1992-95", "1992-1995".
fn year_range(at: &At, i: usize) -> Option<Found> {
    let y = year4(at.w(i)).filter(|_| at.is_number(i))?;
    let glued = !at.toks.tokens.get(i + 1).is_some_and(|t| t.has(flag::SPACE_BEFORE));
    if at.w(i + 1) != "-" || !glued {
        return None;
    }
    let y2 = num(at.w(i + 2))?;
    let y2 = match at.w(i + 2).len() {
        2 => (y / 100) * 100 + y2,
        4 => y2,
        _ => 0,
    };
    (y2 > y && y2 - y < 100).then(|| Found::new(i, i + 3, Some(format!("{y}/{y2}")), "date.year_range"))
}

/// Words before a bare year that make it a date ("in 1995").
const YEAR_PREPOSITIONS: &[&str] =
    &["in", "since", "until", "by", "from", "of", "during", "before", "after", "early", "late", "mid"];

/// A year after a preposition: "in 1995".
fn year_after_preposition(at: &At, i: usize) -> Option<Found> {
    let y = year4(at.w(i)).filter(|y| at.is_number(i) && (1800..=2100).contains(y))?;
    let prev = if i > 0 { at.w(i - 1).to_ascii_lowercase() } else { String::new() };
    YEAR_PREPOSITIONS.contains(&prev.as_str()).then(|| Found::new(i, i + 1, Some(y.to_string()), "date.year"))
}

/// Decades: "the 1990s".
fn decade(at: &At, i: usize) -> Option<Found> {
    let wi = at.w(i);
    if !(at.is_number(i) && wi.len() == 5 && wi.ends_with("0s") && wi[..4].bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let start = if i > 0 && at.w(i - 1).eq_ignore_ascii_case("the") { i - 1 } else { i };
    Some(Found::new(start, i + 1, Some(format!("{}X", &wi[..3])), "date.decade"))
}

/// A capitalized weekday: the most recent one on or before the anchor, or
/// the next one in a sentence about the future.
fn weekday(at: &At, i: usize) -> Option<Found> {
    let wd = WEEKDAYS.iter().position(|d| d.eq_ignore_ascii_case(at.w(i)))?;
    if !at.toks.tokens[i].has(flag::CAP) {
        return None;
    }
    let value = at.anchor.map(|a| {
        let sent = at.toks.sentence_of(i);
        let future = (sent.start..sent.end)
            .any(|k| FUTURE.contains(&at.w(k).to_ascii_lowercase().as_str()) && k + 1 < sent.end && k < i);
        let cur = a.weekday() as i64;
        let delta = if future { (wd as i64 - cur).rem_euclid(7) } else { -((cur - wd as i64).rem_euclid(7)) };
        Date::from_days(a.days() + delta).to_string()
    });
    Some(Found::new(i, i + 1, value, "date.weekday"))
}

/// "today", "yesterday", "tomorrow".
fn relative_day(at: &At, i: usize) -> Option<Found> {
    let wi = at.w(i);
    let delta = [("today", 0), ("yesterday", -1), ("tomorrow", 1)]
        .iter()
        .find(|(word, _)| word.eq_ignore_ascii_case(wi))
        .map(|&(_, delta)| delta)?;
    let value = at.anchor.map(|a| Date::from_days(a.days() + delta).to_string());
    Some(Found::new(i, i + 1, value, "date.relative"))
}

/// The document's own date: the first full date in its first sentences
/// (byline or dateline), if any.
pub(crate) fn document_date(text: &str, toks: &Tokens) -> Option<Date> {
    let limit = toks.sentences.get(6).map_or(toks.tokens.len(), |s| s.start);
    find(text, toks, None)
        .into_iter()
        .take_while(|f| (f.start as usize) < limit)
        .find_map(|f| f.value.as_deref().and_then(Date::parse))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{input, tokens};

    fn dates(text: &str, anchor: &str) -> Vec<(String, String)> {
        let t = tokens::tokenize(text, &input::scan(text));
        find(text, &t, Date::parse(anchor))
            .into_iter()
            .map(|f| {
                let s = t.tokens[f.start as usize].span.start;
                let e = t.tokens[f.end as usize - 1].span.end;
                (text[s..e].to_string(), f.value.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn normalizes() {
        let cases: &[(&str, &str, &str, &str)] = &[
            ("September 21, 2018", "2000-01-01", "September 21, 2018", "2018-09-21"),
            ("ahead of the Oct. 7 vote", "2018-09-21", "Oct. 7", "2018-10-07"),
            ("on Dec. 30 last", "2019-01-02", "Dec. 30", "2018-12-30"),
            ("said on Friday", "2018-09-21", "Friday", "2018-09-21"),
            ("said on Tuesday", "2018-09-21", "Tuesday", "2018-09-18"),
            ("LONDON 1996-08-30", "2000-01-01", "1996-08-30", "1996-08-30"),
            ("Bosnia's 1992-95 war", "2018-09-21", "1992-95", "1992/1995"),
            ("in the 1990s", "2018-09-21", "the 1990s", "199X"),
            ("in March 2015", "2018-09-21", "March 2015", "2015-03"),
            ("22 September 2015", "2018-09-21", "22 September 2015", "2015-09-22"),
            ("arrived yesterday", "2015-09-22", "yesterday", "2015-09-21"),
        ];
        for (text, anchor, span, value) in cases {
            let got = dates(text, anchor);
            assert_eq!(got, vec![(span.to_string(), value.to_string())], "{text}");
        }
    }

    #[test]
    fn may_is_not_a_date() {
        assert!(dates("borders may change", "2018-09-21").is_empty());
    }

    #[test]
    fn calendar_round_trip() {
        for d in [Date::new(1970, 1, 1), Date::new(2000, 2, 29), Date::new(2018, 9, 21)].into_iter().flatten() {
            assert_eq!(Date::from_days(d.days()), d);
        }
        assert_eq!(Date::new(2018, 9, 21).map(|d| d.weekday()), Some(4));
    }
}

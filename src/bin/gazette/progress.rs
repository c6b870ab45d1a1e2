//! Progress on stderr for corpus runs: only when stderr is a terminal and
//! `--quiet` is not given.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar, or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// The bar counts bytes (documents in the message), else documents.
    bytes: bool,
    docs: AtomicU64,
}

impl Progress {
    /// Progress over `total` bytes (unknown: a spinner), counting documents.
    pub fn bytes(total: Option<u64>, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::none();
        }
        let (bar, template) = match total {
            Some(n) => (
                ProgressBar::new(n),
                "{spinner} {msg} documents  {binary_bytes}/{binary_total_bytes}  {binary_bytes_per_sec}  {wide_bar}  {eta} left",
            ),
            None => (
                ProgressBar::no_length(),
                "{spinner} {msg} documents  {binary_bytes}  {binary_bytes_per_sec}  {elapsed}",
            ),
        };
        Progress::start(bar, template, true)
    }

    fn none() -> Progress {
        Progress { bar: None, bytes: false, docs: AtomicU64::new(0) }
    }

    /// Progress over `total` documents.
    pub fn docs(total: usize, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() || total < 2 {
            return Progress::none();
        }
        let template = "{spinner} {pos}/{len} documents  {per_sec}  {wide_bar}  {eta} left";
        Progress::start(ProgressBar::new(total as u64), template, false)
    }

    fn start(bar: ProgressBar, template: &str, bytes: bool) -> Progress {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        bar.set_message("0");
        Progress { bar: Some(bar), bytes, docs: AtomicU64::new(0) }
    }

    /// Adds documents and bytes (byte bars) or documents (document bars).
    pub fn add(&self, docs: u64, bytes: u64) {
        let Some(b) = &self.bar else { return };
        if self.bytes {
            b.inc(bytes);
            let n = self.docs.fetch_add(docs, Ordering::Relaxed) + docs;
            b.set_message(n.to_string());
        } else {
            b.inc(docs);
        }
    }

    /// Runs `f` with the bar hidden (to print a message).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

//! How commands print for people (`--format text`, the default) and for programs
//! (`--format json`), and the progress of `upgrade` and `downgrade`.
//!
//! JSON output is one object per line on stdout and nothing else there (see
//! docs/output.md for every shape): a command's result is one object with
//! `"version": 1`; `upgrade` and `downgrade` write JSON Lines, one object per event.
//! Human words of a JSON run (`Resuming ...`, `Nothing to do`) go to stderr.
//!
//! [`RunOutput`] is what a run tells of the library's progress events
//! ([`wildebeest::Progress`]) as each revision starts and ends: in text
//! `[n/N] Applied REV  MESSAGE (MS ms)`, and on a terminal a live line on stderr
//! while a revision has been running for over a second, naming the statement it runs
//! or how far a table rebuild's row copy is ([`wildebeest::Activity`]); in JSON one
//! event per object.

use std::io::{IsTerminal, Write};
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;
use wildebeest::{Activity, Doing};

/// `--format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Lines for people.
    #[default]
    Text,
    /// One JSON object per line (docs/output.md).
    Json,
}

/// The version of every JSON shape: raised only when a field changes meaning or goes
/// away (fields may be added within a version).
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Versioned<'a, T: Serialize> {
    version: u32,
    #[serde(flatten)]
    body: &'a T,
}

/// Writes `body` as one line of JSON with `"version": 1` first.
pub fn write_json<T: Serialize>(out: &mut dyn Write, body: &T) -> Result<()> {
    serde_json::to_writer(
        &mut *out,
        &Versioned {
            version: JSON_VERSION,
            body,
        },
    )?;
    writeln!(out)?;
    Ok(())
}

/// The object a JSON command writes when it fails (besides the message on stderr);
/// the exit status stays 2.
pub fn json_error(message: &str) -> String {
    #[derive(Serialize)]
    struct Error<'a> {
        event: &'static str,
        message: &'a str,
    }
    let mut text = serde_json::to_string(&Versioned {
        version: JSON_VERSION,
        body: &Error {
            event: "error",
            message,
        },
    })
    .unwrap_or_default();
    text.push('\n');
    text
}

/// Which way a run goes, as events and lines name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Way {
    Upgrade,
    Downgrade,
}

impl Way {
    fn past(self) -> &'static str {
        match self {
            Way::Upgrade => "Applied",
            Way::Downgrade => "Reverted",
        }
    }

    fn going(self) -> &'static str {
        match self {
            Way::Upgrade => "Applying",
            Way::Downgrade => "Reverting",
        }
    }
}

/// One event of a run, whichever code ran it.
#[derive(Debug, Clone, Copy)]
pub enum RunEvent<'r> {
    /// Revision `index` of `total` (from 1) is about to run.
    Started {
        revision: &'r str,
        message: &'r str,
        index: usize,
        total: usize,
        /// What it does while it runs, which the live line shows.
        activity: &'r Activity,
    },
    /// The revision that started last ran and committed.
    Finished {
        revision: &'r str,
        message: &'r str,
        duration_ms: u64,
    },
    /// A revision left half done goes on after statement `after` (its `Started`
    /// follows).
    Resuming { revision: &'r str, after: usize },
    /// A statement the model does not follow, found while planning the run.
    Warning(&'r str),
}

#[derive(Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum JsonEvent<'r> {
    RevisionStarted {
        direction: Way,
        revision: &'r str,
        message: &'r str,
        index: usize,
        total: usize,
    },
    RevisionFinished {
        direction: Way,
        revision: &'r str,
        message: &'r str,
        index: usize,
        total: usize,
        duration_ms: u64,
    },
    Warning {
        message: &'r str,
    },
    Done {
        direction: Way,
        target: &'r str,
        revisions: usize,
        duration_ms: u64,
    },
}

/// What `upgrade` and `downgrade` print as they go. Dropped, it clears its live line.
pub struct RunOutput<'w> {
    format: Format,
    way: Way,
    out: &'w mut dyn Write,
    /// Live lines on stderr (a terminal on both streams, text only).
    live: bool,
    ticker: Option<Ticker>,
    index: usize,
    total: usize,
    ran: usize,
    started: Instant,
    /// The first write that failed (a closed pipe): the run goes on, the command
    /// reports it at the end.
    error: Option<std::io::Error>,
}

impl<'w> RunOutput<'w> {
    /// Output for a run going `way`, to `out`; live lines only where stdout and
    /// stderr are terminals and `TERM` is not `dumb`.
    pub fn new(format: Format, way: Way, out: &'w mut dyn Write) -> RunOutput<'w> {
        let live = format == Format::Text
            && std::io::stdout().is_terminal()
            && std::io::stderr().is_terminal()
            && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
        RunOutput {
            format,
            way,
            out,
            live,
            ticker: None,
            index: 0,
            total: 0,
            ran: 0,
            started: Instant::now(),
            error: None,
        }
    }

    /// Tells one event.
    pub fn event(&mut self, event: RunEvent<'_>) {
        match event {
            RunEvent::Started {
                revision,
                message,
                index,
                total,
                activity,
            } => {
                self.index = index;
                self.total = total;
                match self.format {
                    Format::Json => self.json(&JsonEvent::RevisionStarted {
                        direction: self.way,
                        revision,
                        message,
                        index,
                        total,
                    }),
                    Format::Text if self.live => {
                        let label = format!(
                            "{} {} {revision}  {message}",
                            self.counter(),
                            self.way.going()
                        );
                        self.ticker = Some(Ticker::start(label, activity.follow()));
                    }
                    Format::Text => {}
                }
            }
            RunEvent::Finished {
                revision,
                message,
                duration_ms,
            } => {
                if let Some(ticker) = self.ticker.take() {
                    ticker.stop();
                }
                self.ran += 1;
                match self.format {
                    Format::Json => self.json(&JsonEvent::RevisionFinished {
                        direction: self.way,
                        revision,
                        message,
                        index: self.index,
                        total: self.total,
                        duration_ms,
                    }),
                    Format::Text => {
                        let line = format!(
                            "{} {} {revision}  {message} ({duration_ms} ms)\n",
                            self.counter(),
                            self.way.past()
                        );
                        self.write(line.as_bytes());
                    }
                }
            }
            RunEvent::Resuming { revision, after } => {
                let line = format!("Resuming {revision} after statement {after}");
                match self.format {
                    Format::Text => self.write(format!("{line}\n").as_bytes()),
                    // Stdout is the events' alone.
                    Format::Json => eprintln!("{line}"),
                }
            }
            RunEvent::Warning(text) => {
                // Text says nothing more here: `migrate` warned when it wrote the
                // file, and `upgrade --sql` and `check` print them.
                if self.format == Format::Json {
                    let message = crate::redact::redact(text);
                    self.json(&JsonEvent::Warning { message: &message });
                }
            }
        }
    }

    /// `[ n/N]`, `n` as wide as `N` so that the lines line up.
    fn counter(&self) -> String {
        let width = self.total.to_string().len();
        format!("[{:>width$}/{}]", self.index, self.total)
    }

    fn json<T: Serialize>(&mut self, event: &T) {
        let mut line = match serde_json::to_vec(&Versioned {
            version: JSON_VERSION,
            body: event,
        }) {
            Ok(line) => line,
            Err(e) => {
                self.error.get_or_insert(std::io::Error::other(e));
                return;
            }
        };
        line.push(b'\n');
        self.write(&line);
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.out.write_all(bytes).and_then(|()| self.out.flush()) {
            self.error = Some(e);
        }
    }

    /// Stops a live line left running by a run that failed.
    fn stop_ticker(&mut self) {
        if let Some(ticker) = self.ticker.take() {
            ticker.stop();
        }
    }

    /// The end of a run that went to `target`: in JSON a `done` event; `Err` for a
    /// write that failed on the way.
    pub fn done(mut self, target: &str) -> Result<()> {
        self.stop_ticker();
        if self.format == Format::Json {
            self.json(&JsonEvent::Done {
                direction: self.way,
                target,
                revisions: self.ran,
                duration_ms: self.started.elapsed().as_millis() as u64,
            });
        }
        match self.error.take() {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }
}

impl Drop for RunOutput<'_> {
    fn drop(&mut self) {
        self.stop_ticker();
    }
}

/// How long a revision runs before its live line shows.
const LIVE_AFTER: Duration = Duration::from_secs(1);
/// How often the live line's clock moves.
const LIVE_EVERY: Duration = Duration::from_millis(200);

/// How many characters of the running statement the live line shows.
const STATEMENT_CHARS: usize = 40;

/// The live line of the revision running: a thread that, after [`LIVE_AFTER`],
/// rewrites one line of stderr with the time so far and what the revision is doing
/// ([`live_detail`]), and clears it when stopped.
struct Ticker {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

impl Ticker {
    fn start(label: String, activity: Activity) -> Ticker {
        let (stop, stopped) = channel::<()>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut wait = LIVE_AFTER;
            let mut shown = false;
            // Stopped (a message, or the run's side gone): the line is cleared.
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
                let secs = started.elapsed().as_secs_f64();
                let detail = live_detail(&activity.now());
                let line = fit(&format!("{label}  {secs:.1} s{detail}"), terminal_width());
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K{line}");
                let _ = err.flush();
                shown = true;
                wait = LIVE_EVERY;
            }
            if shown {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K");
                let _ = err.flush();
            }
        });
        Ticker { stop, thread }
    }

    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

/// What the live line says after the time: how far a table rebuild's row copy is
/// (``  rebuilding `t`: 1,200,000 of 2,000,000 rows``), else the start of the
/// statement running on one line (`  CREATE INDEX CONCURRENTLY orders_placed...`),
/// else nothing.
fn live_detail(doing: &Doing) -> String {
    if let Some(copy) = &doing.copy {
        let table = one_line(&copy.table);
        return if copy.copied == 0 {
            format!("  rebuilding `{table}`: {} rows", thousands(copy.total))
        } else {
            format!(
                "  rebuilding `{table}`: {} of {} rows",
                thousands(copy.copied),
                thousands(copy.total)
            )
        };
    }
    match &doing.statement {
        Some(sql) => {
            let line = one_line(sql);
            let mut shown: String = line.chars().take(STATEMENT_CHARS).collect();
            if line.chars().nth(STATEMENT_CHARS).is_some() {
                shown.push_str("...");
            }
            format!("  {shown}")
        }
        None => String::new(),
    }
}

/// `line` cut to fit in `width` columns less one (`...` at its end where cut): a
/// line that wrapped would leave its first row behind each time it is rewritten.
fn fit(line: &str, width: usize) -> String {
    let room = width.saturating_sub(1);
    if line.chars().count() <= room {
        return line.to_string();
    }
    if room <= 3 {
        return line.chars().take(room).collect();
    }
    let mut cut: String = line.chars().take(room.saturating_sub(3)).collect();
    cut.push_str("...");
    cut
}

/// The width of the terminal stderr writes to, in columns: what the terminal says,
/// else `COLUMNS`, else 80.
fn terminal_width() -> usize {
    #[cfg(unix)]
    {
        let mut size = libc::winsize {
            ws_row: 0,
            ws_col: 0,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCGWINSZ writes the terminal's size into the `winsize` it is
        // given, which lives until the call returns; on a descriptor that is no
        // terminal it fails and writes nothing.
        let asked = unsafe { libc::ioctl(2, libc::TIOCGWINSZ, &mut size) };
        if asked == 0 && size.ws_col > 0 {
            return usize::from(size.ws_col);
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .unwrap_or(80)
}

/// `text` on one line: each run of white space or control characters (which would
/// move the cursor or end the line) one space.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `n` with a comma between each group of three digits: `2,000,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lines_count_the_run_with_aligned_numbers() {
        let mut buf = Vec::new();
        let mut output = RunOutput::new(Format::Text, Way::Upgrade, &mut buf);
        output.live = false;
        for (i, id) in ["a", "b"].into_iter().enumerate() {
            output.event(RunEvent::Started {
                revision: id,
                message: "m",
                index: i + 9,
                total: 10,
                activity: &Activity::default(),
            });
            output.event(RunEvent::Finished {
                revision: id,
                message: "m",
                duration_ms: 3,
            });
        }
        output.done("head").unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "[ 9/10] Applied a  m (3 ms)\n[10/10] Applied b  m (3 ms)\n"
        );
    }

    #[test]
    fn the_live_line_names_the_statement_or_the_copy_on_one_short_line() {
        let activity = Activity::default();
        assert_eq!(live_detail(&activity.now()), "");
        activity.statement("SELECT pg_sleep(2.5)");
        assert_eq!(live_detail(&activity.now()), "  SELECT pg_sleep(2.5)");
        // Cut at 40 characters, one line, nothing that moves the cursor.
        activity
            .statement("CREATE INDEX orders_placed\n    ON orders (placed_at, customer_id)\x1b[2J");
        assert_eq!(
            live_detail(&activity.now()),
            "  CREATE INDEX orders_placed ON orders (pl..."
        );
        activity.copying("events", 2_000_000);
        assert_eq!(
            live_detail(&activity.now()),
            "  rebuilding `events`: 2,000,000 rows"
        );
        activity.copied(1_200_000);
        assert_eq!(
            live_detail(&activity.now()),
            "  rebuilding `events`: 1,200,000 of 2,000,000 rows"
        );
        activity.copy_done();
        activity.clear();
        assert_eq!(live_detail(&activity.now()), "");
    }

    #[test]
    fn a_live_line_wider_than_the_terminal_is_cut_to_fit() {
        let line =
            "[1/1] Applying 1b2c3d4e5f60  rebuild  1.0 s  rebuilding `events`: 713 of 30,000 rows";
        assert_eq!(fit(line, 200), line);
        let cut = fit(line, 40);
        assert_eq!(cut, "[1/1] Applying 1b2c3d4e5f60  rebuild...");
        assert_eq!(cut.chars().count(), 39);
        assert_eq!(fit("short", 6), "short");
        assert_eq!(fit("longer", 6), "lo...");
        assert_eq!(fit("longer", 3), "lo");
    }

    #[test]
    fn thousands_are_grouped() {
        for (n, shown) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (123_456_789, "123,456,789"),
        ] {
            assert_eq!(thousands(n), shown);
        }
    }
}

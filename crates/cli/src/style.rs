//! Colour for terminals, off when the stream is not a terminal or `NO_COLOR` is set.

use std::io::IsTerminal;

/// How to paint text for one output stream.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// For standard output.
    pub fn stdout() -> Style {
        Style {
            color: wants_color(std::io::stdout().is_terminal()),
        }
    }

    /// For standard error.
    pub fn stderr() -> Style {
        Style {
            color: wants_color(std::io::stderr().is_terminal()),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// `NO_COLOR` set to anything non-empty turns colour off (<https://no-color.org>).
fn wants_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

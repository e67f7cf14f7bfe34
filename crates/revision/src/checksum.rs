//! The checksum of a migration file, stable across editors and operating systems.

use sha2::{Digest, Sha256};

/// The SHA-256 (lower-case hex) of `text` after normalizing what editors and
/// version control change without changing meaning: a leading UTF-8 BOM is dropped,
/// CRLF and CR line endings become LF, white space at the end of each line is removed,
/// and white space (including blank lines) at the end of the file is removed.
///
/// Everything else counts, so any edit to a statement, a comment or a header changes
/// the checksum, and the runner can warn that an applied file was edited.
pub fn checksum(text: &str) -> String {
    let digest = Sha256::digest(normalize(text).as_bytes());
    hex(digest.as_slice())
}

/// The text [`checksum`] hashes.
pub(crate) fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    for line in split_lines(text) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Splits `text` into lines ended by LF, CRLF or a lone CR (old Mac files), without
/// the line endings. A final line ending does not start another, empty line.
///
/// `str::lines` keeps a lone CR inside the line; the parser and the checksum must agree
/// on what a line is, so both use this.
pub(crate) fn split_lines(text: &str) -> SplitLines<'_> {
    SplitLines { rest: text }
}

/// The iterator of [`split_lines`].
pub(crate) struct SplitLines<'a> {
    rest: &'a str,
}

impl<'a> Iterator for SplitLines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let bytes = self.rest.as_bytes();
        match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
            None => {
                let line = self.rest;
                self.rest = "";
                Some(line)
            }
            Some(end) => {
                // CR and LF are ASCII, so `end` and `end + 1` are character boundaries.
                let line = &self.rest[..end];
                let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
                self.rest = &self.rest[end + if crlf { 2 } else { 1 }..];
                Some(line)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "-- Revision: a\n-- Revises:\n\n-- +upgrade\nSELECT 1;\n";

    fn lines(text: &str) -> Vec<&str> {
        split_lines(text).collect()
    }

    #[test]
    fn split_lines_handles_every_line_ending() {
        assert_eq!(lines(""), Vec::<&str>::new());
        assert_eq!(lines("a"), ["a"]);
        assert_eq!(lines("a\n"), ["a"]);
        assert_eq!(lines("a\n\n"), ["a", ""]);
        assert_eq!(lines("a\r\nb\rc\nd"), ["a", "b", "c", "d"]);
        assert_eq!(lines("\r\r\n\n"), ["", "", ""]);
        assert_eq!(lines("é\rü"), ["é", "ü"]);
    }

    #[test]
    fn known_value() {
        // sha256 of the empty string: every file of white space normalizes to "".
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(checksum(""), empty);
        assert_eq!(checksum(" \n\r\n\t"), empty);
        // sha256("abc")
        assert_eq!(
            checksum("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn normalized_text() {
        assert_eq!(normalize("\u{feff}a  \r\nb\t\rc\n\n \n"), "a\nb\nc");
        assert_eq!(normalize("  a\n"), "  a");
    }

    #[test]
    fn insensitive_to_crlf() {
        assert_eq!(checksum(BASE), checksum(&BASE.replace('\n', "\r\n")));
    }

    #[test]
    fn insensitive_to_cr() {
        assert_eq!(checksum(BASE), checksum(&BASE.replace('\n', "\r")));
    }

    #[test]
    fn insensitive_to_bom() {
        assert_eq!(checksum(BASE), checksum(&format!("\u{feff}{BASE}")));
    }

    #[test]
    fn insensitive_to_trailing_white_space_on_lines() {
        let spaced = BASE.replace('\n', " \t \n");
        assert_eq!(checksum(BASE), checksum(&spaced));
    }

    #[test]
    fn insensitive_to_trailing_white_space_at_the_end() {
        assert_eq!(checksum(BASE), checksum(&format!("{BASE}\n\n  \n\t")));
        assert_eq!(checksum(BASE), checksum(BASE.trim_end()));
    }

    #[test]
    fn sensitive_to_content() {
        let edited = BASE.replace("SELECT 1", "SELECT 2");
        assert_ne!(checksum(BASE), checksum(&edited));
        // Leading white space and blank lines inside the file are content.
        assert_ne!(checksum(BASE), checksum(&BASE.replace("SELECT", " SELECT")));
        assert_ne!(checksum(BASE), checksum(&BASE.replace("\n\n", "\n\n\n")));
        assert_ne!(checksum(BASE), checksum(&format!("\n{BASE}")));
    }

    #[test]
    fn hex_digits() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }
}

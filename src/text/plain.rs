//! Messages from the operating system and libraries, in plain words: `No such file or
//! directory`, not `No such file or directory (os error 2)`.
//!
//! Invariant: only drops the error number the OS appends; the words stay as the OS wrote them.

/// `text` without a trailing ` (os error N)`.
pub fn without_os_error(text: &str) -> String {
    let mut out = text.to_owned();
    while let Some(start) = out.find(" (os error ") {
        let end = out[start..]
            .find(')')
            .map_or(out.len(), |at| start + at + 1);
        out.replace_range(start..end, "");
    }
    out
}

/// An I/O error as people read it.
pub fn io_error(error: &std::io::Error) -> String {
    without_os_error(&error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_number_goes() {
        assert_eq!(
            without_os_error("Connection refused (os error 111)"),
            "Connection refused"
        );
        assert_eq!(
            without_os_error("client error (Connect): Connection refused (os error 111)"),
            "client error (Connect): Connection refused"
        );
        assert_eq!(without_os_error("plain"), "plain");
    }
}

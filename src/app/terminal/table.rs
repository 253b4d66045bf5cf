//! The tables of `status` and `status --keys`: a header row, then a row per item, each column
//! padded to its widest cell and two spaces apart, the last column (a state word) coloured.
//!
//! Invariant: the colour is put on after padding, so escape sequences never count towards a
//! width; no line ends in blanks; the cells are shown as given (callers make them printable).

use super::colour::{paint, Colour, Stream};

/// The table of `rows` under `header`; each row's last cell is painted in its colour.
pub fn table<const N: usize>(header: [&str; N], rows: &[([String; N], Colour)]) -> String {
    let header = header.map(String::from);
    let widths: Vec<usize> = (0..N)
        .map(|i| {
            rows.iter()
                .map(|(cells, _)| cells)
                .chain([&header])
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let colours = [None].into_iter().chain(rows.iter().map(|(_, c)| Some(*c)));
    let lines = [&header]
        .into_iter()
        .chain(rows.iter().map(|(cells, _)| cells));
    let mut out = String::new();
    for (row, colour) in lines.zip(colours) {
        let mut cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        if let (Some(colour), Some(last)) = (colour, cells.last_mut()) {
            *last = paint(last.trim_end(), colour, Stream::Stdout);
        }
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_padded_to_the_widest_cell_and_lines_end_without_blanks() {
        let rows = [
            (["mfa".to_owned(), "valid".to_owned()], Colour::Green),
            (["work-mfa".to_owned(), "expired".to_owned()], Colour::Red),
        ];
        // Not a terminal under the test harness: no colour.
        assert_eq!(
            table(["TARGET", "STATE"], &rows),
            "TARGET    STATE\nmfa       valid\nwork-mfa  expired\n"
        );
    }
}

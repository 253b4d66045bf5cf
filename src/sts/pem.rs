//! Certificates read from PEM text quickly, for the trust roots: a system bundle holds some
//! 150 certificates in 220 kB, which rustls-pki-types' constant-time decoder takes 8 million
//! instructions to read, more than the rest of a refresh; the HTTP client reads the text once
//! more that way (it takes PEM only), so the check that the text is safe to hand over must be
//! cheaper than that.
//!
//! Invariant: [`certificates`] returns `Some` only for text in the plain form CA bundles are
//! written in (certificate blocks of canonical base64, text between them), and then exactly the
//! certificates rustls-pki-types' parser finds in it; for anything else it returns `None` and the
//! caller parses the slow, exact way. (The HTTP client panics on PEM its parser rejects.)

const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
const END: &[u8] = b"-----END CERTIFICATE-----";

/// The DER of each certificate in `text`, in order, when `text` is in the plain form.
pub fn certificates(text: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut found = Vec::new();
    let mut block: Option<Base64> = None;
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(end) => (&rest[..end], &rest[end + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match &mut block {
            None if line == BEGIN => block = Some(Base64::default()),
            // Another kind of section, or a marker out of place; rustls-pki-types also ends a
            // line at a lone `\r`.
            None if line.starts_with(b"-----") || memchr::memchr(b'\r', line).is_some() => {
                return None
            }
            None => {}
            Some(_) if line == END => found.push(block.take()?.finish()?),
            Some(decoder) => decoder.push(line)?,
        }
    }
    match block {
        None => Some(found),
        Some(_) => None,
    }
}

/// A strict base64 decoder: the standard alphabet, `=` padding only at the very end.
#[derive(Default)]
struct Base64 {
    der: Vec<u8>,
    bits: u32,
    sextets: u8,
    padding: u8,
}

/// The value of each byte in the standard base64 alphabet; `0xff` for the rest.
const SEXTET: [u8; 256] = {
    let mut table = [0xff; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// [`SEXTET`] shifted into place for each of the four characters of a quad, so that a quad
/// decodes with four lookups and three ORs; bit 24 is set for a byte out of the alphabet.
const QUAD: [[u32; 256]; 4] = {
    let mut tables = [[1 << 24; 256]; 4];
    let mut byte = 0;
    while byte < 256 {
        let value = SEXTET[byte];
        if value < 64 {
            let value = value as u32;
            tables[0][byte] = value << 18;
            tables[1][byte] = value << 12;
            tables[2][byte] = value << 6;
            tables[3][byte] = value;
        }
        byte += 1;
    }
    tables
};

impl Base64 {
    fn push(&mut self, line: &[u8]) -> Option<()> {
        let mut rest = line;
        if self.sextets == 0 && self.padding == 0 {
            // Four characters, three bytes at a time: most of the text.
            self.der.reserve(line.len() / 4 * 3);
            let mut done = 0;
            for quad in line.chunks_exact(4) {
                let bits = QUAD[0][usize::from(quad[0])]
                    | QUAD[1][usize::from(quad[1])]
                    | QUAD[2][usize::from(quad[2])]
                    | QUAD[3][usize::from(quad[3])];
                if bits >> 24 != 0 {
                    break;
                }
                let [_, x, y, z] = bits.to_be_bytes();
                self.der.extend_from_slice(&[x, y, z]);
                done += 1;
            }
            rest = &line[done * 4..];
        }
        for &byte in rest {
            let value = SEXTET[byte as usize];
            if value < 64 && self.padding == 0 {
                self.bits = self.bits << 6 | u32::from(value);
                self.sextets += 1;
                if self.sextets == 4 {
                    let [_, a, b, c] = self.bits.to_be_bytes();
                    self.der.extend_from_slice(&[a, b, c]);
                    self.bits = 0;
                    self.sextets = 0;
                }
            } else if byte == b'=' && self.padding < 2 {
                self.padding += 1;
            } else {
                return None;
            }
        }
        Some(())
    }

    fn finish(mut self) -> Option<Vec<u8>> {
        match (self.sextets, self.padding) {
            (0, 0) => {}
            // 18 bits: two bytes and two spare bits; 12 bits: one byte and four.
            (3, 1) => self
                .der
                .extend_from_slice(&[(self.bits >> 10) as u8, (self.bits >> 2) as u8]),
            (2, 2) => self.der.push((self.bits >> 4) as u8),
            _ => return None,
        }
        Some(self.der)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;

    /// What rustls-pki-types (and so the HTTP client) reads from `text`.
    fn exact(text: &[u8]) -> Result<Vec<Vec<u8>>, rustls_pki_types::pem::Error> {
        CertificateDer::pem_slice_iter(text)
            .map(|cert| cert.map(|c| c.to_vec()))
            .collect()
    }

    fn pem(blocks: &[&[u8]]) -> Vec<u8> {
        let mut text = b"# a bundle\n".to_vec();
        for der in blocks {
            text.extend_from_slice(b"-----BEGIN CERTIFICATE-----\n");
            let encoded = encode(der);
            for line in encoded.as_bytes().chunks(64) {
                text.extend_from_slice(line);
                text.push(b'\n');
            }
            text.extend_from_slice(b"-----END CERTIFICATE-----\n\n");
        }
        text
    }

    fn encode(bytes: &[u8]) -> String {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn plain_bundles_read_as_the_exact_parser_reads_them() {
        let blocks: [&[u8]; 4] = [b"\x30\x82\x01", b"ab", b"abc", b"a certificate, or not"];
        let text = pem(&blocks);
        let fast = certificates(&text).expect("plain form");
        assert_eq!(fast, blocks.map(<[u8]>::to_vec));
        assert_eq!(exact(&text).unwrap(), fast);
        let crlf = String::from_utf8(text).unwrap().replace('\n', "\r\n");
        assert_eq!(certificates(crlf.as_bytes()), Some(fast));
        assert_eq!(certificates(b"no certificate at all\n"), Some(vec![]));
    }

    #[test]
    fn anything_unusual_is_left_to_the_exact_parser() {
        for text in [
            &b"-----BEGIN CERTIFICATE-----\nYWJj\n"[..],
            b"-----BEGIN PRIVATE KEY-----\nYWJj\n-----END PRIVATE KEY-----\n",
            b"-----BEGIN CERTIFICATE-----\nYW Jj\n-----END CERTIFICATE-----\n",
            b"-----BEGIN CERTIFICATE-----\nYWJ\n-----END CERTIFICATE-----\n",
            b"-----BEGIN CERTIFICATE-----\nYQ==YWJj\n-----END CERTIFICATE-----\n",
            b"-----BEGIN CERTIFICATE-----\nYWJj===\n-----END CERTIFICATE-----\n",
            b"text\r-----BEGIN CERTIFICATE-----\nYWJj\n-----END CERTIFICATE-----\n",
        ] {
            assert_eq!(
                certificates(text),
                None,
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    proptest! {
        /// Whatever the fast reader accepts, the exact one reads alike: bundles with bytes
        /// changed, inserted or removed anywhere.
        #[test]
        fn the_fast_reader_never_disagrees_with_the_exact_one(
            ders in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..80), 0..4),
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(&b"AZaz09+/=-\r\n :BEGINDCRTFA"[..])), 0..4),
        ) {
            let blocks: Vec<&[u8]> = ders.iter().map(Vec::as_slice).collect();
            let mut text = pem(&blocks);
            for (at, how, byte) in edits {
                let i = at.index(text.len() + 1);
                match how {
                    0 if i < text.len() => text[i] = byte,
                    1 if i < text.len() => { text.remove(i); }
                    _ => text.insert(i, byte),
                }
            }
            if let Some(fast) = certificates(&text) {
                prop_assert_eq!(exact(&text).ok(), Some(fast));
            }
        }
    }
}

//! HTTP/1.1 by hand, for requests no SDK would send (a POST, a foreign `Host`, a body) and for
//! following a URL the tool printed: one request per connection, the answer read to its end.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// An answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// The first header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body, parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }
}

/// `http://host:port/path?query` split into the authority and the rest.
pub fn split_url(url: &str) -> (&str, &str) {
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, "/"),
    }
}

/// Sends `head` (request line and headers, without the blank line), then `body`, to
/// `authority`; reads the answer until the server closes the connection.
pub fn send(authority: &str, head: &str, body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(authority).unwrap_or_else(|e| panic!("{authority}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(format!("{head}\r\nConnection: close\r\n\r\n").as_bytes())
        .unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// A GET of `url` with its own `Host` and the `headers` given.
pub fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    let (authority, target) = split_url(url);
    let mut head = format!("GET {target} HTTP/1.1\r\nHost: {authority}");
    for (name, value) in headers {
        head.push_str(&format!("\r\n{name}: {value}"));
    }
    send(authority, &head, b"")
}

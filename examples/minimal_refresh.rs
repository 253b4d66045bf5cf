//! The yardstick of `scripts/bench.sh`: the least a refresh has to do, written plainly, with
//! the same TLS library (rustls with ring) mfa-profile uses. It reads the long-term keys from
//! a credentials file, sends one SigV4-signed GetSessionToken POST over TLS (trusting the
//! certificates of one PEM file), and writes the session into the file atomically (temporary
//! file, fsync, rename, fsync of the directory). No checks, no editor, no SDK: a floor to
//! measure mfa-profile against, not a tool. Not shipped.
//!
//! Usage: minimal_refresh HOST PORT CA_PEM_FILE CREDENTIALS_FILE

use ring::{digest, hmac};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use std::io::{Read, Write};
use std::sync::Arc;

const SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [host, port, ca, file] = args.as_slice() else {
        eprintln!("usage: minimal_refresh HOST PORT CA_PEM_FILE CREDENTIALS_FILE");
        std::process::exit(2);
    };
    let credentials = std::fs::read_to_string(file).expect("credentials file");
    let value = |key: &str| {
        credentials
            .lines()
            .find_map(|line| line.strip_prefix(key)?.trim_start().strip_prefix('='))
            .map(str::trim)
            .expect("a key")
    };
    let (akid, secret) = (value("aws_access_key_id"), value("aws_secret_access_key"));
    let answer = get_session_token(host, port, ca, akid, secret);
    let field = |name: &str| {
        let start = answer.find(&format!("<{name}>")).expect("a field") + name.len() + 2;
        let end = answer[start..].find('<').expect("its end") + start;
        answer[start..end].to_owned()
    };
    let section = format!(
        "\n[mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\nexpiration = {}\n",
        field("AccessKeyId"),
        field("SecretAccessKey"),
        field("SessionToken"),
        field("Expiration")
    );
    let end = credentials.find("\n[mfa]").unwrap_or(credentials.len());
    write_atomically(file, &[&credentials.as_bytes()[..end], section.as_bytes()]);
}

/// One signed POST; the body of the answer.
fn get_session_token(host: &str, port: &str, ca: &str, akid: &str, secret: &str) -> String {
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(ca).expect("CA file");
    roots.add_parsable_certificates(CertificateDer::pem_slice_iter(&pem).map(|c| c.expect("PEM")));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned()).expect("a server name");
    let connection = rustls::ClientConnection::new(Arc::new(config), name).expect("TLS");
    let tcp = std::net::TcpStream::connect(format!("{host}:{port}")).expect("connect");
    let mut tls = rustls::StreamOwned::new(connection, tcp);

    let body = format!(
        "Action=GetSessionToken&Version=2011-06-15&SerialNumber={}&TokenCode=123456&DurationSeconds=43200",
        SERIAL.replace(':', "%3A").replace('/', "%2F")
    );
    let (date, time) = amz_date();
    let host_header = format!("{host}:{port}");
    let content_type = "application/x-www-form-urlencoded";
    let canonical = format!(
        "POST\n/\n\ncontent-type:{content_type}\nhost:{host_header}\nx-amz-date:{date}T{time}Z\n\ncontent-type;host;x-amz-date\n{}",
        hex(digest::digest(&digest::SHA256, body.as_bytes()).as_ref())
    );
    let scope = format!("{date}/us-east-1/sts/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{date}T{time}Z\n{scope}\n{}",
        hex(digest::digest(&digest::SHA256, canonical.as_bytes()).as_ref())
    );
    let mut key = format!("AWS4{secret}").into_bytes();
    for part in [date.as_str(), "us-east-1", "sts", "aws4_request"] {
        key = sign(&key, part.as_bytes());
    }
    let signature = hex(&sign(&key, to_sign.as_bytes()));
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {host_header}\r\nContent-Type: {content_type}\r\nX-Amz-Date: {date}T{time}Z\r\n\
Authorization: AWS4-HMAC-SHA256 Credential={akid}/{scope}, SignedHeaders=content-type;host;x-amz-date, Signature={signature}\r\n\
Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(request.as_bytes()).expect("send");
    let mut answer = Vec::new();
    // A server that closes without close_notify ends the read with an error; the body is in.
    let _ = tls.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn sign(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
        .as_ref()
        .to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `("20261123", "020000")` for now, in UTC.
fn amz_date() -> (String, String) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}{month:02}{day:02}"),
        format!("{:02}{:02}{:02}", rest / 3600, rest / 60 % 60, rest % 60),
    )
}

/// Temporary file beside `path`, the parts written, fsync, rename over `path`, fsync of the
/// directory.
fn write_atomically(path: &str, parts: &[&[u8]]) {
    let path = std::path::Path::new(path);
    let dir = path.parent().expect("a directory");
    let temp = dir.join(format!(".minimal-refresh-{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&temp).expect("temporary file");
    for part in parts {
        file.write_all(part).expect("write");
    }
    file.sync_all().expect("fsync");
    std::fs::rename(&temp, path).expect("rename");
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .expect("fsync of the directory");
}

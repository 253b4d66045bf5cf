//! Where the endpoint listens: an IP address (127.0.0.1 unless `--listen` names another) and a
//! port (a free one unless named).
//!
//! Invariant: the address is one the endpoint can name in the URL it hands out and check in
//! every request's `Host`: an IP address, never a host name, never the unspecified address
//! (0.0.0.0, ::), which listens on every interface under no one name.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

/// The addresses besides loopback that the SDKs accept over plain http in
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` (ECS's task metadata address and EKS Pod Identity's):
/// botocore's `ContainerMetadataFetcher`, aws-config's `ecs` provider and the JavaScript SDK's
/// `fromHttp` refuse any other plain-http host.
pub const SDK_PLAIN_HTTP_HOSTS: [IpAddr; 3] = [
    IpAddr::V4(Ipv4Addr::new(169, 254, 170, 2)),
    IpAddr::V4(Ipv4Addr::new(169, 254, 170, 23)),
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23)),
];

/// An address to listen on; port 0 is a free port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListenAddr(SocketAddr);

/// `--listen` that names no usable address.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ListenError {
    /// Not `IP`, `IP:PORT` or `[IPv6]:PORT`.
    #[error("`{0}` is not an IP address, optionally with :PORT (e.g. 127.0.0.1:9911, [::1]:9911, 172.17.0.1)")]
    Malformed(String),
    /// 0.0.0.0 or `::`.
    #[error("`{0}` is every interface at once; name the one address to listen on (e.g. the container bridge's, 172.17.0.1), which every request's Host must then name")]
    Unspecified(String),
}

impl Default for ListenAddr {
    fn default() -> ListenAddr {
        ListenAddr(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0))
    }
}

impl FromStr for ListenAddr {
    type Err = ListenError;

    fn from_str(text: &str) -> Result<ListenAddr, ListenError> {
        let address = text
            .parse::<SocketAddr>()
            .or_else(|_| text.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 0)))
            .map_err(|_| ListenError::Malformed(text.chars().take(64).collect()))?;
        if address.ip().is_unspecified() {
            return Err(ListenError::Unspecified(text.to_owned()));
        }
        Ok(ListenAddr(address))
    }
}

impl ListenAddr {
    /// The address and port to bind.
    pub fn socket_addr(self) -> SocketAddr {
        self.0
    }

    /// Whether only this machine can reach it.
    pub fn is_loopback(self) -> bool {
        self.0.ip().is_loopback()
    }

    /// Whether the SDKs take a plain-http URL of this address: loopback, or one of
    /// [`SDK_PLAIN_HTTP_HOSTS`].
    pub fn sdks_take_plain_http(self) -> bool {
        self.is_loopback() || SDK_PLAIN_HTTP_HOSTS.contains(&self.0.ip())
    }
}

/// The authority (`Host`) of a bound address: `127.0.0.1:PORT`, `[::1]:PORT`.
pub fn authority(bound: SocketAddr) -> String {
    bound.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_with_and_without_a_port() {
        let parse = |s: &str| s.parse::<ListenAddr>().map(ListenAddr::socket_addr);
        assert_eq!(parse("127.0.0.1:9911").unwrap().port(), 9911);
        assert_eq!(parse("127.0.0.1").unwrap().port(), 0);
        assert_eq!(parse("[::1]:80").unwrap().to_string(), "[::1]:80");
        assert_eq!(parse("::1").unwrap().to_string(), "[::1]:0");
        assert!(matches!(
            parse("localhost:80"),
            Err(ListenError::Malformed(_))
        ));
        assert!(matches!(
            parse("0.0.0.0:80"),
            Err(ListenError::Unspecified(_))
        ));
        assert!(matches!(parse("[::]:80"), Err(ListenError::Unspecified(_))));
        assert_eq!(
            ListenAddr::default().socket_addr().to_string(),
            "127.0.0.1:0"
        );
    }

    #[test]
    fn the_sdks_take_plain_http_from_loopback_and_the_container_addresses() {
        let take = |s: &str| s.parse::<ListenAddr>().unwrap().sdks_take_plain_http();
        assert!(take("127.0.0.1"));
        assert!(take("127.1.2.3"));
        assert!(take("::1"));
        assert!(take("169.254.170.2:80"));
        assert!(take("169.254.170.23"));
        assert!(take("fd00:ec2::23"));
        assert!(!take("172.17.0.1"));
        assert!(!take("192.168.1.10"));
        assert!("172.17.0.1".parse::<ListenAddr>().is_ok());
        assert!(!"172.17.0.1".parse::<ListenAddr>().unwrap().is_loopback());
        assert_eq!(authority("[::1]:8080".parse().unwrap()), "[::1]:8080");
    }
}

//! Free loopback ports for servers started by tests.
//!
//! Tests run in parallel, so no port may be hard-coded. The kernel hands out an unused
//! ephemeral port when binding port 0; the listener is dropped at once, which leaves a small
//! window in which another process may take the port. Callers that bind it later must
//! therefore be ready to retry with a new port (as [`crate::Mosquitto`] does).

use std::net::{Ipv4Addr, TcpListener};

/// A loopback TCP port that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0 to find a free port: {e}"));
    listener
        .local_addr()
        .expect("local address of a bound listener")
        .port()
}

/// `n` distinct free ports; two calls to [`free_port`] may return the same port once the
/// first listener is gone, so all listeners are held until every port is known.
pub fn free_ports<const N: usize>() -> [u16; N] {
    let listeners: Vec<TcpListener> = (0..N)
        .map(|_| {
            TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0 to find a free port: {e}"))
        })
        .collect();
    std::array::from_fn(|i| {
        listeners[i]
            .local_addr()
            .expect("local address of a bound listener")
            .port()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_nonzero_and_distinct() {
        assert_ne!(free_port(), 0);
        let [a, b, c] = free_ports::<3>();
        assert!(a != b && b != c && a != c);
    }
}

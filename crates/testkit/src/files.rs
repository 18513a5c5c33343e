//! What every broker guard needs of the file system, and a handshake for their own tests.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// A new directory under the system temp dir, unique across processes and threads.
pub(crate) fn unique_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir =
        std::env::temp_dir().join(format!("testkit-{name}-{}-{n}-{nanos}", std::process::id()));
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// A log as text, whatever bytes a broker wrote into it (and empty if it wrote none yet).
pub(crate) fn read_lossy(path: &Path) -> String {
    let mut bytes = Vec::new();
    if let Ok(mut f) = File::open(path) {
        let _ = f.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// MQTT 3.1.1 CONNECT (clean session, keepalive 60, client id "t"), then CONNACK accepted.
#[cfg(test)]
pub(crate) fn connects(port: u16) -> bool {
    use std::net::{Ipv4Addr, TcpStream};
    use std::time::Duration;
    let Ok(mut s) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    mqtt_handshake(&mut s)
}

/// [`connects`] over a stream already open (TLS, say).
#[cfg(test)]
pub(crate) fn mqtt_handshake(s: &mut (impl Read + std::io::Write)) -> bool {
    let connect = [
        0x10, 13, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60, 0, 1, b't',
    ];
    s.write_all(&connect).unwrap();
    let mut connack = [0u8; 4];
    s.read_exact(&mut connack).is_ok() && connack == [0x20, 2, 0, 0]
}

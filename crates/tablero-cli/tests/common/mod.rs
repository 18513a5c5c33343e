//! Running the `tablero` binary (and mosquitto's clients) from tests: spawn, watch its
//! output line by line, wait with a timeout, and never leave a process behind.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const TABLERO: &str = env!("CARGO_BIN_EXE_tablero");

/// Generous, because the machine is shared: a timeout only fires when something is broken.
pub const T: Duration = Duration::from_secs(20);

pub struct Output {
    pub code: Option<i32>,
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
}

impl Output {
    pub fn stderr_text(&self) -> String {
        self.stderr.join("\n")
    }
}

/// A child process whose stdout and stderr are read by threads into channels.
pub struct Running {
    pub child: Child,
    what: String,
    out: Receiver<String>,
    err: Receiver<String>,
    out_seen: Arc<Mutex<Vec<String>>>,
    err_seen: Arc<Mutex<Vec<String>>>,
}

fn pump(stream: impl Read + Send + 'static) -> (Receiver<String>, Arc<Mutex<Vec<String>>>) {
    let (tx, rx) = channel();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = Arc::clone(&seen);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            seen2.lock().unwrap().push(line.clone());
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (rx, seen)
}

pub fn spawn_program(program: &str, args: &[&str]) -> Running {
    spawn_with_stdin(program, args, Stdio::null())
}

pub fn spawn_with_stdin(program: &str, args: &[&str], stdin: Stdio) -> Running {
    let mut child = Command::new(program)
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let (out, out_seen) = pump(child.stdout.take().unwrap());
    let (err, err_seen) = pump(child.stderr.take().unwrap());
    Running {
        child,
        what: format!("{program} {}", args.join(" ")),
        out,
        err,
        out_seen,
        err_seen,
    }
}

pub fn spawn(args: &[&str]) -> Running {
    spawn_program(TABLERO, args)
}

/// `tablero sub ... -d`, returned once the broker has acknowledged the subscription, so a
/// publish that follows cannot race it.
pub fn sub_ready(args: &[&str]) -> Running {
    let mut a = args.to_vec();
    a.push("-d");
    let mut r = spawn(&a);
    r.wait_stderr("received SUBACK");
    r
}

pub fn run(args: &[&str]) -> Output {
    spawn(args).wait()
}

pub fn run_program(program: &str, args: &[&str]) -> Output {
    spawn_program(program, args).wait()
}

impl Running {
    /// Waits for a stderr line containing `needle`; panics with everything seen if none.
    pub fn wait_stderr(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + T;
        loop {
            match self
                .err
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!(
                    "{}: no stderr line with {needle:?}; stderr so far:\n{}",
                    self.what,
                    self.err_seen.lock().unwrap().join("\n")
                ),
            }
        }
    }

    /// The next stdout line, or None if the process closed stdout or `timeout` passed.
    pub fn line(&mut self, timeout: Duration) -> Option<String> {
        self.out.recv_timeout(timeout).ok()
    }

    /// Waits for a stdout line satisfying `pred`.
    pub fn line_where(&mut self, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + T;
        loop {
            match self
                .out
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) if pred(&line) => return line,
                Ok(_) => {}
                Err(_) => panic!(
                    "{}: no matching stdout line; stdout so far:\n{}\nstderr:\n{}",
                    self.what,
                    self.out_seen.lock().unwrap().join("\n"),
                    self.err_seen.lock().unwrap().join("\n")
                ),
            }
        }
    }

    pub fn stderr_so_far(&self) -> String {
        self.err_seen.lock().unwrap().join("\n")
    }

    /// Waits for the exit (killing it after [`T`]) and collects all output.
    pub fn wait(mut self) -> Output {
        let deadline = Instant::now() + T;
        let code = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "{} did not exit within {T:?}; stdout:\n{}\nstderr:\n{}",
                    self.what,
                    self.out_seen.lock().unwrap().join("\n"),
                    self.err_seen.lock().unwrap().join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        // Let the reader threads reach end of file.
        let drain = |rx: &Receiver<String>| {
            while rx.recv_timeout(Duration::from_secs(2)).is_ok() {}
        };
        drain(&self.out);
        drain(&self.err);
        Output {
            code,
            stdout: self.out_seen.lock().unwrap().clone(),
            stderr: self.err_seen.lock().unwrap().clone(),
        }
    }

    /// SIGKILL: no DISCONNECT, so the broker publishes the will.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A topic no other test uses.
pub fn unique(name: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "tt/{}/{name}/{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

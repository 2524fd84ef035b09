//! A running `bantin serve` for tests, and a plain HTTP/1.1 client that sends
//! request paths exactly as written (no normalising of `..`).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a change may take to show before a test fails (generous: the
/// machine is shared; the tests print what they measured).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// `bantin serve --port 0` on a site; stopped (SIGTERM, then kill) when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// The private folder the server builds into.
    pub private: PathBuf,
    output: Arc<Mutex<String>>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// `bantin serve --port 0` with more arguments.
    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        Server::start_with_env(root, args, &[])
    }

    /// `bantin serve --port 0` with more arguments and environment variables
    /// (`SOURCE_DATE_EPOCH`, for a site whose pages follow the build's date).
    pub fn start_with_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::spawn(root, args, env, "watching site.yaml")
    }

    /// `bantin serve --port 0`, as soon as it says where it serves: it
    /// watches the site's files then, and its first build is under way.
    pub fn start_building(root: &Path) -> Server {
        Server::spawn(root, &[], &[], "preview files: ")
    }

    /// `bantin serve --port 0`, once it printed `ready`.
    fn spawn(root: &Path, args: &[&str], env: &[(&str, &str)], ready: &str) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("bantin"))
            .envs(env.iter().copied())
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bantin serve starts");
        let output = Arc::new(Mutex::new(String::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines() {
                    let Ok(line) = line else { break };
                    let mut all = output.lock().unwrap();
                    all.push_str(&line);
                    all.push('\n');
                }
            });
        }
        let mut server = Server {
            child,
            addr: "127.0.0.1:0".parse().unwrap(),
            private: PathBuf::new(),
            output,
        };
        let started = Instant::now();
        loop {
            let text = server.output();
            if text.contains(ready) {
                let after = |prefix: &str| {
                    text.lines()
                        .find_map(|l| l.strip_prefix(prefix))
                        .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{text}"))
                        .to_string()
                };
                let url = after("serving the site at http://");
                server.addr = url.trim_end_matches('/').parse().unwrap();
                server.private = PathBuf::from(after("preview files: "));
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("bantin serve exited ({status}):\n{text}");
            }
            assert!(
                started.elapsed() < PATIENCE,
                "bantin serve did not start:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The most memory the server has held so far (VmHWM), in bytes.
    pub fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no VmHWM in {status}"));
        kb * 1024
    }

    /// Everything the server printed so far, stdout and stderr.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    pub fn origin(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn get(&self, path: &str) -> Answer {
        request(self.addr, "GET", path)
    }

    /// A file of the private folder, as text.
    pub fn private_file(&self, rel: &str) -> String {
        std::fs::read_to_string(self.private.join(rel)).unwrap()
    }

    /// Polls `path` until `ok` holds for its text; returns it.
    pub fn wait_for_page(&self, path: &str, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let page = self.get(path).text();
            if ok(&page) {
                return page;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{path} never became as expected; the server said:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// How many rebuilds the server has reported.
    pub fn rebuilds(&self) -> usize {
        self.output()
            .lines()
            .filter(|l| l.starts_with("rebuilt "))
            .count()
    }

    /// Polls `ok` until it holds.
    pub fn wait_until(&self, what: &str, ok: impl Fn() -> bool) {
        let started = Instant::now();
        while !ok() {
            assert!(
                started.elapsed() < PATIENCE,
                "timed out waiting until {what}; the server said:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Polls `/__bantin/status` until it says `ok`; returns it.
    pub fn wait_for_status(&self, ok: bool) -> serde_json::Value {
        let started = Instant::now();
        loop {
            let status = self.get("/__bantin/status").json();
            if status["ok"] == ok {
                return status;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "the status never became ok={ok}; the server said:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Polls the private folder until `ok` holds for its files.
    pub fn wait_for_private(&self, ok: impl Fn(&BTreeMap<String, Vec<u8>>) -> bool) {
        let started = Instant::now();
        while !ok(&crate::common::tree(&self.private)) {
            assert!(
                started.elapsed() < PATIENCE,
                "the preview files never became as expected; the server said:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM first, so the server removes its private folder.
        // SAFETY: kill(2) with the pid of our own child process.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server's event stream, read raw (chunked framing and all).
pub struct EventStream {
    stream: TcpStream,
    seen: String,
}

impl EventStream {
    pub fn open(addr: SocketAddr) -> EventStream {
        let mut stream = TcpStream::connect(addr).expect("the server accepts connections");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        write!(
            stream,
            "GET /__bantin/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        EventStream {
            stream,
            seen: String::new(),
        }
    }

    /// Reads until an event named `name` arrives; returns what came with it
    /// (up to the next blank line). Events read past are dropped.
    pub fn wait_for(&mut self, name: &str) -> String {
        let marker = format!("event: {name}\n");
        let started = Instant::now();
        loop {
            if let Some(at) = self.seen.find(&marker) {
                let rest = &self.seen[at..];
                if let Some(end) = rest.find("\n\n") {
                    let event = rest[..end].to_string();
                    self.seen = rest[end..].to_string();
                    return event;
                }
            }
            assert!(
                started.elapsed() < PATIENCE,
                "no `{name}` event; the stream said:\n{}",
                self.seen
            );
            let mut buf = [0; 4096];
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("the event stream ended:\n{}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {} // timed out: read again
            }
        }
    }
}

/// An HTTP answer: status, headers (names in lower case), body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// `METHOD path` over a fresh connection, the path sent exactly as given.
pub fn request(addr: SocketAddr, method: &str, path: &str) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("the server accepts connections");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = unchunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn unchunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return body;
        };
        let size_text = String::from_utf8_lossy(&raw[..end]);
        let size =
            usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
}

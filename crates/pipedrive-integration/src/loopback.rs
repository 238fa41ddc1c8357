//! A minimal HTTP/1.1 server on 127.0.0.1, for measuring the client rather than a mock server.
//!
//! It reads each request up to the blank line that ends its head (skipping a `Content-Length`
//! body, if any), asks a handler for the response body by request target (path and query), and
//! answers `200` with that JSON body and its `Content-Length`, or `404`, keeping the connection
//! alive. It does no matching, recording or logging, so its cost per request is a few string
//! operations, unlike wiremock's. It runs on its own thread and tokio runtime, so a benchmark that
//! drives the client on another runtime measures only the client; dropping the [`Server`] stops it.
//! Used by `benches/client_overhead.rs`, `tests/memory.rs` and `examples/stream_memory.rs`.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread::JoinHandle;

use pipedrive::runtime::Bytes;
use pipedrive::runtime::bytes::Buf;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Request heads longer than this are refused (the connection is closed).
const MAX_HEAD: usize = 64 * 1024;

/// Answers a request target (`/api/v2/stages?limit=100`) with a JSON body, or `None` for a 404.
type Handler = dyn Fn(&str) -> Option<Bytes> + Send + Sync;

/// A running server; dropping it stops the server and joins its thread.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `127.0.0.1` on a free port and serves every request with `handler`.
    ///
    /// # Errors
    /// Binding the socket, building the runtime or spawning the thread failed.
    pub fn start(handler: impl Fn(&str) -> Option<Bytes> + Send + Sync + 'static) -> io::Result<Self> {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build()?;
        let listener = {
            let _context = runtime.enter();
            TcpListener::from_std(listener)?
        };
        let handler: Arc<Handler> = Arc::new(handler);
        let (shutdown, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("loopback-http".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        _ = stopped => {}
                        () = accept(listener, handler) => {}
                    }
                });
            })?;
        Ok(Self {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:{port}`, for `Config::base_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // An error means the server already stopped.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections until the listener fails, serving each on its own task.
async fn accept(listener: TcpListener, handler: Arc<Handler>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                // Head and body go out in one vectored write, but without Nagle a small write can
                // never wait for a delayed ACK.
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, Arc::clone(&handler)));
            }
            Err(err) => {
                eprintln!("loopback server: accept failed, stopping: {err}");
                return;
            }
        }
    }
}

/// Serves requests on one keep-alive connection until the client closes it or sends garbage.
async fn serve(mut stream: TcpStream, handler: Arc<Handler>) {
    let mut buffer: Vec<u8> = Vec::with_capacity(4096);
    loop {
        let head_end = loop {
            if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                break at + 4;
            }
            if buffer.len() > MAX_HEAD {
                return;
            }
            match stream.read_buf(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        };
        let Some((target, body_length)) = buffer.get(..head_end).and_then(parse_head) else {
            return;
        };
        let request_end = head_end.saturating_add(body_length);
        while buffer.len() < request_end {
            match stream.read_buf(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
        let response = handler(&target);
        buffer.drain(..request_end);

        let (status, body) = match response {
            Some(body) => ("200 OK", body),
            None => (
                "404 Not Found",
                Bytes::from_static(br#"{"success":false,"error":"Not found"}"#),
            ),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        let mut out = Bytes::from(head).chain(body);
        if stream.write_all_buf(&mut out).await.is_err() {
            return;
        }
    }
}

/// The request target and the `Content-Length` of the body (0 without one) from a request head.
fn parse_head(head: &[u8]) -> Option<(String, usize)> {
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let _method = request_line.next()?;
    let target = request_line.next()?.to_owned();
    let mut body_length = 0;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                body_length = value.trim().parse().ok()?;
            }
        }
    }
    Some((target, body_length))
}

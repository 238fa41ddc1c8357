//! A loopback HTTP/1.1 server that answers with whatever bytes a test writes, for answers no
//! well-behaved server library would send: endless or stalling bodies, tokens in odd headers.
//!
//! Every connection reads the request head, then hands the socket to the test's handler. The
//! accept loop ends when the server is dropped, so nothing outlives its test.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A running raw server; stops accepting when dropped.
pub struct RawServer {
    pub address: SocketAddr,
    accept: JoinHandle<()>,
}

impl RawServer {
    /// `http://127.0.0.1:port`
    pub fn uri(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Serves every connection with `handler(socket, request_head)`.
pub async fn serve<F, Fut>(handler: F) -> RawServer
where
    F: Fn(TcpStream, String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let address = listener.local_addr().unwrap();
    let handler = Arc::new(handler);
    let accept = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let handler = Arc::clone(&handler);
            tokio::spawn(async move {
                let head = read_head(&mut socket).await;
                handler(socket, head).await;
            });
        }
    });
    RawServer { address, accept }
}

/// Reads up to the blank line that ends a request head (the client's requests here have no body).
async fn read_head(socket: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Writes `text`, ignoring a client that has gone.
pub async fn write(socket: &mut TcpStream, text: &[u8]) -> bool {
    socket.write_all(text).await.is_ok()
}

/// Writes a whole response with `status` (e.g. `"200 OK"`), extra header lines and a body.
pub async fn respond(socket: &mut TcpStream, status: &str, headers: &[&str], body: &str) {
    let mut response = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
    for header in headers {
        response.push_str(header);
        response.push_str("\r\n");
    }
    response.push_str("\r\n");
    response.push_str(body);
    write(socket, response.as_bytes()).await;
}

/// Writes a chunked 200 response whose body never ends (or ends after `limit` bytes): pieces of
/// 64 KiB of JSON-ish text until the client hangs up. Returns the bytes of body written.
pub async fn endless_chunked_body(socket: &mut TcpStream, limit: usize) -> usize {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    if !write(socket, head.as_bytes()).await {
        return 0;
    }
    let piece = vec![b' '; 64 * 1024];
    let mut frame = format!("{:x}\r\n", piece.len()).into_bytes();
    frame.extend_from_slice(&piece);
    frame.extend_from_slice(b"\r\n");
    let mut written = 0;
    while written < limit {
        if !write(socket, &frame).await {
            break;
        }
        written += piece.len();
    }
    let _ = write(socket, b"0\r\n\r\n").await;
    written
}

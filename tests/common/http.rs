//! One HTTP/1.1 request read off a socket by the tests' little token
//! servers: the head, then `Content-Length` bytes of body, bounded.

use std::io::Read;

/// The most a test server reads of one request.
pub const MAX_REQUEST: usize = 65_536;

/// Reads one request (head and `Content-Length` body) byte by byte, so
/// nothing past it is consumed. `None` when the peer closed, the read
/// failed (set a read timeout on the socket first) or the request passed
/// [`MAX_REQUEST`] before it was whole.
pub fn read_request(conn: &mut impl Read) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while buf.len() < MAX_REQUEST {
        if conn.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
        if let Some(end) = head_end(&buf)
            && buf.len() >= end + content_length(&buf[..end])
        {
            return Some(buf);
        }
    }
    None
}

/// The body of a whole request from [`read_request`].
pub fn body(request: &[u8]) -> &[u8] {
    head_end(request).map_or(&[], |end| &request[end..])
}

/// Where the body starts: just past the blank line ending the head.
fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4)
}

/// The head's `Content-Length` (0 when absent or unreadable).
fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0)
}

//! Small pieces of wording that messages across the crate share: delays and counts in words.
//!
//! A leaf module, so that `auth`, `failure`, `oauth` and `pagination` can word their messages
//! alike without depending on each other.

use std::time::Duration;

/// "2 s", or "350 ms" below one second; rounds up so "resets in 0 s" never appears.
pub(crate) fn format_delay(delay: Duration) -> String {
    if delay < Duration::from_secs(1) {
        return format!("{} ms", delay.as_millis());
    }
    let secs = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
    format!("{secs} s")
}

/// "1 attempt", "3 attempts".
pub(crate) fn plural(count: u32, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// "64 MiB", "8 KiB", "300 bytes": a byte limit as a person would set it.
pub(crate) fn format_bytes(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes % KIB == 0 {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_read_naturally() {
        assert_eq!(format_delay(Duration::from_millis(350)), "350 ms");
        assert_eq!(format_delay(Duration::from_secs(2)), "2 s");
        assert_eq!(format_delay(Duration::from_millis(1200)), "2 s");
    }

    #[test]
    fn sizes_and_counts_read_naturally() {
        assert_eq!(format_bytes(64 * 1024 * 1024), "64 MiB");
        assert_eq!(format_bytes(8 * 1024), "8 KiB");
        assert_eq!(format_bytes(1000), "1000 bytes");
        assert_eq!(plural(1, "page"), "1 page");
        assert_eq!(plural(3, "page"), "3 pages");
    }
}

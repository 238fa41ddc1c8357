//! How a page stream tells that a server's pagination goes nowhere: a cursor it handed out
//! before ([`CursorCycle`]), or page after page that brings no new items ([`PageProgress`]).
//!
//! Both keep constant memory, whatever the length of the list, and cost a comparison or two per
//! page: a long honest list is never held back by them.

use std::collections::VecDeque;

use crate::decode::Fingerprint;

/// How many pages in a row may bring no new items (empty, or the same items as one of the
/// pages just before) before the stream ends with an error. Items hidden from the user can
/// empty a few pages of a v1 list in a row; a server that repeats itself costs this many pages.
pub(crate) const MAX_PAGES_WITHOUT_NEW_ITEMS: u32 = 10;

/// How many of the latest pages a page is compared with: catches a server that serves one page,
/// or a short cycle of pages, over and over with fresh cursors or offsets.
const RECENT_PAGES: usize = 4;

/// Brent's cycle detection over the cursors a stream is handed, in constant memory: one saved
/// cursor, replaced by the newest after 1, 2, 4, 8, … further cursors. A cycle of any length is
/// caught within about twice its length once it begins, so a server that cycles costs a bounded
/// number of extra pages, and a long honest list costs one comparison per page.
pub(crate) struct CursorCycle {
    saved: Option<String>,
    steps: u64,
    power: u64,
}

impl CursorCycle {
    pub(crate) fn starting_at(first: Option<String>) -> Self {
        CursorCycle {
            saved: first,
            steps: 0,
            power: 1,
        }
    }

    /// Whether `next` is the saved cursor; if not, counts it (and saves it at a power of two).
    pub(crate) fn repeats(&mut self, next: &str) -> bool {
        if self.saved.as_deref() == Some(next) {
            return true;
        }
        self.steps += 1;
        if self.steps == self.power {
            self.saved = Some(next.to_owned());
            self.steps = 0;
            self.power = self.power.saturating_mul(2);
        }
        false
    }
}

/// Counts the pages in a row that brought no new items.
#[derive(Default)]
pub(crate) struct PageProgress {
    recent: VecDeque<Fingerprint>,
    idle: u32,
}

impl PageProgress {
    /// Records a page of `count` items with `fingerprint`; returns how many pages in a row,
    /// this one included, brought no new items (0 if this one did).
    pub(crate) fn observe(&mut self, count: usize, fingerprint: Fingerprint) -> u32 {
        let repeated = self.recent.contains(&fingerprint);
        if count == 0 || repeated {
            self.idle = self.idle.saturating_add(1);
        } else {
            self.idle = 0;
        }
        if count > 0 && !repeated {
            if self.recent.len() == RECENT_PAGES {
                self.recent.pop_front();
            }
            self.recent.push_back(fingerprint);
        }
        self.idle
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::fingerprint;

    fn page(data: &str) -> Fingerprint {
        fingerprint(format!(r#"{{"success":true,"data":{data}}}"#).as_bytes())
    }

    #[test]
    fn empty_pages_and_pages_seen_lately_are_idle_and_new_items_reset_the_count() {
        let mut progress = PageProgress::default();
        assert_eq!(progress.observe(2, page("[1,2]")), 0);
        assert_eq!(progress.observe(0, page("[]")), 1);
        assert_eq!(progress.observe(2, page("[1,2]")), 2, "the same items again");
        assert_eq!(progress.observe(2, page("[3,4]")), 0);
        // A cycle of two pages is as idle as one page served again.
        assert_eq!(progress.observe(2, page("[1,2]")), 1);
        assert_eq!(progress.observe(2, page("[3,4]")), 2);
        assert_eq!(progress.observe(2, page("[1,2]")), 3);
    }

    #[test]
    fn a_long_list_of_new_pages_is_never_idle() {
        let mut progress = PageProgress::default();
        for n in 0..1_000 {
            assert_eq!(progress.observe(1, page(&format!("[{n}]"))), 0);
        }
    }
}

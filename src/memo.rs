//! Remembering the results of pure parses across the messages of a batch.
//!
//! Thousands of messages usually share a handful of key records, and each
//! one would otherwise be decoded again per message (base64, DER, every
//! tag), once by our trace and once for mail-auth. A memo maps the exact
//! input bytes to the parse result, per thread, so no lock is taken; it is
//! emptied when it reaches [`LIMIT`] entries and inputs over [`MAX_INPUT`]
//! bytes are parsed without being kept, so hostile input cannot make it
//! large. Because the key is the whole input and the parse is a
//! pure function of it, a memoized answer is the answer a fresh parse
//! would give.

use std::cell::RefCell;
use std::collections::HashMap;
use std::thread::LocalKey;

/// Entries a memo holds before it starts afresh.
pub const LIMIT: usize = 256;

/// Inputs longer than this are parsed every time, never kept (a key
/// record of an 8192-bit RSA key is about 1.5 KB).
pub const MAX_INPUT: usize = 4096;

pub type Memo<V> = RefCell<HashMap<Vec<u8>, V>>;

/// `parse(input)`, from the memo when `input` was seen before.
pub fn cached<V: Clone + 'static>(
    memo: &'static LocalKey<Memo<V>>,
    input: &[u8],
    parse: impl FnOnce(&[u8]) -> V,
) -> V {
    if input.len() > MAX_INPUT {
        return parse(input);
    }
    if let Some(v) = memo.with(|m| m.borrow().get(input).cloned()) {
        return v;
    }
    let v = parse(input);
    memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= LIMIT {
            m.clear();
        }
        m.insert(input.to_vec(), v.clone());
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SQUARES: Memo<(u64, u32)> = RefCell::new(HashMap::new());
    }

    #[test]
    fn parses_once_per_input_and_stays_bounded() {
        let calls = std::cell::Cell::new(0u32);
        let square = |b: &[u8]| {
            calls.set(calls.get() + 1);
            let n = u64::from(b[0]);
            (n * n, calls.get())
        };
        assert_eq!(cached(&SQUARES, &[3], square), (9, 1));
        // Seen before: the remembered value, no second parse.
        assert_eq!(cached(&SQUARES, &[3], square), (9, 1));
        assert_eq!(calls.get(), 1);
        for i in 0..=LIMIT {
            cached(&SQUARES, &(i as u16).to_be_bytes(), |b| {
                (u64::from(b[1]), 0)
            });
        }
        assert!(SQUARES.with(|m| m.borrow().len()) <= LIMIT);
        // Emptied on the way: 3 is parsed afresh, with the same result.
        assert_eq!(cached(&SQUARES, &[3], square).0, 9);
        assert_eq!(calls.get(), 2);
        // Too long to keep: parsed each time, the memo left as it was.
        let long = vec![5u8; MAX_INPUT + 1];
        let before = SQUARES.with(|m| m.borrow().len());
        assert_eq!(cached(&SQUARES, &long, square).0, 25);
        assert_eq!(cached(&SQUARES, &long, square).0, 25);
        assert_eq!(calls.get(), 4);
        assert_eq!(SQUARES.with(|m| m.borrow().len()), before);
    }
}

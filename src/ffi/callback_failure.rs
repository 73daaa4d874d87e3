//! Whether the signature being made on this thread failed in a C signer
//! callback (a leaf): the callback signer (`callback.rs`) records it, the
//! result mapping (`result.rs`) reports `Error::Signing` as
//! `CALLBACK_FAILED` then, through every path that takes a key handle.

std::thread_local! {
    /// Set by a failing callback; reset by every key-handle signature.
    static FAILED: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// Whether the failed signature on this thread was a C callback's.
pub(crate) fn happened() -> bool {
    FAILED.with(core::cell::Cell::get)
}

/// Records whether the signature now being made on this thread failed in
/// a callback (`false` at the start of every key-handle signature).
pub(crate) fn set(failed: bool) {
    FAILED.with(|f| f.set(failed));
}

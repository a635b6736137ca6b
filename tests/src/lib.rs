//! connkit's test crate: trybuild cases live in `ui/pass` and `ui/fail`, driven by
//! `tests/ui.rs`.

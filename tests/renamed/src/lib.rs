//! connkit under another name (`toolkit`): its trybuild cases check that `crate = ::toolkit` is
//! all the macros need, and that a wrong path is one error, at the path.

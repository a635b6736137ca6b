//! Compile-time checks: every file in `ui/fail` must fail to compile with exactly the errors in
//! its `.stderr`; every file in `ui/pass` must compile and run.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}

//! Every file in `ui/pass` compiles and runs with connkit renamed to `toolkit`; every file in
//! `ui/fail` fails with exactly the errors in its `.stderr`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}

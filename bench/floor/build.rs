//! Links the floor as the functions are linked (their build.rs): non-PIE, so that the
//! benchmark compares like with like.
fn main() {
    // Without this cargo reruns the script, and rebuilds the library, on any change in the crate.
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

//! Links this crate's Lambda binaries as non-PIE executables: the loader then has no relative
//! relocations to apply at start (about 11,000 in a function, each page of pointers they
//! touch copied on write), the largest cost of a function's init after its own work
//! (bench/results/README.md). Only the binaries: a dependency that also builds a shared
//! library (aws-sdk-s3's crc-fast) still links as it must, which a crate-wide
//! `relocation-model=static` broke. The price is a fixed address for the binary's own code
//! and data; the heap, stack and shared libraries stay randomised.
fn main() {
    // Without this cargo reruns the script, and rebuilds the library, on any change in the crate.
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

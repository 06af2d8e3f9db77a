//! With the `duckdb` feature linked to a DuckDB library (not compiled from
//! source), the binaries find that library at run time where they were
//! linked against it.

fn main() {
    println!("cargo:rerun-if-env-changed=DUCKDB_LIB_DIR");
    let linked = std::env::var_os("CARGO_FEATURE_DUCKDB").is_some()
        && std::env::var_os("CARGO_FEATURE_DUCKDB_BUNDLED").is_none();
    if !linked {
        return;
    }
    let Some(dir) = std::env::var_os("DUCKDB_LIB_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    println!(
        "cargo:rerun-if-changed={}",
        dir.join("libduckdb.so").display()
    );
    if !dir.join("libduckdb.so").exists() {
        // Said before the linker fails with "cannot find -lduckdb".
        panic!(
            "the `duckdb` feature links to DuckDB's library, which is not in {}: run `bash .ci/duckdb-lib` to put it there, or build with `--features duckdb-bundled` to compile DuckDB from source",
            dir.display()
        );
    }
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
}

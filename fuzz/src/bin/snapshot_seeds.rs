//! Writes the seed snapshots of the `deserialize` target into the directory given as the
//! first argument: `cargo run --release --bin snapshot_seeds -- corpus/deserialize`.

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: snapshot_seeds DIRECTORY");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(dir);
    if let Err(error) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {error}", dir.display());
        std::process::exit(1);
    }
    for (name, bytes) in red_moon_fuzz::snapshot_seeds() {
        let path = dir.join(format!("seed-{name}"));
        if let Err(error) = std::fs::write(&path, bytes) {
            eprintln!("cannot write {}: {error}", path.display());
            std::process::exit(1);
        }
    }
}

//! `wildebeest-bench <suite> [--quick|--long] [--bin PATH] [--runs N]`: runs one suite (or
//! `all`) and prints the results as Markdown. See `docs/PERFORMANCE.md`.

use std::path::PathBuf;
use std::process::ExitCode;

use wildebeest_bench::{Options, SUITES, prepare, run_suite};

const USAGE: &str = "usage: wildebeest-bench <graph|apply|autogenerate|rebuild|alembic|all> [--quick|--long] [--bin PATH] [--runs N]\n       wildebeest-bench prepare DIR [--quick] [--revisions N]   (writes the workloads, times nothing)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "prepare") {
        let quick = args.iter().any(|a| a == "--quick");
        let mut revisions = None;
        let mut dirs = Vec::new();
        let mut rest = args[1..].iter();
        while let Some(a) = rest.next() {
            if a == "--revisions" {
                match rest.next().and_then(|n| n.parse::<usize>().ok()) {
                    Some(n) if n > 0 => revisions = Some(n),
                    _ => return usage(),
                }
            } else if !a.starts_with("--") {
                dirs.push(a);
            }
        }
        let [dir] = dirs.as_slice() else {
            return usage();
        };
        return match prepare(std::path::Path::new(dir), quick, revisions) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: prepare: {err}");
                ExitCode::from(2)
            }
        };
    }
    let mut suite = None;
    let mut options = Options {
        bin: PathBuf::from("target/release/wildebeest"),
        sqlite: PathBuf::new(),
        quick: false,
        long: false,
        runs: 5,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => options.quick = true,
            "--long" => options.long = true,
            "--bin" => match args.next() {
                Some(path) => options.bin = PathBuf::from(path),
                None => return usage(),
            },
            "--runs" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) if n > 0 => options.runs = n,
                _ => return usage(),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            name if suite.is_none() && !name.starts_with('-') => suite = Some(name.to_owned()),
            _ => return usage(),
        }
    }
    let Some(suite) = suite else { return usage() };
    if options.quick && options.long {
        return usage();
    }
    // The raw SQLite runner is built next to this program.
    options.sqlite = match std::env::current_exe() {
        Ok(exe) => exe.with_file_name(format!(
            "wildebeest-bench-sqlite{}",
            std::env::consts::EXE_SUFFIX
        )),
        Err(err) => {
            eprintln!("error: cannot find this program's own path: {err}");
            return ExitCode::from(2);
        }
    };
    if !options.sqlite.is_file() {
        eprintln!(
            "error: no raw SQLite runner at {} (run `cargo build --release -p wildebeest-bench`)",
            options.sqlite.display()
        );
        return ExitCode::from(2);
    }
    let names: Vec<&str> = if suite == "all" {
        SUITES.to_vec()
    } else if SUITES.contains(&suite.as_str()) {
        vec![suite.as_str()]
    } else {
        return usage();
    };
    // Relative paths name files from where the bench was started; the suites run the
    // binary from other folders.
    options.bin = match std::path::absolute(&options.bin) {
        Ok(path) => path,
        Err(err) => {
            eprintln!("error: {}: {err}", options.bin.display());
            return ExitCode::from(2);
        }
    };
    if !options.bin.is_file() {
        eprintln!(
            "error: no wildebeest binary at {} (run `cargo build --release -p wildebeest-cli` or pass --bin)",
            options.bin.display()
        );
        return ExitCode::from(2);
    }
    let mut failed = false;
    for name in names {
        match run_suite(name, &options) {
            Ok(report) => println!("{}", report.markdown()),
            Err(err) => {
                eprintln!("error: suite {name}: {err}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

//! `ir-committee`: parse the command line, run, report failures in one line.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use ir_committee::cli::{Cli, run};

fn main() -> ExitCode {
    // Panic reports (a bug, never a user mistake) get color-eyre's hook.
    if color_eyre::install().is_err() {
        eprintln!("ir-committee: warning: could not install the panic reporter");
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // A usage mistake: clap's first paragraph says what is wrong
            // (its next lines name the missing argument or the accepted
            // values); keep it, on one line.
            let text = e.to_string();
            let first: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            let first = first.join(" ");
            let first = first.strip_prefix("error: ").unwrap_or(&first);
            eprintln!("ir-committee: error: {} (see --help)", one_line(first));
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match run(&cli, &mut out).and_then(|()| out.flush().map_err(Into::into)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = out.flush();
            eprintln!("ir-committee: error: {}", one_line(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// Errors may quote file content: keep them on one line, free of control characters.
fn one_line(s: &str) -> String {
    ir_committee::domain::text::sanitize_line(s)
}

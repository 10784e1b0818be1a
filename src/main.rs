//! `ir-committee`: parse the command line, run, report failures in one line.

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use ir_committee::cli::{Cli, Command, run};
use ir_committee::deploy;
use ir_committee::text::{self, Localized};

/// `--version`: also the configuration a setgid install reads (fixed when
/// the binary was built), so that an administrator, or
/// `docs/deployment-check.sh`, can tell without running it setgid.
static LONG_VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{}\nsetgid configuration: {}",
        env!("CARGO_PKG_VERSION"),
        deploy::CONFIG_PATH
    )
});

fn main() -> ExitCode {
    install_panic_hook();
    let parsed = Cli::command()
        .long_version(LONG_VERSION.as_str())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
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
            warn(&text::cli::usage_line(locale(), &one_line(first)));
            return ExitCode::from(2);
        }
    };
    let lang = cli.lang();
    if let Err(e) = deployment(&cli) {
        warn(&text::cli::error_line(lang, &one_line(&e.in_lang(lang))));
        return ExitCode::FAILURE;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match run(&cli, &mut out) {
        // Stopped by SIGHUP or SIGTERM: 128 + the signal, as shells report it.
        Ok(Some(signal)) => ExitCode::from(u8::try_from(128 + signal).unwrap_or(u8::MAX)),
        Ok(None) => match out.flush() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                warn(&text::cli::error_line(
                    lang,
                    &text::cli::cannot_write_output(lang, &e),
                ));
                ExitCode::FAILURE
            }
        },
        // The reader went away (`… | head`): nothing more to say.
        Err(ir_committee::cli::CliError::Output(e))
            if e.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = out.flush();
            warn(&text::cli::error_line(lang, &one_line(&e.in_lang(lang))));
            ExitCode::FAILURE
        }
    }
}

/// A setgid deployment (`deploy`): the database and audit key come from
/// the root-owned configuration, umask 007. `demo` writes a file of the
/// user's: it gives the group privilege up first and runs as the person.
fn deployment(cli: &Cli) -> Result<(), deploy::DeployError> {
    if matches!(cli.command, Some(Command::Demo { .. })) {
        return deploy::drop_group_privilege();
    }
    let asked = deploy::Asked::from_env(cli.db.is_some(), cli.today.is_some());
    if let Some(notice) = deploy::start(asked)? {
        warn(&notice);
    }
    Ok(())
}

/// Panics are bugs, never user mistakes: the terminal is put back first,
/// then color-eyre's report is written. Every write ignores a stderr that
/// is gone (a panic inside a panic hook would abort the process).
fn install_panic_hook() {
    let (panic_hook, eyre_hook) = color_eyre::config::HookBuilder::default().into_hooks();
    if eyre_hook.install().is_err() {
        warn("ir-committee: warning: could not install the error reporter");
    }
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::try_restore();
        let _ = writeln!(std::io::stderr(), "{}", panic_hook.panic_report(info));
    }));
}

/// The language of the locale, before the arguments are understood.
fn locale() -> text::Lang {
    text::Lang::from_vars(|k| std::env::var(k).ok())
}

/// One line on stderr. Unlike `eprintln!`, a stderr that is gone (the SSH
/// link dropped) is not a panic.
fn warn(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Errors may quote file content: keep them on one line, free of control characters.
fn one_line(s: &str) -> String {
    ir_committee::domain::text::sanitize_line(s)
}

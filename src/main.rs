//! The `bantin` command line: parses arguments, calls one function per command,
//! prints what happened.

use std::path::PathBuf;
use std::process::ExitCode;

use bantin::build::{BuildError, BuildOptions, build};
use bantin::diagnostics::Diagnostics;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "bantin",
    version,
    about = "Static site generator for Vietnamese local government portals"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds)
    Build {
        /// The site folder (holding site.yaml and content/)
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder [default: <root>/public]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also publish articles marked `draft: true`
        #[arg(long)]
        drafts: bool,
        /// The site's address, replacing base_url from site.yaml (for previews)
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each stage of the build took
        #[arg(long)]
        timings: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            drafts,
            base_url,
            timings,
        } => {
            let options = BuildOptions {
                root,
                out,
                drafts,
                base_url,
            };
            run_build(&options, timings)
        }
    }
}

fn run_build(options: &BuildOptions, timings: bool) -> ExitCode {
    match build(options) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            if timings {
                for (stage, took) in &report.stages {
                    println!("{:>8.1} ms  {stage}", took.as_secs_f64() * 1000.0);
                }
            }
            println!(
                "built {} articles into {} pages and copied {} files to {} in {} ms",
                report.articles,
                report.pages,
                report.files_copied,
                report.out.display(),
                report.elapsed.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Site(problems)) => {
            print_diagnostics(&problems);
            eprintln!(
                "build failed: {} error(s), {} warning(s); {} was left as it was",
                problems.error_count(),
                problems.warning_count(),
                options.out_dir().display()
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!(
                "build failed; {} was left as it was",
                options.out_dir().display()
            );
            ExitCode::FAILURE
        }
    }
}

fn print_diagnostics(problems: &Diagnostics) {
    for d in problems.sorted() {
        eprintln!("{d}");
    }
}

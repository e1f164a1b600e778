use tracing_subscriber::EnvFilter;

/// How log lines are written on standard error.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Structured logs on stderr; `RUST_LOG` overrides the default level.
pub fn init() {
    init_with(LogFormat::Text);
}

/// Logs as text, or as one JSON object per line for a log collector (the
/// request's fields — route pattern, status, request id — become keys).
pub fn init_with(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

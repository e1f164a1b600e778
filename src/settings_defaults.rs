//! The settings' defaults, from their one source: the `default_value`s of
//! their command-line declarations. A second list of defaults in Rust would
//! drift from the flags unseen (the tests build their settings from these).

/// What an empty command line gives, never read from the environment (a
/// `TISSU_*` variable of the machine running the tests changes nothing).
pub fn from_empty_command_line<T: clap::Args + clap::FromArgMatches>() -> T {
    let command = T::augment_args(clap::Command::new("tissu")).mut_args(|arg| arg.env(None));
    let matches = command
        .try_get_matches_from(["tissu"])
        .expect("every setting has a default or is optional");
    T::from_arg_matches(&matches).expect("the defaults parse")
}

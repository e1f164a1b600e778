//! The command line's subcommands besides `serve` and `demo`: each file is one
//! command, with the options it reads and its French output.

pub mod backup;
pub mod doctor;
pub mod firms;
pub mod mail;
pub mod retention;
pub mod token;
pub mod user;

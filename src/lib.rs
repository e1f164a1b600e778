//! tissu: the participatory diagnostic of a territory's industrial fabric.

// One module layout everywhere: a folder's module is its `mod.rs`.
#![warn(clippy::self_named_module_files)]

pub mod cli_backup;
pub mod cli_doctor;
pub mod cli_mail;
pub mod cli_retention;
pub mod cli_token;
pub mod cli_user;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod figures;
pub mod health;
pub mod key_files;
pub mod mail;
pub mod os_errors;
pub mod retention_task;
pub mod scheduled_backups;
pub mod startup;
pub mod store;
pub mod synthesis;
pub mod telemetry;
pub mod web;

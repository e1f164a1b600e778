//! tissu: the participatory diagnostic of a territory's industrial fabric.

// One module layout everywhere: a folder's module is its `mod.rs`.
#![warn(clippy::self_named_module_files)]

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod health;
pub mod letters;
pub mod mail;
pub mod os_errors;
pub mod settings_defaults;
pub mod startup;
pub mod store;
pub mod synthesis;
pub mod tasks;
pub mod telemetry;
pub mod web;

//! `tissu user add`: creates or updates a staff account from the command line
//! (the first administrator is made this way).

use crate::domain::role::Role;
use crate::domain::{password, Email};
use crate::store::{staff, territories, Db};
use clap::{Args, Subcommand};
use std::io::{BufRead, IsTerminal};

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Creates a staff account, or resets its password and role if it exists.
    Add(AddUser),
}

#[derive(Args, Debug)]
pub struct AddUser {
    #[arg(long)]
    pub email: String,
    /// admin, organiser or facilitator
    #[arg(long)]
    pub role: String,
    /// Territory slug the account belongs to (repeat for several).
    #[arg(long)]
    pub territory: Vec<String>,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

pub async fn run(db: &Db, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add(add) => add_user(db, add).await,
    }
}

async fn add_user(db: &Db, add: AddUser) -> anyhow::Result<()> {
    let email = Email::parse(&add.email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let role = Role::parse(&add.role).ok_or_else(|| {
        anyhow::anyhow!(
            "rôle inconnu « {} » : admin, organiser ou facilitator",
            add.role
        )
    })?;
    let mut territory_ids = Vec::new();
    for slug in &add.territory {
        let territory = territories::find_by_slug(db, slug)
            .await?
            .ok_or_else(|| anyhow::anyhow!("territoire inconnu : {slug}"))?;
        territory_ids.push(territory.id);
    }
    if role != Role::Admin && territory_ids.is_empty() {
        anyhow::bail!(
            "un compte {} doit appartenir à au moins un territoire (--territory SLUG)",
            role.as_str()
        );
    }
    let stdin = std::io::stdin();
    let (secret, generated) = if add.password_stdin || !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        let typed = line.trim_end_matches(['\r', '\n']).to_string();
        if typed.is_empty() {
            (password::generate(), true)
        } else {
            (typed, false)
        }
    } else {
        (password::generate(), true)
    };
    if secret.chars().count() < password::MIN_LENGTH {
        anyhow::bail!(
            "le mot de passe doit comporter au moins {} caractères",
            password::MIN_LENGTH
        );
    }
    let id = staff::upsert(
        db,
        email.as_str(),
        &password::hash(&secret),
        role.as_str(),
        &territory_ids,
    )
    .await?;
    println!("user: {} {} (id {id})", email, role.as_str());
    if generated {
        println!("password: {secret}");
    }
    Ok(())
}

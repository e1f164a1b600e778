//! `tissu user add`: creates or updates a staff account from the command line
//! (the first administrator is made this way).

use crate::domain::role::Role;
use crate::domain::{password, Email};
use crate::store::{staff, territories, Db};
use clap::{Args, Subcommand};
use std::io::{BufRead, IsTerminal};

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Crée un compte de l'équipe, ou remet à zéro son mot de passe et son rôle s'il existe.
    Add(AddUser),
}

#[derive(Args, Debug)]
pub struct AddUser {
    /// Adresse électronique du compte.
    #[arg(long)]
    pub email: String,
    /// admin, organiser, facilitator ou regional (un compte de Région, rattaché à ses territoires).
    #[arg(long)]
    pub role: String,
    /// Identifiant du territoire du compte (à répéter pour plusieurs).
    #[arg(long)]
    pub territory: Vec<String>,
    /// Lit le mot de passe sur l'entrée standard au lieu d'en créer un.
    #[arg(long)]
    pub password_stdin: bool,
}

/// The territories that exist, as `user add` lists them when it needs one.
async fn territories_to_choose(db: &Db) -> anyhow::Result<String> {
    let all = territories::list(db, None).await?;
    if all.is_empty() {
        return Ok(
            "aucun territoire n'existe encore\u{a0}: créez-en un depuis la page d'administration avec un compte admin"
                .into(),
        );
    }
    let names: Vec<String> = all
        .iter()
        .map(|t| format!("  --territory {}   ({})", t.slug, t.name))
        .collect();
    Ok(format!(
        "territoires existants\u{a0}:\n{}",
        names.join("\n")
    ))
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
            "rôle inconnu «\u{a0}{}\u{a0}»\u{a0}: admin, organiser, facilitator ou regional",
            add.role
        )
    })?;
    let mut territory_ids = Vec::new();
    for slug in &add.territory {
        let Some(territory) = territories::find_by_slug(db, slug).await? else {
            anyhow::bail!(
                "territoire inconnu «\u{a0}{slug}\u{a0}»\u{a0}; {}",
                territories_to_choose(db).await?
            );
        };
        territory_ids.push(territory.id);
    }
    if role != Role::Admin && territory_ids.is_empty() {
        anyhow::bail!(
            "un compte {} appartient à au moins un territoire (--territory IDENTIFIANT)\u{a0}; {}",
            role.as_str(),
            territories_to_choose(db).await?
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
    println!("compte\u{a0}: {} {} (n° {id})", email, role.as_str());
    if generated {
        println!("mot de passe\u{a0}: {secret}");
    }
    Ok(())
}

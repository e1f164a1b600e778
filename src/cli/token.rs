//! `tissu token create --email …`: makes a read-only API token for a staff
//! account and prints it once (only its SHA-256 is stored).

use crate::store::staff::{self, api_tokens};
use crate::store::Db;
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Crée un jeton d'API en lecture seule pour un compte de l'équipe et l'affiche.
    Create(CreateToken),
}

#[derive(Args, Debug)]
pub struct CreateToken {
    /// Adresse électronique du compte.
    #[arg(long)]
    pub email: String,
    /// À quoi sert le jeton (affiché sur la page du compte).
    #[arg(long, default_value = "ligne de commande")]
    pub label: String,
}

pub async fn run(db: &Db, command: TokenCommand) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create(c) => {
            let email = c.email.trim().to_lowercase();
            let account = staff::find_by_email(db, &email)
                .await?
                .ok_or_else(|| anyhow::anyhow!("aucun compte pour {email}"))?;
            let label: String = c.label.chars().take(100).collect();
            let token = api_tokens::create(db, account.id, &label).await?;
            println!("{}", token.as_str());
            eprintln!(
                "Jeton créé pour {email} (lecture seule). Il ne sera plus affiché\u{a0}: conservez-le."
            );
            Ok(())
        }
    }
}

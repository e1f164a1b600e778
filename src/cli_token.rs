//! `tissu token create --email …`: makes a read-only API token for a staff
//! account and prints it once (only its SHA-256 is stored).

use crate::store::staff::{self, api_tokens};
use crate::store::Db;
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Creates a read-only API token for a staff account and prints it.
    Create(CreateToken),
}

#[derive(Args, Debug)]
pub struct CreateToken {
    #[arg(long)]
    pub email: String,
    /// What the token is for (shown on the account page).
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
                "Jeton créé pour {email} (lecture seule). Il ne sera plus affiché : conservez-le."
            );
            Ok(())
        }
    }
}

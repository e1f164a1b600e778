//! `tissu mail test --to ADDRESS`: one message through the configured
//! transport, and what the server said.

use crate::config::Settings;
use crate::letters::compose::{build, message_id, Outgoing};
use crate::mail::Transport;
use crate::tasks::mail_delivery::sender;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum MailCommand {
    /// Envoie un message d'essai et affiche la réponse du serveur.
    Test {
        /// Adresse du destinataire.
        #[arg(long)]
        to: String,
    },
}

pub async fn run(settings: &Settings, command: MailCommand) -> anyhow::Result<()> {
    let MailCommand::Test { to } = command;
    let base_url = settings.site.public_base_url(&settings.site.bind);
    let transport = Transport::from_settings(&settings.mail, settings.database.path().as_deref())?;
    let from = sender(settings.mail.mail_from.as_deref(), &base_url)?;
    let id = message_id(&base_url);
    let text = format!(
        "Bonjour,\n\nCe message d'essai a été envoyé par tissu ({base_url}) pour vérifier la configuration de l'envoi des courriels.\n"
    );
    let html = format!("<p>Bonjour,</p><p>Ce message d'essai a été envoyé par tissu ({base_url}) pour vérifier la configuration de l'envoi des courriels.</p>");
    let message = build(&Outgoing {
        from: &from,
        to: &to,
        subject: "tissu\u{a0}: message d'essai",
        text: &text,
        html: &html,
        message_id: &id,
        unsubscribe_url: "",
        reply_to: "",
        calendar: None,
    })
    .map_err(|e| anyhow::anyhow!(e))?;
    println!("envoi par\u{a0}: {}", transport.describe());
    match transport.send(message).await {
        Ok(reply) => {
            println!("accepté\u{a0}: {reply}");
            Ok(())
        }
        Err(e) => {
            let kind = if e.permanent {
                "message refusé"
            } else {
                "envoi impossible"
            };
            anyhow::bail!("{kind} ({})", e.message)
        }
    }
}

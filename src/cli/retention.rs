//! `tissu retention`: what the retention sweep would do, and `--now` to run
//! it at once (the server runs it by itself every `TISSU_RETENTION_EVERY`).

use crate::config::Settings;
use crate::domain::french_time;
use crate::store::retention;

#[derive(clap::Args, Debug)]
pub struct RetentionArgs {
    /// Runs the sweep now: queues the notices due and anonymises the
    /// campaigns whose period is over. Without it, only lists them.
    #[arg(long)]
    pub now: bool,
}

pub async fn run(settings: &Settings, args: RetentionArgs) -> anyhow::Result<()> {
    let db = crate::startup::open_database(settings).await?;
    let base_url = settings.site.public_base_url(&settings.site.bind);
    let at = chrono::Utc::now();
    if !args.now {
        for campaign in retention::closed_campaigns(&db).await? {
            let end = campaign
                .ends_at()
                .map_or("?".to_string(), french_time::date_time_of);
            let state = if campaign.anonymisation_due(at) {
                "à anonymiser"
            } else if campaign.notice_due(at) {
                "avis à envoyer"
            } else if campaign.noticed() {
                "avis envoyé"
            } else {
                "dans sa durée de conservation"
            };
            println!("{}\u{a0}: fin le {end}, {state}", campaign.title);
        }
        return Ok(());
    }
    let swept = crate::tasks::retention::sweep(&db, &base_url, at).await?;
    for title in &swept.noticed {
        println!("avis de conservation envoyé\u{a0}: {title}");
    }
    for (title, counts) in &swept.anonymised {
        println!(
            "anonymisée\u{a0}: {title} ({}, {}, {})",
            crate::domain::plural::count(counts.participants, "participant", "participants"),
            crate::domain::plural::count(counts.emails, "courriel", "courriels"),
            crate::domain::plural::count(
                counts.wordings,
                "texte libre remplacé",
                "textes libres remplacés"
            )
        );
    }
    if swept.noticed.is_empty() && swept.anonymised.is_empty() {
        println!("rien à faire");
    }
    db.close().await;
    Ok(())
}

//! `tissu firms import-sirene`: a territory's firm directory from INSEE's
//! Sirene stock files. Without `--apply` it only says what it would do.

use crate::domain::import::sirene_plan::{Official, SirenePlan};
use crate::domain::naf;
use crate::domain::plural::count;
use crate::store::audit::Actor;
use crate::store::firms::register;
use crate::store::Db;
use crate::tasks::sirene_import::{self, Choices, Files, Progress};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Subcommand, Debug)]
pub enum FirmsCommand {
    /// Ajoute ou met à jour l'annuaire d'un territoire depuis les fichiers Sirene de l'INSEE.
    ImportSirene(ImportSirene),
}

#[derive(Args, Debug)]
pub struct ImportSirene {
    /// Identifiant du territoire.
    #[arg(long)]
    pub territory: String,
    /// Fichier des établissements (StockEtablissement, CSV ou zip).
    #[arg(long)]
    pub establishments: PathBuf,
    /// Fichier des unités légales (StockUniteLegale, CSV ou zip), pour les noms.
    #[arg(long)]
    pub legal_units: Option<PathBuf>,
    /// Divisions NAF gardées : 10-33, 10,11,25 ou une section (C).
    #[arg(long, default_value = "10-33")]
    pub naf: String,
    /// Plus petite tranche d'effectif gardée (code INSEE : 11 pour 10 salariés ou plus).
    #[arg(long, default_value = "11")]
    pub min_band: String,
    /// Écrit l'import ; sans cette option, seul l'aperçu est affiché.
    #[arg(long)]
    pub apply: bool,
}

pub async fn run(db: &Db, command: FirmsCommand) -> anyhow::Result<()> {
    match command {
        FirmsCommand::ImportSirene(args) => import_sirene(db, args).await,
    }
}

async fn import_sirene(db: &Db, args: ImportSirene) -> anyhow::Result<()> {
    let choices = Choices {
        divisions: naf::parse_divisions(&args.naf).map_err(anyhow::Error::msg)?,
        min_band: Some(naf::parse_band(&args.min_band).map_err(anyhow::Error::msg)?),
    };
    let (territory, communes) = sirene_import::territory(db, &args.territory).await?;
    println!(
        "territoire «\u{a0}{}\u{a0}»\u{a0}: {}",
        territory.name,
        count(communes.len(), "commune", "communes")
    );
    let started = Instant::now();
    let files = Files {
        establishments: args.establishments,
        legal_units: args.legal_units,
    };
    let prepared =
        sirene_import::prepare(db, &territory, files, choices, progress_line(started)).await?;
    eprintln!();
    let plan = &prepared.plan;
    print_plan(plan);
    if !args.apply {
        println!("rien n’est écrit\u{a0}: relancez avec --apply pour importer");
        return Ok(());
    }
    if plan.changes_nothing() {
        println!("rien à écrire\u{a0}: l’annuaire dit déjà ce que dit le registre");
        return Ok(());
    }
    register::import(db, Actor::instance(Some(territory.id)), territory.id, plan).await?;
    println!("import écrit");
    Ok(())
}

/// The progress line on the terminal's error stream: megabytes and rows
/// read, and the pace.
fn progress_line(started: Instant) -> impl FnMut(Progress) + Send + 'static {
    move |p: Progress| {
        let seconds = started.elapsed().as_secs_f64().max(0.001);
        let megabytes = p.bytes as f64 / 1e6;
        let file = if p.legal_units {
            "unités légales"
        } else {
            "établissements"
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{file}\u{a0}: {} Mo lus, {} lignes, {} Mo/s, {} lignes/s   ",
            megabytes.round(),
            p.rows,
            (megabytes / seconds).round(),
            (p.rows as f64 / seconds).round()
        );
        let _ = err.flush();
    }
}

fn print_plan(plan: &SirenePlan) {
    println!(
        "{} à ajouter",
        count(plan.create.len(), "entreprise", "entreprises")
    );
    for firm in &plan.create {
        println!("  + {}", described(firm));
    }
    println!(
        "{} à mettre à jour",
        count(plan.update.len(), "entreprise", "entreprises")
    );
    for (_, firm) in &plan.update {
        println!("  ~ {}", described(firm));
    }
    println!(
        "{}",
        count(
            plan.unchanged,
            "entreprise inchangée",
            "entreprises inchangées"
        )
    );
    println!(
        "{}",
        count(
            plan.closed.len(),
            "entreprise de l’annuaire désormais fermée au registre",
            "entreprises de l’annuaire désormais fermées au registre"
        )
    );
    for closed in &plan.closed {
        println!(
            "  × {} (fermée le {})",
            closed.name,
            crate::domain::french_time::day(&closed.on)
        );
    }
    if !plan.nameless.is_empty() {
        println!(
            "{} sans nom au registre, non ajouté{}\u{a0}: donnez --legal-units pour les nommer",
            count(plan.nameless.len(), "établissement", "établissements"),
            if plan.nameless.len() > 1 { "s" } else { "" }
        );
    }
}

/// A firm as the preview lists it: SIRET, name, activity, size, commune.
fn described(firm: &Official) -> String {
    let band = firm
        .headcount_band
        .as_deref()
        .and_then(naf::band_label)
        .unwrap_or("effectif inconnu");
    format!(
        "{} {} — {} — {} — {}",
        firm.siret,
        firm.name,
        naf::activity_label(&firm.naf_code),
        band,
        firm.commune_name
    )
}

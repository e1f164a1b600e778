//! The triggers of both backends compared by what they do: the same writes,
//! in the same order, on a new database of each, must move the version of
//! the same campaigns. Each write is one statement of portable SQL (ids
//! found by slug, dates as ISO literals both backends take), written for
//! this comparison only: the application's own writes reach these tables
//! through the store functions.

use crate::store::StoreError;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;

/// A write, and the campaigns whose `data_version` it must move.
pub struct Step {
    pub write: &'static str,
    pub moves: &'static [&'static str],
}

/// Three campaigns: c1 and c2 in territory t1, c3 in t2.
pub const STEPS: &[Step] = &[
    Step {
        write: "INSERT INTO territories (slug, name, created_at) VALUES
                ('t1', 'Segréen', '2026-01-01T00:00:00Z'), ('t2', 'Choletais', '2026-01-01T00:00:00Z')",
        moves: &[],
    },
    Step {
        write: "INSERT INTO campaigns (territory_id, slug, title, created_at) VALUES
                ((SELECT id FROM territories WHERE slug = 't1'), 'c1', 'Un', '2026-01-01T00:00:00Z'),
                ((SELECT id FROM territories WHERE slug = 't1'), 'c2', 'Deux', '2026-01-01T00:00:00Z'),
                ((SELECT id FROM territories WHERE slug = 't2'), 'c3', 'Trois', '2026-01-01T00:00:00Z')",
        moves: &[],
    },
    Step {
        write: "INSERT INTO firms (territory_id, name, name_key, created_at) VALUES
                ((SELECT id FROM territories WHERE slug = 't1'), 'Scierie du Lion', 'scierie du lion', '2026-01-01T00:00:00Z'),
                ((SELECT id FROM territories WHERE slug = 't1'), 'Laiterie', 'laiterie', '2026-01-01T00:00:00Z')",
        moves: &["c1", "c2"],
    },
    Step {
        write: "INSERT INTO firms (territory_id, name, name_key, created_at) VALUES
                ((SELECT id FROM territories WHERE slug = 't2'), 'Fonderie', 'fonderie', '2026-01-01T00:00:00Z')",
        moves: &["c3"],
    },
    Step {
        write: "UPDATE firms SET sector = 'Bois' WHERE name_key = 'scierie du lion'",
        moves: &["c1", "c2"],
    },
    Step {
        write: "INSERT INTO workshop_sessions (campaign_id, label, day, starts_at) VALUES
                ((SELECT id FROM campaigns WHERE slug = 'c1'), 'Atelier', '2026-04-15', '09:30')",
        moves: &["c1"],
    },
    Step {
        write: "UPDATE workshop_sessions SET place = 'Segré'",
        moves: &["c1"],
    },
    Step {
        write: "INSERT INTO catalogue_entries (campaign_id, catalogue, code, label, position) VALUES
                ((SELECT id FROM campaigns WHERE slug = 'c1'), 'intensity', 'forte', 'Forte', 1),
                ((SELECT id FROM campaigns WHERE slug = 'c1'), 'link_kind', 'achat', 'Achat', 1),
                ((SELECT id FROM campaigns WHERE slug = 'c1'), 'objective', 'o1', 'Recruter', 1),
                ((SELECT id FROM campaigns WHERE slug = 'c1'), 'lever', 'l1', 'Former', 1)",
        moves: &["c1"],
    },
    Step {
        write: "UPDATE catalogue_entries SET label = 'Former ensemble' WHERE code = 'l1'",
        moves: &["c1"],
    },
    Step {
        // Not yet invited: no figure counts them.
        write: "INSERT INTO participants (campaign_id, email, token_hash, created_at) VALUES
                ((SELECT id FROM campaigns WHERE slug = 'c1'), 'anne@exemple.fr',
                 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '2026-01-01T00:00:00Z')",
        moves: &[],
    },
    Step {
        write: "INSERT INTO participants (campaign_id, email, token_hash, created_at, invited_at) VALUES
                ((SELECT id FROM campaigns WHERE slug = 'c2'), 'paul@exemple.fr',
                 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', '2026-01-01T00:00:00Z',
                 '2026-01-02T00:00:00Z')",
        moves: &["c2"],
    },
    Step {
        write: "UPDATE participants SET last_name = 'Martin' WHERE email = 'anne@exemple.fr'",
        moves: &[],
    },
    Step {
        write: "UPDATE participants SET opened_at = '2026-01-03T00:00:00Z' WHERE email = 'anne@exemple.fr'",
        moves: &["c1"],
    },
    Step {
        write: "INSERT INTO contributions (campaign_id, participant_id, firm_id, created_at, updated_at) VALUES
                ((SELECT id FROM campaigns WHERE slug = 'c1'), (SELECT id FROM participants WHERE email = 'anne@exemple.fr'),
                 (SELECT id FROM firms WHERE name_key = 'scierie du lion'), '2026-01-03T00:00:00Z', '2026-01-03T00:00:00Z')",
        moves: &["c1"],
    },
    // A contribution's rows are inserted and deleted with a write of the
    // contribution itself: they carry no trigger of their own.
    Step {
        write: "INSERT INTO contribution_links (contribution_id, position, target_firm_id, intensity_id, status) VALUES
                ((SELECT id FROM contributions), 0, (SELECT id FROM firms WHERE name_key = 'laiterie'),
                 (SELECT id FROM catalogue_entries WHERE code = 'forte'), 'existing')",
        moves: &[],
    },
    Step {
        write: "INSERT INTO contribution_link_kinds (contribution_id, position, kind_id) VALUES
                ((SELECT id FROM contributions), 0, (SELECT id FROM catalogue_entries WHERE code = 'achat'))",
        moves: &[],
    },
    Step {
        write: "INSERT INTO swot_items (contribution_id, position, quadrant, text) VALUES
                ((SELECT id FROM contributions), 0, 'strength', 'Savoir-faire')",
        moves: &[],
    },
    Step {
        write: "INSERT INTO lever_rankings (contribution_id, objective_id, rank, lever_id) VALUES
                ((SELECT id FROM contributions), (SELECT id FROM catalogue_entries WHERE code = 'o1'), 1,
                 (SELECT id FROM catalogue_entries WHERE code = 'l1'))",
        moves: &[],
    },
    Step {
        write: "INSERT INTO proposed_levers (contribution_id, objective_id, text) VALUES
                ((SELECT id FROM contributions), (SELECT id FROM catalogue_entries WHERE code = 'o1'), 'Mutualiser')",
        moves: &[],
    },
    // Their updates in place do.
    Step {
        write: "UPDATE contribution_links SET status = 'wished'",
        moves: &["c1"],
    },
    Step {
        write: "UPDATE contribution_link_kinds SET kind_id = kind_id",
        moves: &["c1"],
    },
    Step {
        write: "UPDATE swot_items SET text = 'Savoir-faire rare'",
        moves: &["c1"],
    },
    Step {
        write: "UPDATE lever_rankings SET rank = 2",
        moves: &["c1"],
    },
    Step {
        write: "UPDATE proposed_levers SET text = 'Mutualiser les achats'",
        moves: &["c1"],
    },
    Step {
        write: "UPDATE contributions SET step_reached = 3",
        moves: &["c1"],
    },
    Step {
        write: "INSERT INTO swot_themes (campaign_id, quadrant, label, created_at, updated_at) VALUES
                ((SELECT id FROM campaigns WHERE slug = 'c2'), 'strength', 'Compétences',
                 '2026-01-04T00:00:00Z', '2026-01-04T00:00:00Z')",
        moves: &["c2"],
    },
    Step {
        write: "UPDATE swot_themes SET label = 'Compétences rares'",
        moves: &["c2"],
    },
    Step {
        write: "INSERT INTO swot_theme_keys (theme_id, norm_key) VALUES ((SELECT id FROM swot_themes), 'savoir faire')",
        moves: &["c2"],
    },
    Step {
        write: "DELETE FROM swot_theme_keys",
        moves: &["c2"],
    },
    Step {
        write: "UPDATE campaigns SET ranks_per_objective = 4 WHERE slug = 'c3'",
        moves: &["c3"],
    },
    Step {
        write: "UPDATE campaigns SET title = 'Trois bis' WHERE slug = 'c3'",
        moves: &[],
    },
    Step {
        write: "DELETE FROM contributions",
        moves: &["c1"],
    },
    Step {
        write: "DELETE FROM catalogue_entries",
        moves: &["c1"],
    },
    Step {
        write: "DELETE FROM workshop_sessions",
        moves: &["c1"],
    },
    Step {
        // An erasure: the link is remembered as closed.
        write: "DELETE FROM participants WHERE email = 'paul@exemple.fr'",
        moves: &["c2"],
    },
    Step {
        write: "DELETE FROM swot_themes",
        moves: &["c2"],
    },
    Step {
        write: "DELETE FROM firms WHERE name_key IN ('scierie du lion', 'laiterie')",
        moves: &["c1", "c2"],
    },
];

/// What `STEPS` did on one backend: after each step, the campaigns whose
/// version moved (by slug, in order), and the links the erasure closed.
#[derive(Debug, PartialEq, Eq)]
pub struct Moved {
    pub after_each_step: Vec<Vec<String>>,
    pub closed_links: i64,
}

const VERSIONS: &str = "SELECT slug, data_version FROM campaigns ORDER BY slug";
const CLOSED_LINKS: &str = "SELECT COUNT(*) FROM closed_links";

/// The same steps and reads on either connection: only the connection's
/// type differs between the two.
macro_rules! run_steps {
    ($conn:expr) => {{
        let conn = $conn;
        let mut after_each_step = Vec::new();
        let mut before: Vec<(String, i64)> = sqlx::query_as(VERSIONS).fetch_all(&mut *conn).await?;
        for step in STEPS {
            sqlx::query(step.write).execute(&mut *conn).await?;
            let after: Vec<(String, i64)> = sqlx::query_as(VERSIONS).fetch_all(&mut *conn).await?;
            after_each_step.push(
                after
                    .iter()
                    .filter(|now| !before.contains(now))
                    .filter(|(slug, _)| before.iter().any(|(s, _)| s == slug))
                    .map(|(slug, _)| slug.clone())
                    .collect(),
            );
            before = after;
        }
        let closed_links: i64 = sqlx::query_scalar(CLOSED_LINKS)
            .fetch_one(&mut *conn)
            .await?;
        Ok(Moved {
            after_each_step,
            closed_links,
        })
    }};
}

/// Runs `STEPS` on a new SQLite database.
pub async fn versions_moved_sqlite(conn: &mut SqliteConnection) -> Result<Moved, StoreError> {
    run_steps!(conn)
}

/// Runs `STEPS` on a new PostgreSQL database.
pub async fn versions_moved_postgres(conn: &mut PgConnection) -> Result<Moved, StoreError> {
    run_steps!(conn)
}

/// What `STEPS` say must move, in the shape `versions_moved_*` answer.
pub fn expected() -> Vec<Vec<String>> {
    STEPS
        .iter()
        .map(|s| s.moves.iter().map(|m| m.to_string()).collect())
        .collect()
}

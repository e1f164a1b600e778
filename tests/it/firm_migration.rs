//! Migration 0005 on a database written by the earlier versions: duplicate
//! names merged before the unique key, respondents' leftovers removed, the
//! names still in use turned into proposals of the contribution using them.
//! Raw SQL: the rows are written and read as the schema of those versions
//! had them, which no store function of this one knows.

use tissu::store::Db;

async fn one(pool: &sqlx::SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn migration_merges_duplicate_names_and_makes_respondents_names_proposals() {
    let (_dir, url) = crate::helpers::old_database(
        5,
        &[
            "INSERT INTO territories (id, slug, name, created_at) VALUES (1, 't', 'T', '{at}')",
            "INSERT INTO campaigns (id, territory_id, slug, title, created_at) VALUES (1, 1, 'c', 'C', '{at}')",
            "INSERT INTO catalogue_entries (id, campaign_id, catalogue, code, label, position) VALUES (1, 1, 'intensity', 'i', 'I', 0)",
            // Two directory firms with one name (a race of two saves), one with a commune.
            "INSERT INTO firms (id, territory_id, name, name_key, origin, created_at) VALUES (1, 1, 'Acme', 'acme', 'directory', '{at}')",
            "INSERT INTO firms (id, territory_id, name, name_key, commune, origin, created_at) VALUES (2, 1, 'ACME', 'acme', 'Segré', 'respondent', '{at}')",
            // A respondent's name still linked, and one whose row was removed.
            "INSERT INTO firms (id, territory_id, name, name_key, origin, created_at) VALUES (3, 1, 'Tapée', 'tapee', 'respondent', '{at}')",
            "INSERT INTO firms (id, territory_id, name, name_key, origin, created_at) VALUES (4, 1, 'Oubliée', 'oubliee', 'respondent', '{at}')",
            "INSERT INTO participants (id, campaign_id, firm_id, email, token_hash, created_at) VALUES (1, 1, 2, 'a@ex.fr', '{hash}', '{at}')",
            "INSERT INTO contributions (id, campaign_id, participant_id, firm_id, created_at, updated_at) VALUES (1, 1, 1, 2, '{at}', '{at}')",
            "INSERT INTO contribution_links (contribution_id, position, target_firm_id, intensity_id, status) VALUES (1, 0, 3, 1, 'existing')",
        ],
    )
    .await;

    let db = Db::connect(&url).await.unwrap();
    let r = tissu::store::testing::sqlite_reader(&db);
    assert_eq!(
        one(r, "SELECT COUNT(*) FROM firms WHERE name_key = 'acme'").await,
        1
    );
    assert_eq!(
        one(r, "SELECT firm_id FROM participants").await,
        1,
        "repointed to the kept firm"
    );
    assert_eq!(one(r, "SELECT firm_id FROM contributions").await, 1);
    let commune: String = sqlx::query_scalar("SELECT commune FROM firms WHERE id = 1")
        .fetch_one(r)
        .await
        .unwrap();
    assert_eq!(commune, "Segré", "the kept firm took what it lacked");
    let typed: (String, Option<i64>) =
        sqlx::query_as("SELECT state, proposed_by_contribution_id FROM firms WHERE id = 3")
            .fetch_one(r)
            .await
            .unwrap();
    assert_eq!(typed, ("proposed".to_string(), Some(1)));
    assert_eq!(
        one(r, "SELECT COUNT(*) FROM firms WHERE id = 4").await,
        0,
        "leftover removed"
    );
    let duplicate = sqlx::query(
        "INSERT INTO firms (territory_id, name, name_key, created_at) VALUES (1, 'acme', 'acme', 'x')",
    )
    .execute(tissu::store::testing::sqlite_writer(&db))
    .await;
    assert!(duplicate.is_err(), "the unique key holds");
}

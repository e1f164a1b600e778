//! Committee meetings of a campaign, with their members and documents.

use crate::domain::action_plan::meeting::{Document, MeetingInput, Member};
use crate::store::audit::{self, Actor};
use crate::store::db::sql;
use crate::store::db::Conn;
use crate::store::{now, Db, StoreError};

/// A meeting as the lists show it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub instance: String,
    pub held_on: crate::store::Day,
    pub place: String,
    pub members: i64,
}

impl MeetingRow {
    pub fn day(&self) -> String {
        crate::domain::french_time::day(&self.held_on)
    }

    /// "Comité de projet du 4 juin 2019", for the choices of the fiche form.
    pub fn title(&self) -> String {
        format!("{} du {}", self.instance, self.day())
    }
}

#[derive(sqlx::FromRow)]
struct Head {
    id: i64,
    instance: String,
    held_on: crate::store::Day,
    place: String,
    agenda: String,
    minutes: String,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    name: String,
    organisation: String,
    role: String,
}

#[derive(sqlx::FromRow)]
struct DocumentRow {
    label: String,
    url: String,
}

/// A whole meeting.
#[derive(Debug, Clone)]
pub struct Meeting {
    pub id: i64,
    pub input: MeetingInput,
}

/// The campaign's meetings, in date order.
pub async fn list(db: &Db, campaign_id: i64) -> Result<Vec<MeetingRow>, StoreError> {
    Ok(sql::query_as(
        "SELECT m.id, m.instance, m.held_on, m.place,
                (SELECT COUNT(*) FROM committee_members p WHERE p.meeting_id = m.id) AS members
         FROM committee_meetings m WHERE m.campaign_id = ? ORDER BY m.held_on, m.id",
    )
    .bind(campaign_id)
    .fetch_all(&db.read)
    .await?)
}

pub async fn find(db: &Db, campaign_id: i64, id: i64) -> Result<Option<Meeting>, StoreError> {
    let head: Option<Head> = sql::query_as(
        "SELECT id, instance, held_on, place, agenda, minutes FROM committee_meetings
         WHERE campaign_id = ? AND id = ?",
    )
    .bind(campaign_id)
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    let Some(head) = head else {
        return Ok(None);
    };
    let members: Vec<MemberRow> = sql::query_as(
        "SELECT name, organisation, role FROM committee_members WHERE meeting_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    let documents: Vec<DocumentRow> = sql::query_as(
        "SELECT label, url FROM committee_documents WHERE meeting_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(&db.read)
    .await?;
    Ok(Some(Meeting {
        id: head.id,
        input: MeetingInput {
            instance: head.instance,
            held_on: head.held_on.into(),
            place: head.place,
            members: members
                .into_iter()
                .map(|m| Member {
                    name: m.name,
                    organisation: m.organisation,
                    role: m.role,
                })
                .collect(),
            agenda: head.agenda,
            minutes: head.minutes,
            documents: documents
                .into_iter()
                .map(|d| Document {
                    label: d.label,
                    url: d.url,
                })
                .collect(),
        },
    }))
}

/// Writes the members and documents of a meeting (after removing the old ones).
async fn write_lists(conn: &mut Conn, id: i64, m: &MeetingInput) -> Result<(), StoreError> {
    sql::query("DELETE FROM committee_members WHERE meeting_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sql::query("DELETE FROM committee_documents WHERE meeting_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    super::insert_rows(
        &mut *conn,
        "INSERT INTO committee_members (meeting_id, position, name, organisation, role) ",
        m.members.iter().enumerate(),
        |mut row, (i, p)| {
            row.push_bind(id)
                .push_bind(i as i64)
                .push_bind(&p.name)
                .push_bind(&p.organisation)
                .push_bind(&p.role);
        },
    )
    .await?;
    super::insert_rows(
        &mut *conn,
        "INSERT INTO committee_documents (meeting_id, position, label, url) ",
        m.documents.iter().enumerate(),
        |mut row, (i, d)| {
            row.push_bind(id)
                .push_bind(i as i64)
                .push_bind(&d.label)
                .push_bind(&d.url);
        },
    )
    .await?;
    Ok(())
}

fn described(m: &MeetingInput) -> String {
    format!(
        "{} du {}",
        m.instance,
        crate::domain::french_time::day(&m.held_on)
    )
}

pub async fn create(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    m: &MeetingInput,
) -> Result<i64, StoreError> {
    let mut tx = db.begin().await?;
    let at = now();
    let id: i64 = sql::query_scalar(
        "INSERT INTO committee_meetings (campaign_id, instance, held_on, place, agenda, minutes, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(campaign_id)
    .bind(&m.instance)
    .bind(crate::store::Day::from(m.held_on.as_str()))
    .bind(&m.place)
    .bind(&m.agenda)
    .bind(&m.minutes)
    .bind(&at)
    .bind(&at)
    .fetch_one(&mut *tx)
    .await?;
    write_lists(&mut tx, id, m).await?;
    audit::record(&mut tx, actor, "meeting_create", &described(m)).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    id: i64,
    m: &MeetingInput,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query(
        "UPDATE committee_meetings SET instance = ?, held_on = ?, place = ?, agenda = ?, minutes = ?, updated_at = ?
         WHERE campaign_id = ? AND id = ?",
    )
    .bind(&m.instance)
    .bind(crate::store::Day::from(m.held_on.as_str()))
    .bind(&m.place)
    .bind(&m.agenda)
    .bind(&m.minutes)
    .bind(now())
    .bind(campaign_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    write_lists(&mut tx, id, m).await?;
    audit::record(&mut tx, actor, "meeting_edit", &described(m)).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a meeting; the fiches' history keeps its lines, without the meeting.
pub async fn delete(
    db: &Db,
    actor: Actor<'_>,
    campaign_id: i64,
    meeting: &Meeting,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sql::query("DELETE FROM committee_meetings WHERE campaign_id = ? AND id = ?")
        .bind(campaign_id)
        .bind(meeting.id)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut tx, actor, "meeting_delete", &described(&meeting.input)).await?;
    tx.commit().await?;
    Ok(())
}

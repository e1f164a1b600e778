//! One test binary for every user journey: each top-level file in tests/ would
//! link separately, which is slow on two cores.

mod backup;
mod binary;
mod browser;
mod browser_mail;
mod browser_respondent;
mod browser_staff;
mod cli;
mod firm_flood;
mod firm_migration;
mod firm_proposals;
mod hardening;
mod helpers;
mod mail;
mod mail_crash;
mod mail_links;
mod mail_reminders;
mod network_xml;
mod respondent;
mod respondent_lifecycle;
mod rsvp;
mod smtp_sink;
mod staff_access;
mod staff_admin;
mod staff_auth;
mod staff_campaign_edit;
mod staff_campaigns;
mod staff_directory;
mod staff_firm_proposals;
mod staff_forms;
mod staff_helpers;
mod staff_import_previews;
mod staff_participant_import;
mod storage_faults;
mod synthesis;
mod synthesis_cache;

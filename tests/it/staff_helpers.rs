//! Staff accounts and signed-in browsers for the staff tests.

use crate::helpers::{browser_client, input_value, TestApp};
use tissu::domain::password;
use tissu::store::{self, Db};

pub const PASSWORD: &str = "mot-de-passe-de-test-1";

pub async fn create_staff(db: &Db, email: &str, role: &str, territory_ids: &[i64]) {
    store::staff::upsert(db, email, &password::hash(PASSWORD), role, territory_ids)
        .await
        .expect("staff account");
}

/// A browser of its own (its own cookies), signed in or not.
pub struct Browser {
    pub address: String,
    pub client: reqwest::Client,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            address: app.address.clone(),
            client: browser_client(),
        }
    }

    /// A browser signed in as a new account with this role and territories.
    pub async fn staff(app: &TestApp, email: &str, role: &str, territory_ids: &[i64]) -> Self {
        create_staff(&app.db, email, role, territory_ids).await;
        let browser = Self::new(app);
        let response = browser.login(email, PASSWORD).await;
        assert_eq!(response.status().as_u16(), 303, "{email} signs in");
        browser
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/connexion", &[("email", email), ("password", password)])
            .await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_html(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    pub async fn csrf(&self) -> String {
        let (_, html) = self.get_html("/connexion").await;
        input_value(&html, "csrf").expect("a CSRF field on the login page")
    }

    /// POSTs a form with this browser's CSRF field.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// POSTs exactly these fields (no CSRF added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = serde_urlencoded::to_string(fields).expect("form encodes");
        self.client
            .post(self.url(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    /// POSTs a file the way a browser sends an upload form.
    pub async fn post_file(
        &self,
        path: &str,
        field: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let csrf = self.csrf().await;
        let boundary = "----tissu-test-boundary";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
        body.extend_from_slice(&bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.client
            .post(self.url(path))
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("POST file")
    }
}

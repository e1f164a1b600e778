// Makes `sqlx::migrate!()` pick up new migration files without a clean build.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}

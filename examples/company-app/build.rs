//! Builds the program again when `company-app db migrate` adds a migration file,
//! so that the next build embeds it.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}

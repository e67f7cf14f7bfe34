//! The company's tables, as the tutorial ends them: `employees`, and `departments`
//! (first made as `department`, then renamed; its `address` renamed `location` and
//! made required). `company-app db migrate -m MESSAGE` compares these with the
//! migrations and writes the difference.

/// An employee.
#[derive(Debug, wildebeest::Table)]
#[wildebeest(table = "employees")]
pub struct Employee {
    #[wildebeest(primary_key, auto_increment)]
    pub id: i32,
    pub name: String,
    pub salary: Option<i32>,
}

/// A department. The program reads no department yet: the struct describes the
/// table.
#[allow(dead_code)]
#[derive(Debug, wildebeest::Table)]
#[wildebeest(table = "departments", renamed_from = "department")]
pub struct Department {
    #[wildebeest(primary_key, auto_increment)]
    pub id: i32,
    pub name: String,
    #[wildebeest(renamed_from = "address")]
    pub location: String,
}

/// The application's models: its desired schema.
pub fn models() -> wildebeest::Models {
    wildebeest::Models::new()
        .table::<Employee>()
        .table::<Department>()
}

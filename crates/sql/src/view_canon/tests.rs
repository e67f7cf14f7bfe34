use super::canonical_views;
use crate::Dialect;

const TABLES: &str =
    "CREATE TABLE customers (id int PRIMARY KEY, name varchar(50), city varchar(30));
CREATE TABLE orders (id int PRIMARY KEY, customer_id int, total int, status varchar(10));
";

/// The canonical query of view `v` defined as `query` over [`TABLES`] and `more`.
fn canon(dialect: Dialect, more: &str, query: &str) -> String {
    let text = format!("{TABLES}{more}\nCREATE VIEW v AS {query};\n");
    let (mut schema, _) = crate::parse_schema(&text, "schema.sql", dialect).unwrap();
    canonical_views(&mut schema, dialect);
    schema.views["v"].normalized.clone()
}

fn same(dialect: Dialect, more: &str, written: &str, stored: &str) {
    assert_eq!(
        canon(dialect, more, written),
        canon(dialect, more, stored),
        "{written}\n{stored}"
    );
}

fn differ(dialect: Dialect, more: &str, a: &str, b: &str) {
    assert_ne!(canon(dialect, more, a), canon(dialect, more, b), "{a}\n{b}");
}

#[test]
fn a_bare_column_of_one_table_of_a_join_is_that_tables() {
    same(
        Dialect::Postgres,
        "",
        "SELECT name, total FROM customers JOIN orders ON orders.customer_id = customers.id",
        "SELECT customers.name, orders.total FROM (customers JOIN orders ON ((orders.customer_id = customers.id)))",
    );
    same(
        Dialect::Postgres,
        "",
        "SELECT c.name, status FROM customers AS c INNER JOIN orders AS o ON o.customer_id = c.id AND status <> 'x'",
        "SELECT c.name, o.status FROM (customers c JOIN orders o ON (((o.customer_id = c.id) AND (o.status <> 'x'::text))))",
    );
}

#[test]
fn an_ambiguous_or_unknown_column_stays_as_written() {
    // `id` is in both tables: not guessed.
    differ(
        Dialect::Postgres,
        "",
        "SELECT id FROM customers JOIN orders ON orders.customer_id = customers.id",
        "SELECT customers.id FROM customers JOIN orders ON orders.customer_id = customers.id",
    );
    // A column no table has stays bare.
    assert!(
        canon(
            Dialect::Postgres,
            "",
            "SELECT nothing FROM customers JOIN orders ON true"
        )
        .contains("SELECT nothing FROM")
    );
    // A view read through `*` does not tell its columns.
    assert!(
        canon(
            Dialect::Postgres,
            "CREATE VIEW every AS SELECT * FROM orders;",
            "SELECT name, total FROM customers JOIN every ON every.customer_id = customers.id"
        )
        .contains("SELECT name, total FROM")
    );
}

#[test]
fn subqueries_views_and_common_table_expressions_resolve_in_their_scope() {
    same(
        Dialect::Postgres,
        "",
        "SELECT id, name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > 100)",
        "SELECT customers.id, customers.name FROM customers WHERE (customers.id IN ( SELECT orders.customer_id FROM orders WHERE (orders.total > 100)))",
    );
    // A correlated name is the enclosing query's.
    same(
        Dialect::Postgres,
        "",
        "SELECT name FROM customers WHERE EXISTS (SELECT 1 FROM orders WHERE customer_id = customers.id AND total > 5)",
        "SELECT customers.name FROM customers WHERE (EXISTS ( SELECT 1 FROM orders WHERE ((orders.customer_id = customers.id) AND (orders.total > 5))))",
    );
    same(
        Dialect::Postgres,
        "CREATE VIEW j AS SELECT name, total FROM customers JOIN orders ON orders.customer_id = customers.id;",
        "SELECT total FROM j JOIN customers c ON c.name = j.name WHERE total > 5 AND city = 'x'",
        "SELECT j.total FROM j JOIN customers c ON c.name = j.name WHERE j.total > 5 AND c.city = 'x'",
    );
    same(
        Dialect::Postgres,
        "",
        "WITH big AS (SELECT customer_id, total FROM orders WHERE total > 10) SELECT name, total FROM customers JOIN big ON big.customer_id = customers.id",
        "WITH big AS (SELECT orders.customer_id, orders.total FROM orders WHERE (orders.total > 10)) SELECT customers.name, big.total FROM (customers JOIN big ON ((big.customer_id = customers.id)))",
    );
    same(
        Dialect::Postgres,
        "",
        "SELECT name, total FROM customers c LEFT JOIN (SELECT customer_id AS id, total FROM orders) o USING (id)",
        "SELECT c.name, o.total FROM (customers c LEFT JOIN ( SELECT orders.customer_id AS id, orders.total FROM orders) o USING (id))",
    );
}

#[test]
fn a_using_column_is_the_left_tables() {
    same(
        Dialect::Postgres,
        "",
        "SELECT id, name, total FROM customers LEFT OUTER JOIN orders USING (id)",
        "SELECT customers.id, customers.name, orders.total FROM (customers LEFT JOIN orders USING (id))",
    );
    // MariaDB stores it as `ON`.
    same(
        Dialect::Mysql,
        "",
        "SELECT id, name, total FROM customers LEFT JOIN orders USING (id)",
        "select `customers`.`id` AS `id`,`customers`.`name` AS `name`,`orders`.`total` AS `total` from (`customers` left join `orders` on(`customers`.`id` = `orders`.`id`))",
    );
}

#[test]
fn order_by_and_group_by_name_output_columns_by_alias_and_position() {
    same(
        Dialect::Postgres,
        "",
        "SELECT city AS town, count(*) AS n FROM customers GROUP BY 1 ORDER BY town ASC",
        "SELECT customers.city AS town, count(*) AS n FROM customers GROUP BY customers.city ORDER BY customers.city",
    );
    same(
        Dialect::Mysql,
        "",
        "SELECT city AS town, count(*) AS n FROM customers GROUP BY city ORDER BY 1",
        "select `customers`.`city` AS `town`,count(0) AS `n` from `customers` group by `customers`.`city` order by `customers`.`city`",
    );
}

#[test]
fn a_unions_later_selects_name_no_column() {
    same(
        Dialect::Postgres,
        "",
        "SELECT id FROM customers UNION SELECT customer_id FROM orders",
        "SELECT customers.id FROM customers UNION SELECT orders.customer_id AS id FROM orders",
    );
    same(
        Dialect::Mysql,
        "",
        "SELECT id, name FROM customers UNION ALL SELECT id, status FROM orders ORDER BY 1",
        "select `customers`.`id` AS `id`,`customers`.`name` AS `name` from `customers` union all select `orders`.`id` AS `id`,`orders`.`status` AS `status` from `orders` order by 1",
    );
    // The first names the columns.
    differ(
        Dialect::Postgres,
        "",
        "SELECT id AS a FROM customers UNION SELECT customer_id FROM orders",
        "SELECT id FROM customers UNION SELECT customer_id AS a FROM orders",
    );
}

#[test]
fn mysql_stored_queries_read_as_written() {
    let cases = [
        (
            "SELECT id, name FROM customers WHERE city = \"Paris\"",
            "select `customers`.`id` AS `id`,`customers`.`name` AS `name` from `customers` where `customers`.`city` = 'Paris'",
        ),
        (
            "SELECT name, total FROM customers JOIN orders ON orders.customer_id = customers.id",
            "select `customers`.`name` AS `name`,`orders`.`total` AS `total` from (`customers` join `orders` on(`orders`.`customer_id` = `customers`.`id`))",
        ),
        (
            "SELECT customer_id, COUNT(*) AS n, SUM(total) AS s FROM orders GROUP BY customer_id HAVING COUNT(*) > 1",
            "select `orders`.`customer_id` AS `customer_id`,count(0) AS `n`,sum(`orders`.`total`) AS `s` from `orders` group by `orders`.`customer_id` having count(0) > 1",
        ),
        (
            "SELECT id, CASE WHEN total > 100 THEN 'big' ELSE 'small' END AS size FROM orders",
            "select `orders`.`id` AS `id`,case when `orders`.`total` > 100 then 'big' else 'small' end AS `size` from `orders`",
        ),
        (
            "SELECT id, UPPER(name) AS u, LOWER(name) AS l, SUBSTRING(name, 1, 3) AS s, LENGTH(name) AS n FROM customers",
            "select `customers`.`id` AS `id`,ucase(`customers`.`name`) AS `u`,lcase(`customers`.`name`) AS `l`,substr(`customers`.`name`,1,3) AS `s`,octet_length(`customers`.`name`) AS `n` from `customers`",
        ),
        (
            "SELECT id, total FROM orders ORDER BY total DESC LIMIT 5 OFFSET 2",
            "select `orders`.`id` AS `id`,`orders`.`total` AS `total` from `orders` order by `orders`.`total` desc limit 2,5",
        ),
        (
            "SELECT DISTINCT city FROM customers",
            "select distinct `customers`.`city` AS `city` from `customers`",
        ),
        (
            "SELECT o.id oid, c.name cname FROM orders o, customers c WHERE o.customer_id = c.id",
            "select `o`.`id` AS `oid`,`c`.`name` AS `cname` from (`orders` `o` join `customers` `c`) where `o`.`customer_id` = `c`.`id`",
        ),
        (
            "SELECT name FROM customers WHERE EXISTS (SELECT 1 FROM orders WHERE customer_id = customers.id) AND NOT (id = 3) AND TRUE",
            "select `customers`.`name` AS `name` from `customers` where exists(select 1 from `orders` where `orders`.`customer_id` = `customers`.`id` limit 1) and `customers`.`id` <> 3 and 1",
        ),
        (
            "SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders) AND (id > 1 OR city IS NULL)",
            "select `customers`.`id` AS `id` from `customers` where !(`customers`.`id` in (select `orders`.`customer_id` from `orders`)) and (`customers`.`id` > 1 or `customers`.`city` is null)",
        ),
        (
            "SELECT id FROM customers",
            "select `test`.`customers`.`id` AS `id` from `test`.`customers`",
        ),
        (
            "SELECT id, DATE_ADD(CURDATE(), INTERVAL 1 DAY) AS d, date_sub(now(), INTERVAL 2 HOUR) AS h, total % 3 AS m FROM orders",
            "select `orders`.`id` AS `id`,curdate() + interval 1 day AS `d`,current_timestamp() - interval 2 hour AS `h`,`orders`.`total` MOD 3 AS `m` from `orders`",
        ),
    ];
    for (written, stored) in cases {
        same(Dialect::Mysql, "", written, stored);
    }
    differ(
        Dialect::Mysql,
        "",
        "SELECT id FROM customers WHERE id > 1",
        "select `customers`.`id` AS `id` from `customers` where `customers`.`id` > 2",
    );
}

#[test]
fn postgresql_keeps_between_as_two_comparisons() {
    same(
        Dialect::Postgres,
        "",
        "SELECT id FROM orders WHERE total BETWEEN 1 AND 5 AND status <> 'x'",
        "SELECT orders.id FROM orders WHERE (((orders.total >= 1) AND (orders.total <= 5)) AND (orders.status <> 'x'::text))",
    );
    same(
        Dialect::Postgres,
        "",
        "SELECT id FROM orders WHERE status = 'x' AND total NOT BETWEEN 1 AND 5",
        "SELECT orders.id FROM orders WHERE ((orders.status = 'x'::text) AND ((orders.total < 1) OR (orders.total > 5)))",
    );
    differ(
        Dialect::Postgres,
        "",
        "SELECT id FROM orders WHERE total BETWEEN 1 AND 5",
        "SELECT orders.id FROM orders WHERE ((orders.total >= 1) AND (orders.total <= 6))",
    );
}

#[test]
fn mariadbs_bang_not_and_mod_operator_are_read_as_sqlparser_reads_them() {
    use crate::view::mysql_readable;
    assert_eq!(
        mysql_readable(
            "select 1 from t where !(`t`.`a` in (select 2)) and `t`.`b` MOD 3 = 1",
            Dialect::Mysql
        ),
        "select 1 from t where (NOT (`t`.`a` in (select 2))) and `t`.`b` % 3 = 1"
    );
    // A call of `mod`, `!=` and a name are left as they are; so is another dialect.
    for text in [
        "select mod(a, 2), a != 1, `mod` from t",
        "select !(a) from t",
    ] {
        assert_eq!(mysql_readable(text, Dialect::Postgres), text);
    }
    assert_eq!(
        mysql_readable("select mod(a, 2), a != 1, `mod` from t", Dialect::Mysql),
        "select mod(a, 2), a != 1, `mod` from t"
    );
}

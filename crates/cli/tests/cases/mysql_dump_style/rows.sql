INSERT INTO product (stock, shelf, `rank`, made, code, price) VALUES (5, 3, 2, 2024, 7, 9.99);
INSERT INTO tag (name) VALUES ('new'), ('old');

-- The six tables exactly as the original Flask application created them on
-- Aurora MySQL (db.create_all()): every non-key column nullable, FLOAT money,
-- no timestamps. IF NOT EXISTS: a database made by the original is adopted.
CREATE TABLE IF NOT EXISTS `user` (
  id INTEGER NOT NULL AUTO_INCREMENT,
  name VARCHAR(150),
  email VARCHAR(150),
  password VARCHAR(150),
  PRIMARY KEY (id),
  UNIQUE (email)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE IF NOT EXISTS book (
  id INTEGER NOT NULL AUTO_INCREMENT,
  title VARCHAR(150),
  author VARCHAR(100),
  description TEXT,
  price FLOAT,
  stock INTEGER,
  seller_id INTEGER,
  PRIMARY KEY (id),
  FOREIGN KEY(seller_id) REFERENCES `user` (id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE IF NOT EXISTS purchase (
  id INTEGER NOT NULL AUTO_INCREMENT,
  user_id INTEGER,
  book_id INTEGER,
  quantity INTEGER,
  total_price FLOAT,
  status VARCHAR(50),
  PRIMARY KEY (id),
  FOREIGN KEY(user_id) REFERENCES `user` (id),
  FOREIGN KEY(book_id) REFERENCES book (id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE IF NOT EXISTS payment (
  id INTEGER NOT NULL AUTO_INCREMENT,
  purchase_id INTEGER,
  amount FLOAT,
  payment_method VARCHAR(50),
  payment_status VARCHAR(50),
  PRIMARY KEY (id),
  FOREIGN KEY(purchase_id) REFERENCES purchase (id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE IF NOT EXISTS delivery_provider (
  id INTEGER NOT NULL AUTO_INCREMENT,
  name VARCHAR(100),
  coverage_area VARCHAR(150),
  cost FLOAT,
  PRIMARY KEY (id)
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE IF NOT EXISTS delivery_assignment (
  id INTEGER NOT NULL AUTO_INCREMENT,
  purchase_id INTEGER,
  provider_id INTEGER,
  PRIMARY KEY (id),
  FOREIGN KEY(purchase_id) REFERENCES purchase (id),
  FOREIGN KEY(provider_id) REFERENCES delivery_provider (id)
) DEFAULT CHARSET=utf8mb4;

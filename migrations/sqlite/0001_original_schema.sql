-- The six tables exactly as the original Flask application created them
-- (db.create_all()): every non-key column nullable, FLOAT money, no timestamps.
-- IF NOT EXISTS: a database made by the original is adopted as it is.
CREATE TABLE IF NOT EXISTS user (
  id INTEGER NOT NULL,
  name VARCHAR(150),
  email VARCHAR(150),
  password VARCHAR(150),
  PRIMARY KEY (id),
  UNIQUE (email)
);
CREATE TABLE IF NOT EXISTS book (
  id INTEGER NOT NULL,
  title VARCHAR(150),
  author VARCHAR(100),
  description TEXT,
  price FLOAT,
  stock INTEGER,
  seller_id INTEGER,
  PRIMARY KEY (id),
  FOREIGN KEY(seller_id) REFERENCES user (id)
);
CREATE TABLE IF NOT EXISTS purchase (
  id INTEGER NOT NULL,
  user_id INTEGER,
  book_id INTEGER,
  quantity INTEGER,
  total_price FLOAT,
  status VARCHAR(50),
  PRIMARY KEY (id),
  FOREIGN KEY(user_id) REFERENCES user (id),
  FOREIGN KEY(book_id) REFERENCES book (id)
);
CREATE TABLE IF NOT EXISTS payment (
  id INTEGER NOT NULL,
  purchase_id INTEGER,
  amount FLOAT,
  payment_method VARCHAR(50),
  payment_status VARCHAR(50),
  PRIMARY KEY (id),
  FOREIGN KEY(purchase_id) REFERENCES purchase (id)
);
CREATE TABLE IF NOT EXISTS delivery_provider (
  id INTEGER NOT NULL,
  name VARCHAR(100),
  coverage_area VARCHAR(150),
  cost FLOAT,
  PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS delivery_assignment (
  id INTEGER NOT NULL,
  purchase_id INTEGER,
  provider_id INTEGER,
  PRIMARY KEY (id),
  FOREIGN KEY(purchase_id) REFERENCES purchase (id),
  FOREIGN KEY(provider_id) REFERENCES delivery_provider (id)
);

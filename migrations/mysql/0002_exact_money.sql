-- FLOAT money becomes exact DECIMAL(10,2); MySQL rounds each stored value to
-- the nearest cent (12.3 -> 12.30, 19.99 stored as 19.9899997 -> 19.99).
ALTER TABLE book MODIFY price DECIMAL(10,2) NULL;
ALTER TABLE purchase MODIFY total_price DECIMAL(12,2) NULL;
ALTER TABLE payment MODIFY amount DECIMAL(12,2) NULL;
ALTER TABLE delivery_provider MODIFY cost DECIMAL(10,2) NULL;
-- Argon2id strings are longer than the original's 150-character column allows for.
ALTER TABLE `user` MODIFY password VARCHAR(255) NULL;

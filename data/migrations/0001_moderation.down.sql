-- Reverses 0001_moderation.up.sql: the catalog is left as it was before.
-- No CASCADE: anything a later migration added must be removed by its own
-- down first, and nothing else is dropped by surprise.
DROP TABLE degux_console.audit;
DROP TABLE degux_console.review;
DROP TABLE degux_console.migrations;
DROP SCHEMA degux_console;

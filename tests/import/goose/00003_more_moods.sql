-- +goose NO TRANSACTION
-- +goose Up
ALTER TYPE mood ADD VALUE 'meh';

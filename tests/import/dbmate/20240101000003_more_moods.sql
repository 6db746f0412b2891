-- migrate:up transaction:false
ALTER TYPE mood ADD VALUE 'meh';

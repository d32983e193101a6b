-- Accessible seating: a seat may be a wheelchair space (1) or a companion seat (2) paired to one wheelchair seat of its
-- row. A companion is claimed only in the same statement as its wheelchair seat (see ClaimSql.ReservedTarget).
ALTER TABLE seats ADD COLUMN accessibility smallint NOT NULL DEFAULT 0 CHECK (accessibility IN (0, 1, 2));
ALTER TABLE seats ADD COLUMN companion_of uuid;
ALTER TABLE seats ADD CONSTRAINT seats_companion_pairing CHECK ((accessibility = 2) = (companion_of IS NOT NULL));
CREATE INDEX seats_companion_of ON seats (companion_of) WHERE companion_of IS NOT NULL;

-- Media files, their encrypted bytes (bytea chunks), the versions that show them, and their
-- thumbnails. The same step as migrations/sqlite/0004 (which explains the layout).

CREATE TABLE media (
  id            text PRIMARY KEY,
  org_id        text NOT NULL REFERENCES organizations(id),
  uploaded_by   text NOT NULL REFERENCES users(id),
  credential_id text REFERENCES credentials(id) ON DELETE CASCADE,  -- NULL until attached
  filename      text NOT NULL,
  content_type  text NOT NULL,
  size          bigint NOT NULL DEFAULT 0,
  sha256        text NOT NULL DEFAULT '',
  chunk_size    integer NOT NULL,
  chunk_count   bigint NOT NULL DEFAULT 0,
  header        bytea NOT NULL,
  complete      smallint NOT NULL DEFAULT 0,
  created_at    bigint NOT NULL
);
CREATE INDEX media_unattached ON media (created_at) WHERE credential_id IS NULL;
CREATE INDEX media_by_credential ON media (credential_id) WHERE credential_id IS NOT NULL;
CREATE INDEX media_by_uploader ON media (uploaded_by);

-- Ciphertext is already random: no compression to try.
CREATE TABLE media_chunks (
  media_id text NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  seq      bigint NOT NULL,
  data     bytea NOT NULL,  -- ciphertext of one secretstream message
  PRIMARY KEY (media_id, seq)
);
ALTER TABLE media_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE TABLE version_media (
  credential_id text NOT NULL,
  version       integer NOT NULL,
  position      integer NOT NULL,
  media_id      text NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  PRIMARY KEY (credential_id, version, position),
  FOREIGN KEY (credential_id, version)
    REFERENCES credential_versions (credential_id, version) ON DELETE CASCADE
);
CREATE INDEX version_media_by_media ON version_media (media_id);

CREATE TABLE media_thumbnails (
  media_id     text PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
  content_type text NOT NULL DEFAULT '',
  header       bytea,
  data         bytea,
  error        text,
  created_at   bigint NOT NULL
);

-- Media files (photos and PDFs of credentials), their encrypted bytes, the versions that show
-- them, and their thumbnails.
--
-- The bytes never appear in plaintext: each file is one libsodium secretstream
-- (XChaCha20-Poly1305) under the server's media key. `header` is the stream's header; each row
-- of media_chunks is one message of the stream (up to chunk_size plaintext bytes, the last one
-- tagged final), in order of seq from 0.
--
-- A file is written while it arrives: the row first (complete = 0), then its chunks, then the
-- row is completed with its size and SHA-256. Only complete files are ever read. A file belongs
-- to its uploader until it is attached (credential_id set); then to that credential, whose
-- versions link it through version_media. Unattached files (complete or not) are removed after
-- 24 hours; deleting a credential deletes its files.

CREATE TABLE media (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES organizations(id),
  uploaded_by   TEXT NOT NULL REFERENCES users(id),
  credential_id TEXT REFERENCES credentials(id) ON DELETE CASCADE,  -- NULL until attached
  filename      TEXT NOT NULL,
  content_type  TEXT NOT NULL,
  size          INTEGER NOT NULL DEFAULT 0,
  sha256        TEXT NOT NULL DEFAULT '',
  chunk_size    INTEGER NOT NULL,
  chunk_count   INTEGER NOT NULL DEFAULT 0,
  header        BLOB NOT NULL,
  complete      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);
-- The cleanup of unattached uploads reads this index alone.
CREATE INDEX media_unattached ON media (created_at) WHERE credential_id IS NULL;
CREATE INDEX media_by_credential ON media (credential_id) WHERE credential_id IS NOT NULL;
CREATE INDEX media_by_uploader ON media (uploaded_by);

CREATE TABLE media_chunks (
  media_id TEXT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,
  data     BLOB NOT NULL,  -- ciphertext of one secretstream message
  PRIMARY KEY (media_id, seq)
);

-- The files a version shows, in the order given. A file may be shown by several versions of
-- its credential (a renewal may keep the photos of the version before).
CREATE TABLE version_media (
  credential_id TEXT NOT NULL,
  version       INTEGER NOT NULL,
  position      INTEGER NOT NULL,
  media_id      TEXT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  PRIMARY KEY (credential_id, version, position),
  FOREIGN KEY (credential_id, version)
    REFERENCES credential_versions (credential_id, version) ON DELETE CASCADE
);
CREATE INDEX version_media_by_media ON version_media (media_id);

-- A preview made on first request, encrypted like the file (one final message). A file that
-- cannot be previewed keeps its reason in `error` (and no data), so it is not tried again.
CREATE TABLE media_thumbnails (
  media_id     TEXT PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
  content_type TEXT NOT NULL DEFAULT '',
  header       BLOB,
  data         BLOB,
  error        TEXT,
  created_at   INTEGER NOT NULL
);

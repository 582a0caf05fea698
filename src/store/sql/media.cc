// Media files: their rows, encrypted chunks, thumbnails, and the links from versions.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "store/sql/credential_queries.h"
#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {

namespace {

// ?1 org_id, ?2 a JSON object of credential id: version. The files of those versions, with
// their credential and their position among the version's files. One seek of the links'
// primary key a credential (most versions have no files), not a lookup of the credential
// first; the object's members are read as they are (an array of pairs made SQLite parse each
// pair twice, more than the seek); no ORDER BY (ReadPageMedia sorts the few rows).
constexpr char kPageMediaJsonEach[] =
    "SELECT l.credential_id, l.position, m.id, m.filename, m.content_type, m.size"
    " FROM json_each(?2) p CROSS JOIN version_media l"
    " ON l.credential_id = p.key AND l.version = p.value"
    " JOIN media m ON m.id = l.media_id WHERE m.org_id = ?1";
constexpr char kPageMediaJsonArray[] =
    "SELECT l.credential_id, l.position, m.id, m.filename, m.content_type, m.size"
    " FROM json_each_text(?2::json) p JOIN version_media l"
    " ON l.credential_id = p.key AND l.version = p.value::int"
    " JOIN media m ON m.id = l.media_id WHERE m.org_id = ?1";

}  // namespace

const char* PageMediaSql(const Dialect& dialect) {
  return dialect.json_each ? kPageMediaJsonEach : kPageMediaJsonArray;
}

namespace {

constexpr char kInsertMedia[] =
    "INSERT INTO media (id, org_id, uploaded_by, filename, content_type, chunk_size, header, "
    "created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

constexpr char kInsertChunk[] =
    "INSERT INTO media_chunks (media_id, seq, data) VALUES (?1, ?2, ?3)";

constexpr char kCompleteMedia[] =
    "UPDATE media SET size = ?3, sha256 = ?4, chunk_count = ?5, complete = 1"
    " WHERE org_id = ?1 AND id = ?2";

// With the latest version that shows the file.
constexpr char kFindMedia[] =
    "SELECT m.id, m.org_id, m.uploaded_by, m.credential_id, m.filename, m.content_type, m.size, "
    "m.sha256,"
    " m.chunk_size, m.chunk_count, m.header, m.created_at,"
    " (SELECT MAX(l.version) FROM version_media l WHERE l.media_id = m.id)"
    " FROM media m WHERE m.org_id = ?1 AND m.id = ?2 AND m.complete = 1";

constexpr char kReadChunk[] = "SELECT data FROM media_chunks WHERE media_id = ?1 AND seq = ?2";

// Chunks, thumbnail and links go with the row (ON DELETE CASCADE).
constexpr char kDeleteMedia[] = "DELETE FROM media WHERE org_id = ?1 AND id = ?2";

constexpr char kDeleteUnattachedBefore[] =
    "DELETE FROM media WHERE credential_id IS NULL AND created_at < ?1";

constexpr char kDeleteUnlinked[] =
    "DELETE FROM media WHERE org_id = ?1 AND credential_id = ?2"
    " AND NOT EXISTS (SELECT 1 FROM version_media l WHERE l.media_id = media.id)";

constexpr char kDeleteCredentialMedia[] =
    "DELETE FROM media WHERE org_id = ?1 AND credential_id = ?2";

constexpr char kFindThumbnail[] =
    "SELECT media_id, content_type, header, data, error, created_at FROM media_thumbnails WHERE "
    "media_id = ?1";

constexpr char kSaveThumbnail[] =
    "INSERT INTO media_thumbnails (media_id, content_type, header, data, error, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (media_id) DO NOTHING";

constexpr char kDeleteVersionLinks[] =
    "DELETE FROM version_media WHERE credential_id = ?1 AND version = ?2";

constexpr char kInsertVersionLink[] =
    "INSERT INTO version_media (credential_id, version, position, media_id) VALUES (?1, ?2, ?3, "
    "?4)";

// Attaching: the file becomes the credential's (it was its uploader's, or already the
// credential's; the service checked which).
constexpr char kAttachMedia[] =
    "UPDATE media SET credential_id = ?2"
    " WHERE id = ?1 AND complete = 1 AND (credential_id IS NULL OR credential_id = ?2)"
    " AND org_id = (SELECT org_id FROM credentials WHERE id = ?2)";

constexpr char kVersionMedia[] =
    "SELECT m.id, m.filename, m.content_type, m.size FROM version_media l JOIN media m ON m.id = "
    "l.media_id"
    " WHERE l.credential_id = ?1 AND l.version = ?2 ORDER BY l.position";

// Columns as selected by kFindMedia.
MediaFile MediaFromRow(const Stmt& row) {
  MediaFile m;
  m.id = row.Text(0);
  m.org_id = row.Text(1);
  m.uploaded_by = row.Text(2);
  m.credential_id = row.Text(3);  // NULL reads as ""
  m.filename = row.Text(4);
  m.content_type = row.Text(5);
  m.size = row.Int(6);
  m.sha256 = row.Text(7);
  m.chunk_size = row.Int(8);
  m.chunk_count = row.Int(9);
  m.header = row.Blob(10);
  m.created_at = FromMillis(row.Int(11));
  m.version = static_cast<int>(row.Int(12));  // NULL reads as 0
  return m;
}

}  // namespace

Status SqlUnitOfWork::InsertMedia(const MediaFile& media) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertMedia));
  stmt.Bind(1, media.id)
      .Bind(2, media.org_id)
      .Bind(3, media.uploaded_by)
      .Bind(4, media.filename)
      .Bind(5, media.content_type)
      .Bind(6, media.chunk_size)
      .BindBlob(7, media.header)
      .Bind(8, ToMillis(media.created_at));
  return stmt.Run();
}

Status SqlUnitOfWork::InsertMediaChunk(const std::string& media_id, int64_t seq,
                                       std::string_view data) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertChunk));
  stmt.Bind(1, media_id).Bind(2, seq).BindBlob(3, data);
  Status ran = stmt.Run();
  if (!ran) {
    // The row is gone: the upload outlived the cleanup of stale uploads.
    return tl::unexpected(
        ConstraintError(conn_, ran.error(), Constraint::kForeignKey, "upload_expired",
                        "the upload took too long and was discarded; send it again"));
  }
  return Ok();
}

Status SqlUnitOfWork::CompleteMedia(const MediaFile& media) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kCompleteMedia));
  stmt.Bind(1, media.org_id)
      .Bind(2, media.id)
      .Bind(3, media.size)
      .Bind(4, media.sha256)
      .Bind(5, media.chunk_count);
  BF_RETURN_IF_ERROR(stmt.Run());
  return TouchedOne(stmt, "media");
}

Result<std::optional<MediaFile>> SqlUnitOfWork::FindMedia(const std::string& org_id,
                                                          const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindMedia));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return MediaFromRow(stmt);
}

Result<std::optional<std::string>> SqlUnitOfWork::ReadMediaChunk(const std::string& media_id,
                                                                 int64_t seq) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kReadChunk));
  stmt.Bind(1, media_id).Bind(2, seq);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return stmt.Blob(0);
}

Status SqlUnitOfWork::DeleteMedia(const std::string& org_id, const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteMedia));
  stmt.Bind(1, org_id).Bind(2, id);
  return stmt.Run();
}

Result<int64_t> SqlUnitOfWork::DeleteUnattachedMediaBefore(Timestamp created_before) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteUnattachedBefore));
  stmt.Bind(1, ToMillis(created_before));
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes();
}

Result<int64_t> SqlUnitOfWork::DeleteUnlinkedMedia(const std::string& org_id,
                                                   const std::string& credential_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteUnlinked));
  stmt.Bind(1, org_id).Bind(2, credential_id);
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes();
}

Result<std::optional<MediaThumbnail>> SqlUnitOfWork::FindMediaThumbnail(
    const std::string& media_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindThumbnail));
  stmt.Bind(1, media_id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  MediaThumbnail t;
  t.media_id = stmt.Text(0);
  t.content_type = stmt.Text(1);
  t.header = stmt.Blob(2);
  t.data = stmt.Blob(3);
  t.error = stmt.Text(4);
  t.created_at = FromMillis(stmt.Int(5));
  return t;
}

Status SqlUnitOfWork::SaveMediaThumbnail(const MediaThumbnail& t) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kSaveThumbnail));
  stmt.Bind(1, t.media_id).Bind(2, t.content_type);
  if (t.error.empty()) {
    stmt.BindBlob(3, t.header).BindBlob(4, t.data).Bind(5, std::nullopt);
  } else {
    stmt.Bind(3, std::nullopt).Bind(4, std::nullopt).Bind(5, t.error);
  }
  stmt.Bind(6, ToMillis(t.created_at));
  return stmt.Run();
}

Status SqlUnitOfWork::WriteVersionMedia(const CredentialVersion& version) {
  {
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteVersionLinks));
    stmt.Bind(1, version.credential_id).Bind(2, version.version);
    BF_RETURN_IF_ERROR(stmt.Run());
  }
  int position = 0;
  for (const MediaRef& m : version.media) {
    {
      BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kAttachMedia));
      stmt.Bind(1, m.id).Bind(2, version.credential_id);
      BF_RETURN_IF_ERROR(stmt.Run());
      if (stmt.Changes() == 0) {
        return FailField("media_ids", "unknown_media", "no uploaded media with id " + m.id);
      }
    }
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertVersionLink));
    stmt.Bind(1, version.credential_id).Bind(2, version.version).Bind(3, position++).Bind(4, m.id);
    BF_RETURN_IF_ERROR(stmt.Run());
  }
  return Ok();
}

Result<std::vector<MediaRef>> SqlUnitOfWork::ReadVersionMedia(const std::string& credential_id,
                                                              int version) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kVersionMedia));
  stmt.Bind(1, credential_id).Bind(2, version);
  std::vector<MediaRef> media;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    media.push_back(MediaRef{stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Int(3)});
  }
  return media;
}

Status SqlUnitOfWork::ReadPageMedia(const std::string& org_id, std::vector<Credential>& page) {
  std::string versions = "{";
  versions.reserve(page.size() * 44 + 2);
  for (const Credential& c : page) {
    if (versions.size() > 1) versions += ',';
    AppendJsonString(versions, c.id);
    versions += ':';
    versions += std::to_string(c.latest.version);
  }
  versions += '}';
  struct Row {
    std::string credential_id;
    int64_t position;
    MediaRef media;
  };
  std::vector<Row> rows;
  {
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(PageMediaSql(dialect_)));
    stmt.Bind(1, org_id).Bind(2, versions);
    for (;;) {
      BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      rows.push_back({stmt.Text(0), stmt.Int(1),
                      MediaRef{stmt.Text(2), stmt.Text(3), stmt.Text(4), stmt.Int(5)}});
    }
  }
  if (rows.empty()) return Ok();
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.credential_id != b.credential_id ? a.credential_id < b.credential_id
                                              : a.position < b.position;
  });
  for (Credential& c : page) {
    auto row =
        std::lower_bound(rows.begin(), rows.end(), c.id,
                         [](const Row& r, const std::string& id) { return r.credential_id < id; });
    for (; row != rows.end() && row->credential_id == c.id; ++row) {
      c.latest.media.push_back(std::move(row->media));
    }
  }
  return Ok();
}

Status SqlUnitOfWork::DeleteCredentialMedia(const std::string& org_id,
                                            const std::string& credential_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteCredentialMedia));
  stmt.Bind(1, org_id).Bind(2, credential_id);
  return stmt.Run();
}

}  // namespace bf::sql

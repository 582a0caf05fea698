// The write pass of a bulk upload on PostgreSQL (ImportRepository::StageImported…): the rows are
// kept as COPY text, sent every few megabytes with COPY … FROM STDIN into a temporary staging
// table of the transaction (ON COMMIT DROP), and written from it by one set-based statement a
// table when the pass finishes. The import's lookups run on the same connection between the
// rows, so the COPY cannot stay open across the pass: it is sent in pieces, and the tables are
// written once, at the end.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "database.h"
#include "store/import_repository.h"

namespace bf::postgres {

class ImportStaging {
 public:
  // Stages on `conn`, inside the transaction begun on it; does not own it.
  explicit ImportStaging(Connection* conn) : conn_(conn) {}

  // Keeps `v` (a new credential when v.version is 1, else the next version of one) for Finish.
  // All rows of one Finish belong to one organisation (kInternal otherwise).
  Status Add(const std::string& org_id, const ImportedVersion& v);
  // Sends what is buffered, then writes the staged rows: the new credentials, the existing ones
  // moved on to their new version (only from the version that was read, and only when not
  // archived: kConflict otherwise; kNotFound when gone), and every version row. Drops the
  // staging table, so that a later Add starts afresh. Nothing staged: nothing done.
  Status Finish();
  bool pending() const { return rows_ > 0; }

 private:
  // COPY of buffer_ into the staging table (created first when needed).
  Status Send();

  Connection* conn_;
  std::string org_id_;
  std::string buffer_;    // COPY text of rows not sent yet
  int64_t rows_ = 0;      // staged since the last Finish, sent or not
  int64_t versions_ = 0;  // of them, next versions of existing credentials
  bool table_ = false;    // the staging table exists in this transaction
};

}  // namespace bf::postgres

// The persistence interface. Services see only the store's headers; an engine (sqlite/,
// postgres/, both over the SQL written once in sql/) implements it. A UnitOfWork is one
// transaction through which every repository is reached, one interface per aggregate
// (*_repository.h); every method runs inside that unit's one transaction.
//
// Naming: Find… returns Result<std::optional<T>> (absence is normal); methods that must find
// their row return kNotFound. Every lookup of tenant data takes the organisation id, so a row of
// another organisation is simply not found.
//
// Concurrency is in the contract, not in an engine's locks: a write that must not lose to
// another writer is conditional on what the caller read (UpdateCredential and DeleteCredential
// on the revision, kPreconditionFailed when it moved on), claims are single statements
// (ClaimReminder, ClaimDigest, LeaseEmail, ClaimRequirementNotice), and uniqueness is
// recognised by the engine's error code.
#pragma once

#include <memory>

#include "core/result.h"
#include "store/activity_repository.h"
#include "store/credential_repository.h"
#include "store/credential_type_repository.h"
#include "store/group_repository.h"
#include "store/import_repository.h"
#include "store/media_repository.h"
#include "store/notification_repository.h"
#include "store/organization_repository.h"
#include "store/permission_set_repository.h"
#include "store/user_repository.h"

namespace bf {

// One transaction, through which every repository of the store is reached. Destroying it
// without Commit() rolls back everything it did. Not thread-safe: one unit belongs to one
// request at a time.
class UnitOfWork : public OrganizationRepository,
                   public PermissionSetRepository,
                   public UserRepository,
                   public CredentialTypeRepository,
                   public CredentialRepository,
                   public MediaRepository,
                   public ActivityRepository,
                   public NotificationRepository,
                   public ImportRepository,
                   public GroupRepository {
 public:
  ~UnitOfWork() override = default;
  virtual Status Commit() = 0;
};

// Ends the shared read of Store::ShareReads when destroyed.
class ReadScope {
 public:
  virtual ~ReadScope() = default;
};

class Store {
 public:
  virtual ~Store() = default;
  // Until the scope it returns is destroyed, the read units of work this thread begins on this
  // store one after another share one transaction: the first begins it, the next ones go on in
  // it (the same snapshot), and the scope ends it. A read request authenticates and answers in
  // one transaction this way (the token, the user's status and the answer from one snapshot),
  // instead of paying a transaction and a connection for each. A write unit begun inside the
  // scope ends the shared read first; a read begun while a shared unit is still alive gets a
  // transaction of its own, as outside a scope. nullptr where the engine shares nothing; a
  // scope begun inside another of the same store does nothing.
  virtual std::unique_ptr<ReadScope> ShareReads() { return nullptr; }
  // Starts a transaction. A read unit sees one consistent snapshot. A write unit may run beside
  // other write units (PostgreSQL) or after them (SQLite): what it must not lose to another
  // writer it guards with conditional statements (UpdateCredential's revision, the claims).
  virtual Result<std::unique_ptr<UnitOfWork>> Begin(bool write) = 0;
  // kUnavailable when the database cannot be reached.
  virtual Status Ping() = 0;
};

}  // namespace bf

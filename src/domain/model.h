// The entities of the foundation: plain data, no behaviour beyond what the type says.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/dates.h"
#include "domain/permissions.h"

namespace bf {

struct CredentialSettings {
  bool media_required = false;
  bool approvals_required = false;
  int expiring_soon_days = 30;
};

struct Organization {
  std::string id;
  std::string name;
  std::string timezone = "UTC";
  DateFormat date_format = DateFormat::kIso;
  CredentialSettings settings;
  Timestamp created_at;
  Timestamp updated_at;
};

enum class UserStatus { kActive, kDeactivated };

struct User {
  std::string id;
  std::string org_id;
  std::string email;  // as entered; compared case-insensitively
  std::string name;
  UserStatus status = UserStatus::kActive;
  std::string permission_set_id;
  std::string permission_set_name;  // filled on read
  Permissions permissions;          // of the permission set, filled on read
  std::string password_hash;        // empty: cannot sign in with a password
  Timestamp created_at;
  Timestamp updated_at;
};

// A signed-in browser. Only the SHA-256 of the cookie value is stored.
struct Session {
  std::string id_hash;
  std::string org_id;
  std::string user_id;
  Timestamp created_at;
  Timestamp expires_at;
};

// A script's bearer token. Only the SHA-256 of the secret is stored.
struct ApiToken {
  std::string id;
  std::string org_id;
  std::string user_id;
  std::string name;
  std::string token_hash;
  Timestamp created_at;
};

struct CredentialType {
  std::string id;
  std::string org_id;
  std::string name;
  std::string description;
  bool expires = true;
  std::optional<std::vector<int>> reminder_days;  // nullopt: the users' own lead times
  int64_t credential_count = 0;                   // filled on read
  Timestamp created_at;
  Timestamp updated_at;
};

// One changed field of an activity entry. Absent values are nullopt (JSON null).
struct Change {
  std::string field;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
};

struct Activity {
  std::string id;
  std::string org_id;
  Timestamp at;
  std::string actor_id;  // empty for the system (e.g. the command line)
  std::string actor_name;
  std::string action;  // entity.verb, e.g. "user.created"
  std::string entity;  // "user", "credential", ...
  std::string entity_id;
  std::string subject_user_id;  // the user the change concerns, if any
  std::string subject_user_name;
  std::string credential_id;  // set for credential changes
  int version = 0;            // the credential version concerned, 0 if none
  std::vector<Change> changes;
};

// An in-app notification for one user.
struct Notification {
  std::string id;
  std::string org_id;
  std::string user_id;
  std::string kind;  // expiry_reminder, expired, rejected, approved, digest
  std::string credential_id;  // empty when none
  std::string title;
  std::string body;
  Timestamp created_at;
  std::optional<Timestamp> read_at;
};

}  // namespace bf

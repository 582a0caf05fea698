// Groups, memberships, requirements, exemptions and the requirement-notice ledger
// (spec/REQUIREMENTS.md): the rows compliance is computed from. The store keeps them; the rules
// are domain/compliance.h's and the service's.
//
// Every method runs inside its unit of work's transaction and takes the organisation id, so a
// row of another organisation is simply not found. Reads that feed compliance start from one
// group's memberships or one user's and reach credentials through credentials_by_user: their
// cost grows with the group's members and requirements, never with the organisation's
// credentials.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/dates.h"
#include "core/result.h"
#include "domain/compliance.h"

namespace bf {

struct Group {
  std::string id;
  std::string org_id;
  std::string name;
  std::string description;
  Timestamp created_at;
  Timestamp updated_at;
  int64_t member_count = 0;       // filled on read
  int64_t requirement_count = 0;  // filled on read
};

struct GroupFilter {
  std::string q;   // case-insensitive substring of the name; empty: all
  int limit = 50;  // 0: every group
  // Keyset: groups ordered by (lower(name), id) strictly after this pair.
  std::optional<std::pair<std::string, std::string>> after;
};

// A member as lists and the matrix show them.
struct GroupMember {
  std::string user_id;
  std::string name;
  std::string name_key;  // lower-cased name: the ordering and the cursor
  std::string email;
  bool active = true;
  Date since;
  Timestamp added_at;
};

struct MemberFilter {
  int limit = 0;  // 0: every member
  // Keyset: members ordered by (lower(name), user id) strictly after this pair.
  std::optional<std::pair<std::string, std::string>> after;
};

// A group the user belongs to.
struct UserGroup {
  std::string group_id;
  std::string name;
  Date since;
};

struct Requirement {
  std::string id;
  std::string org_id;
  std::string group_id;
  std::vector<std::string> credential_type_ids;  // the alternatives, in the order given
  int min_days_remaining = 0;
  int grace_days = 0;
  Enforcement enforcement = Enforcement::kBlock;
  int64_t types_revision = 1;  // grows by one whenever credential_type_ids change
  Timestamp created_at;
  Timestamp updated_at;
};

struct Exemption {
  std::string id;
  std::string org_id;
  std::string requirement_id;
  std::string group_id;  // filled on read
  std::string user_id;
  std::string user_name;  // filled on read
  std::string reason;
  std::optional<Date> expires_on;  // the last exempt day, inclusive
  std::string granted_by;          // user id; "" for the system
  std::string granted_by_name;     // filled on read
  Timestamp created_at;
};

// One unarchived credential of a member, as the rules read it.
struct MemberCredential {
  std::string user_id;
  HeldCredential credential;
};

class GroupRepository {
 public:
  virtual ~GroupRepository() = default;

  // Groups. Reads fill member_count and requirement_count.
  virtual Status InsertGroup(const Group& group) = 0;  // kConflict "name_taken" if taken
  virtual Result<std::optional<Group>> FindGroup(const std::string& org_id,
                                                 const std::string& id) = 0;
  virtual Result<std::optional<Group>> FindGroupByName(const std::string& org_id,
                                                       const std::string& name) = 0;
  // Ordered by (lower(name), id).
  virtual Result<std::vector<Group>> ListGroups(const std::string& org_id,
                                                const GroupFilter& filter) = 0;
  // name, description, updated_at. kConflict "name_taken"; kNotFound without the group.
  virtual Status UpdateGroup(const Group& group) = 0;
  // Removes the group with its memberships, requirements, their exemptions and notice ledger.
  virtual Status DeleteGroup(const std::string& org_id, const std::string& id) = 0;

  // Memberships. Inserting an existing membership changes nothing and answers false (the first
  // date is kept).
  virtual Result<bool> InsertMembership(const std::string& org_id, const std::string& group_id,
                                        const std::string& user_id, Date since, Timestamp at) = 0;
  // The date the membership began, nullopt when the user is no member.
  virtual Result<std::optional<Date>> FindMembership(const std::string& org_id,
                                                     const std::string& group_id,
                                                     const std::string& user_id) = 0;
  // Removes the membership and the user's exemptions from the group's requirements. False when
  // the user was no member.
  virtual Result<bool> DeleteMembership(const std::string& org_id, const std::string& group_id,
                                        const std::string& user_id) = 0;
  // Members ordered by (lower(name), user id).
  virtual Result<std::vector<GroupMember>> ListGroupMembers(const std::string& org_id,
                                                            const std::string& group_id,
                                                            const MemberFilter& filter) = 0;
  // The user's groups, by name.
  virtual Result<std::vector<UserGroup>> ListUserGroups(const std::string& org_id,
                                                        const std::string& user_id) = 0;

  // Requirements, with their types in order.
  virtual Status InsertRequirement(const Requirement& requirement) = 0;
  virtual Result<std::optional<Requirement>> FindRequirement(const std::string& org_id,
                                                             const std::string& id) = 0;
  // A group's requirements, oldest first (the order matrix columns and results follow).
  virtual Result<std::vector<Requirement>> ListRequirements(const std::string& org_id,
                                                            const std::string& group_id) = 0;
  // Rewrites the types (when changed), day counts, enforcement, types_revision and updated_at.
  virtual Status UpdateRequirement(const Requirement& requirement) = 0;
  // Removes the requirement with its exemptions and notice ledger.
  virtual Status DeleteRequirement(const std::string& org_id, const std::string& id) = 0;
  // How many requirements name the credential type (409 type_in_use while any does).
  virtual Result<int64_t> CountRequirementsNamingType(const std::string& org_id,
                                                      const std::string& type_id) = 0;

  // Exemptions. Reads fill group_id, user_name and granted_by_name.
  virtual Status InsertExemption(const Exemption& exemption) = 0;
  virtual Result<std::optional<Exemption>> FindExemption(const std::string& org_id,
                                                         const std::string& id) = 0;
  virtual Status DeleteExemption(const std::string& org_id, const std::string& id) = 0;
  // Oldest first.
  virtual Result<std::vector<Exemption>> ListRequirementExemptions(
      const std::string& org_id, const std::string& requirement_id) = 0;
  // Every exemption from one of the group's requirements.
  virtual Result<std::vector<Exemption>> ListGroupExemptions(const std::string& org_id,
                                                             const std::string& group_id) = 0;
  // Every exemption of the user, any group.
  virtual Result<std::vector<Exemption>> ListUserExemptions(const std::string& org_id,
                                                            const std::string& user_id) = 0;

  // Credentials as compliance reads them: unarchived only, with the earlier approved version
  // filled where the latest is pending or rejected.
  // The group members' credentials of the types the group's requirements name.
  virtual Result<std::vector<MemberCredential>> ListGroupMemberCredentials(
      const std::string& org_id, const std::string& group_id) = 0;
  // One user's credentials, every type.
  virtual Result<std::vector<HeldCredential>> ListUserHeldCredentials(
      const std::string& org_id, const std::string& user_id) = 0;

  // The group's compliance revision (migrations/*/0009): it grows in the transaction of every
  // change its compliance is computed from. 0 before the first such change.
  virtual Result<int64_t> ComplianceRevision(const std::string& group_id) = 0;

  // The notice ledger: claims the notice of `requirement_id` for `user_id` at the requirement's
  // `types_revision`. False when one was claimed at that revision or a later one already.
  virtual Result<bool> ClaimRequirementNotice(const std::string& requirement_id,
                                              const std::string& user_id, int64_t types_revision,
                                              Timestamp at) = 0;
};

}  // namespace bf

// The contract of the groups, requirements and compliance routes (spec/REQUIREMENTS.md "API"),
// field for field beside group_handlers.cc's codecs, merged into the document by schemas.cc.
// `additionalProperties: false` everywhere, as there.
#include <boost/json.hpp>

#include "http/schemas.h"

namespace bf::http {
namespace {

constexpr std::string_view kGroupSchemas = R"json({
  "Group": {"type": "object", "additionalProperties": false,
    "required": ["id", "name", "description", "member_count", "requirement_count", "created_at", "updated_at"],
    "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"},
                   "description": {"type": "string"},
                   "member_count": {"type": "integer", "minimum": 0},
                   "requirement_count": {"type": "integer", "minimum": 0},
                   "created_at": {"$ref": "#/components/schemas/Timestamp"},
                   "updated_at": {"$ref": "#/components/schemas/Timestamp"}}},
  "GroupPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Group"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "MemberUser": {"type": "object", "additionalProperties": false, "required": ["id", "name", "email"],
    "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"}, "email": {"type": "string"}}},
  "Member": {"type": "object", "additionalProperties": false, "required": ["user", "status", "since"],
    "properties": {"user": {"$ref": "#/components/schemas/MemberUser"},
                   "status": {"type": "string", "enum": ["active", "deactivated"]},
                   "since": {"$ref": "#/components/schemas/Date"}}},
  "MemberPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "MembersAdded": {"type": "object", "additionalProperties": false, "required": ["added", "items"],
    "properties": {"added": {"type": "integer", "minimum": 0, "description": "Memberships that are new; a user already a member keeps the first date."},
                   "items": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}}}},
  "Enforcement": {"type": "string", "enum": ["block", "warn"]},
  "Decision": {"type": "string", "enum": ["allow", "warn", "deny"]},
  "RequirementStatus": {"type": "string", "enum": ["met", "expiring", "exempt", "in_grace", "unmet"]},
  "ComplianceReason": {"type": ["string", "null"],
    "enum": ["expires_too_soon", "pending_approval", "rejected", "expired", "missing", "inactive_user", null]},
  "Requirement": {"type": "object", "additionalProperties": false,
    "required": ["id", "group_id", "credential_type_ids", "credential_types", "min_days_remaining", "grace_days", "enforcement", "created_at", "updated_at"],
    "properties": {"id": {"$ref": "#/components/schemas/Id"}, "group_id": {"$ref": "#/components/schemas/Id"},
                   "credential_type_ids": {"type": "array", "items": {"$ref": "#/components/schemas/Id"}},
                   "credential_types": {"type": "array", "items": {"$ref": "#/components/schemas/Ref"}},
                   "min_days_remaining": {"type": "integer", "minimum": 0, "maximum": 3650},
                   "grace_days": {"type": "integer", "minimum": 0, "maximum": 365},
                   "enforcement": {"$ref": "#/components/schemas/Enforcement"},
                   "created_at": {"$ref": "#/components/schemas/Timestamp"},
                   "updated_at": {"$ref": "#/components/schemas/Timestamp"}}},
  "RequirementPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Requirement"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "Exemption": {"type": "object", "additionalProperties": false,
    "required": ["id", "requirement_id", "group_id", "user", "reason", "expires_on", "active", "granted_by", "created_at"],
    "properties": {"id": {"$ref": "#/components/schemas/Id"}, "requirement_id": {"$ref": "#/components/schemas/Id"},
                   "group_id": {"$ref": "#/components/schemas/Id"}, "user": {"$ref": "#/components/schemas/Ref"},
                   "reason": {"type": "string"}, "expires_on": {"type": ["string", "null"], "format": "date"},
                   "active": {"type": "boolean", "description": "Today is on or before expires_on (or there is none)."},
                   "granted_by": {"$ref": "#/components/schemas/RefOrNull"},
                   "created_at": {"$ref": "#/components/schemas/Timestamp"}}},
  "ExemptionPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Exemption"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "ComplianceCell": {"type": "object", "additionalProperties": false,
    "required": ["requirement_id", "status", "reason", "credential_id", "expiry_date"],
    "properties": {"requirement_id": {"$ref": "#/components/schemas/Id"},
                   "status": {"$ref": "#/components/schemas/RequirementStatus"},
                   "reason": {"$ref": "#/components/schemas/ComplianceReason"},
                   "credential_id": {"type": ["string", "null"], "format": "uuid"},
                   "expiry_date": {"type": ["string", "null"], "format": "date"}}},
  "UserRequirementResult": {"type": "object", "additionalProperties": false,
    "required": ["requirement_id", "credential_types", "enforcement", "status", "reason", "credential_id", "expiry_date", "exemption", "grace_until"],
    "properties": {"requirement_id": {"$ref": "#/components/schemas/Id"},
                   "credential_types": {"type": "array", "items": {"$ref": "#/components/schemas/Ref"}},
                   "enforcement": {"$ref": "#/components/schemas/Enforcement"},
                   "status": {"$ref": "#/components/schemas/RequirementStatus"},
                   "reason": {"$ref": "#/components/schemas/ComplianceReason"},
                   "credential_id": {"type": ["string", "null"], "format": "uuid"},
                   "expiry_date": {"type": ["string", "null"], "format": "date"},
                   "exemption": {"anyOf": [{"$ref": "#/components/schemas/Exemption"}, {"type": "null"}]},
                   "grace_until": {"type": ["string", "null"], "format": "date", "description": "The last day of grace, when in_grace."}}},
  "UserCompliance": {"type": "object", "additionalProperties": false, "required": ["user_id", "decision", "groups"],
    "properties": {"user_id": {"$ref": "#/components/schemas/Id"},
                   "decision": {"$ref": "#/components/schemas/Decision"},
                   "groups": {"type": "array", "items": {
                     "type": "object", "additionalProperties": false,
                     "required": ["group_id", "name", "member_since", "decision", "requirements"],
                     "properties": {"group_id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"},
                                    "member_since": {"$ref": "#/components/schemas/Date"},
                                    "decision": {"$ref": "#/components/schemas/Decision"},
                                    "requirements": {"type": "array", "items": {"$ref": "#/components/schemas/UserRequirementResult"}}}}}}},
  "DecisionCounts": {"type": "object", "additionalProperties": false, "required": ["allow", "warn", "deny"],
    "properties": {"allow": {"type": "integer", "minimum": 0}, "warn": {"type": "integer", "minimum": 0},
                   "deny": {"type": "integer", "minimum": 0}}},
  "ComplianceMatrix": {"type": "object", "additionalProperties": false,
    "required": ["group", "requirements", "items", "next_cursor", "counts"],
    "properties": {"group": {"$ref": "#/components/schemas/Ref"},
                   "requirements": {"type": "array", "items": {"$ref": "#/components/schemas/Requirement"}, "description": "The columns, in the group's order."},
                   "items": {"type": "array", "items": {
                     "type": "object", "additionalProperties": false, "required": ["user", "decision", "requirements"],
                     "properties": {"user": {"$ref": "#/components/schemas/MemberUser"},
                                    "decision": {"$ref": "#/components/schemas/Decision"},
                                    "requirements": {"type": "array", "items": {"$ref": "#/components/schemas/ComplianceCell"}}}}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"},
                   "counts": {"$ref": "#/components/schemas/DecisionCounts", "description": "Over every member, whatever the decision filter."}}},
  "ComplianceSummary": {"type": "object", "additionalProperties": false, "required": ["items"],
    "properties": {"items": {"type": "array", "items": {
      "type": "object", "additionalProperties": false, "required": ["group_id", "name", "members", "allow", "warn", "deny"],
      "properties": {"group_id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"},
                     "members": {"type": "integer", "minimum": 0}, "allow": {"type": "integer", "minimum": 0},
                     "warn": {"type": "integer", "minimum": 0}, "deny": {"type": "integer", "minimum": 0}}}}}},
  "ComplianceCheck": {"type": "object", "additionalProperties": false,
    "required": ["decision", "user", "group", "member", "reasons"],
    "properties": {"decision": {"$ref": "#/components/schemas/Decision"},
                   "user": {"$ref": "#/components/schemas/Ref"}, "group": {"$ref": "#/components/schemas/Ref"},
                   "member": {"type": "boolean", "description": "false: the person is not in the group, and the decision is deny."},
                   "reasons": {"type": "array", "items": {
                     "type": "object", "additionalProperties": false,
                     "required": ["requirement_id", "status", "reason", "enforcement", "credential_types", "grace_until", "expiry_date"],
                     "properties": {"requirement_id": {"$ref": "#/components/schemas/Id"},
                                    "status": {"$ref": "#/components/schemas/RequirementStatus"},
                                    "reason": {"$ref": "#/components/schemas/ComplianceReason"},
                                    "enforcement": {"$ref": "#/components/schemas/Enforcement"},
                                    "credential_types": {"type": "array", "items": {"$ref": "#/components/schemas/Ref"}},
                                    "grace_until": {"type": ["string", "null"], "format": "date"},
                                    "expiry_date": {"type": ["string", "null"], "format": "date"}}}}}},

  "GroupBody": {"type": "object", "additionalProperties": false,
    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100},
                   "description": {"type": ["string", "null"], "maxLength": 2000}}},
  "MembersBody": {"type": "object", "additionalProperties": false, "required": ["user_ids"],
    "properties": {"user_ids": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"$ref": "#/components/schemas/Id"}},
                   "since": {"$ref": "#/components/schemas/Date"}}},
  "RequirementBody": {"type": "object", "additionalProperties": false,
    "properties": {"credential_type_ids": {"type": "array", "minItems": 1, "maxItems": 10, "uniqueItems": true, "items": {"$ref": "#/components/schemas/Id"}},
                   "min_days_remaining": {"type": "integer", "minimum": 0, "maximum": 3650, "default": 0},
                   "grace_days": {"type": "integer", "minimum": 0, "maximum": 365, "default": 0},
                   "enforcement": {"$ref": "#/components/schemas/Enforcement"}}},
  "ExemptionBody": {"type": "object", "additionalProperties": false, "required": ["user_id", "reason"],
    "properties": {"user_id": {"$ref": "#/components/schemas/Id"}, "reason": {"type": "string", "minLength": 1, "maxLength": 2000},
                   "expires_on": {"type": ["string", "null"], "format": "date", "description": "The last exempt day, today or later; null or absent for none."}}},
  "CheckBody": {"type": "object", "additionalProperties": false, "required": ["group_id"],
    "properties": {"group_id": {"$ref": "#/components/schemas/Id"}, "user_id": {"$ref": "#/components/schemas/Id"},
                   "email": {"type": "string"}},
    "description": "user_id or email, not both."}
})json";

constexpr std::string_view kGroupParameters = R"json({
  "decision": {"name": "decision", "in": "query", "style": "form", "explode": false,
               "description": "A comma list of allow, warn, deny: only members with that decision.",
               "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Decision"}}}
})json";

constexpr std::string_view kGroupRequestBodies = R"json({
  "Group": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GroupBody"}}}},
  "Members": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MembersBody"}}}},
  "Requirement": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RequirementBody"}}}},
  "Exemption": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ExemptionBody"}}}},
  "Check": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CheckBody"}}}}
})json";

constexpr std::string_view kGroupResponses = R"json({
  "Group": {"description": "The group.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}},
  "GroupPage": {"description": "Groups by name.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GroupPage"}}}},
  "MemberPage": {"description": "Members by name.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MemberPage"}}}},
  "MembersAdded": {"description": "The users named, with the date each membership began.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MembersAdded"}}}},
  "Requirement": {"description": "The requirement.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Requirement"}}}},
  "RequirementPage": {"description": "The group's requirements in order (one page).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RequirementPage"}}}},
  "Exemption": {"description": "The exemption.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Exemption"}}}},
  "ExemptionPage": {"description": "The requirement's exemptions, oldest first (one page).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ExemptionPage"}}}},
  "UserCompliance": {"description": "The user's decision and each group's requirements.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserCompliance"}}}},
  "ComplianceMatrix": {"description": "A page of the matrix, with counts over every member.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ComplianceMatrix"}}}},
  "ComplianceCsv": {"description": "email, name, decision, then one column per requirement named after its types; cells status or status:reason. Streamed, formula-safe.",
                    "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
                    "content": {"text/csv": {"schema": {"type": "string"}}}},
  "ComplianceSummary": {"description": "Per group, members and their decisions.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ComplianceSummary"}}}},
  "ComplianceCheck": {"description": "The decision for that one group, with the reasons.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ComplianceCheck"}}}}
})json";

}  // namespace

boost::json::object GroupComponents() {
  return {{"schemas", boost::json::parse(kGroupSchemas).as_object()},
          {"parameters", boost::json::parse(kGroupParameters).as_object()},
          {"requestBodies", boost::json::parse(kGroupRequestBodies).as_object()},
          {"responses", boost::json::parse(kGroupResponses).as_object()}};
}

const std::vector<OperationDoc>& GroupOperationDocs() {
  // clang-format off
  static const std::vector<OperationDoc> docs = {
      {"GET", "/api/v1/groups", "listGroups", "Groups", "credentials.manage or users.manage. By name; `q` matches the name, case-insensitive.", {"q", "limit", "cursor"}, "", {{200, "GroupPage"}}},
      {"POST", "/api/v1/groups", "createGroup", "Groups", "Needs credentials.manage. 409 name_taken if the name exists (case-insensitive).", {}, "Group", {{201, "Group"}, {409, "Conflict"}, {422, "Invalid"}}},
      {"GET", "/api/v1/groups/{id}", "getGroup", "Groups", "credentials.manage or users.manage.", {}, "", {{200, "Group"}, {404, "NotFound"}}},
      {"PATCH", "/api/v1/groups/{id}", "updateGroup", "Groups", "Needs credentials.manage.", {}, "Group", {{200, "Group"}, {404, "NotFound"}, {409, "Conflict"}, {422, "Invalid"}}},
      {"DELETE", "/api/v1/groups/{id}", "deleteGroup", "Groups", "Needs credentials.manage. Removes memberships, requirements and their exemptions; the activity log keeps them.", {}, "", {{204, "NoContent"}, {404, "NotFound"}}},
      {"GET", "/api/v1/groups/{id}/members", "listGroupMembers", "Groups", "users.manage or credentials.manage. By name.", {"limit", "cursor"}, "", {{200, "MemberPage"}, {404, "NotFound"}}},
      {"POST", "/api/v1/groups/{id}/members", "addGroupMembers", "Groups", "Needs users.manage. `since` defaults to today in the organisation's zone; adding a member twice keeps the first date. 422 unknown_user for a user not of the organisation.", {}, "Members", {{200, "MembersAdded"}, {404, "NotFound"}, {422, "Invalid"}}},
      {"DELETE", "/api/v1/groups/{id}/members/{user_id}", "removeGroupMember", "Groups", "Needs users.manage. The member's exemptions in the group go too.", {}, "", {{204, "NoContent"}, {404, "NotFound"}}},
      {"GET", "/api/v1/groups/{id}/requirements", "listRequirements", "Groups", "Needs credentials.manage. In the group's order.", {}, "", {{200, "RequirementPage"}, {400, "BadRequest"}, {404, "NotFound"}}},
      {"POST", "/api/v1/groups/{id}/requirements", "createRequirement", "Groups", "Needs credentials.manage. 422 on credential_type_ids: required, too_many, unknown_type, duplicate_type; out_of_range on the day counts; invalid_enforcement.", {}, "Requirement", {{201, "Requirement"}, {404, "NotFound"}, {422, "Invalid"}}},
      {"GET", "/api/v1/groups/{id}/compliance", "getGroupCompliance", "Compliance", "credentials.manage or users.manage. One row per member by name, cursor-paged; counts over every member.", {"decision", "limit", "cursor"}, "", {{200, "ComplianceMatrix"}, {404, "NotFound"}}},
      {"GET", "/api/v1/groups/{id}/compliance.csv", "getGroupComplianceCsv", "Compliance", "credentials.manage or users.manage. The whole matrix.", {}, "", {{200, "ComplianceCsv"}, {400, "BadRequest"}, {404, "NotFound"}}},
      {"PATCH", "/api/v1/requirements/{id}", "updateRequirement", "Groups", "Needs credentials.manage. As createRequirement; fields left out keep their values.", {}, "Requirement", {{200, "Requirement"}, {404, "NotFound"}, {422, "Invalid"}}},
      {"DELETE", "/api/v1/requirements/{id}", "deleteRequirement", "Groups", "Needs credentials.manage. Its exemptions go too.", {}, "", {{204, "NoContent"}, {404, "NotFound"}}},
      {"GET", "/api/v1/requirements/{id}/exemptions", "listExemptions", "Groups", "Needs credentials.manage.", {}, "", {{200, "ExemptionPage"}, {400, "BadRequest"}, {404, "NotFound"}}},
      {"POST", "/api/v1/requirements/{id}/exemptions", "grantExemption", "Groups", "Needs credentials.manage; never for oneself (403 own_exemption). 422 not_a_member on user_id, in_past on expires_on, required/too_long on reason.", {}, "Exemption", {{201, "Exemption"}, {404, "NotFound"}, {422, "Invalid"}}},
      {"DELETE", "/api/v1/exemptions/{id}", "revokeExemption", "Groups", "Needs credentials.manage.", {}, "", {{204, "NoContent"}, {404, "NotFound"}}},
      {"GET", "/api/v1/users/{id}/compliance", "getUserCompliance", "Compliance", "The user themself, users.manage or credentials.manage. Computed on read in the organisation's zone.", {}, "", {{200, "UserCompliance"}, {400, "BadRequest"}, {404, "NotFound"}}},
      {"GET", "/api/v1/me/compliance", "getMyCompliance", "Compliance", "One's own requirements: the onboarding checklist.", {}, "", {{200, "UserCompliance"}, {400, "BadRequest"}}},
      {"GET", "/api/v1/compliance/summary", "getComplianceSummary", "Compliance", "credentials.manage or users.manage.", {}, "", {{200, "ComplianceSummary"}, {400, "BadRequest"}}},
      {"POST", "/api/v1/compliance/check", "checkCompliance", "Compliance", "credentials.manage or users.manage (a gate's API token). Writes activity compliance.checked. Unknown user or group: 404.", {}, "Check", {{200, "ComplianceCheck"}, {404, "NotFound"}, {422, "Invalid"}}},
  };
  // clang-format on
  return docs;
}

}  // namespace bf::http

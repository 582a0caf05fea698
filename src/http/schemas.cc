// The schemas are written as JSON Schema text, field for field beside what codec.cc and the
// handlers write: `additionalProperties: false` everywhere, so an answer with a field the schema
// does not name fails the API tests' validation (tests/support/http_client.cc).
#include "http/schemas.h"

#include <algorithm>

namespace bf::http {
namespace {

// JSON Schemas of the bodies (components.schemas).
constexpr std::string_view kSchemas = R"json({
  "Id": {"type": "string", "format": "uuid", "description": "An opaque id (a UUID)."},
  "Timestamp": {"type": "string", "format": "date-time",
                "description": "RFC 3339 in UTC with milliseconds, 2026-11-29T08:00:00.000Z."},
  "Date": {"type": "string", "format": "date", "description": "YYYY-MM-DD."},
  "Cursor": {"type": ["string", "null"],
             "description": "Opaque; pass it as ?cursor= for the next page. null on the last page."},
  "Ref": {"type": "object", "additionalProperties": false, "required": ["id", "name"],
          "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"}}},
  "RefOrNull": {"anyOf": [{"$ref": "#/components/schemas/Ref"}, {"type": "null"}]},
  "Permission": {"type": "string", "enum": ["users.manage", "credentials.manage", "org.manage"]},
  "Problem": {
    "type": "object", "additionalProperties": false,
    "description": "An RFC 9457 problem document. `code` names the error for machines (e.g. name_taken, not_archived, not_latest, type_in_use, invalid_parameter, unknown_parameter, invalid_cursor, invalid_limit, wrong_type, unknown_field, required, forbidden, not_found, cross_site_request, too_many_attempts).",
    "required": ["type", "title", "status", "detail", "code", "errors"],
    "properties": {
      "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
      "detail": {"type": "string"}, "code": {"type": "string"},
      "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}}}},
  "FieldError": {
    "type": "object", "additionalProperties": false, "required": ["field", "code", "message"],
    "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}},
  "Health": {"type": "object", "additionalProperties": false, "required": ["status"],
             "properties": {"status": {"type": "string", "enum": ["ok", "ready"]}}},
  "User": {
    "type": "object", "additionalProperties": false,
    "required": ["id", "email", "name", "status", "permission_set", "permissions", "created_at", "updated_at"],
    "properties": {
      "id": {"$ref": "#/components/schemas/Id"}, "email": {"type": "string", "format": "email"},
      "name": {"type": "string"}, "status": {"type": "string", "enum": ["active", "deactivated"]},
      "permission_set": {"$ref": "#/components/schemas/Ref"},
      "permissions": {"type": "array", "items": {"$ref": "#/components/schemas/Permission"}},
      "created_at": {"$ref": "#/components/schemas/Timestamp"},
      "updated_at": {"$ref": "#/components/schemas/Timestamp"}}},
  "UserPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "LoginAnswer": {"type": "object", "additionalProperties": false, "required": ["user"],
                  "properties": {"user": {"$ref": "#/components/schemas/User"}}},
  "Token": {"type": "object", "additionalProperties": false, "required": ["id", "name", "created_at"],
    "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"},
                   "created_at": {"$ref": "#/components/schemas/Timestamp"}}},
  "CreatedToken": {"type": "object", "additionalProperties": false,
    "required": ["id", "name", "created_at", "token"],
    "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"},
                   "created_at": {"$ref": "#/components/schemas/Timestamp"},
                   "token": {"type": "string", "description": "The secret, shown this once."}}},
  "TokenPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "PermissionSet": {
    "type": "object", "additionalProperties": false,
    "required": ["id", "name", "permissions", "builtin", "created_at", "updated_at"],
    "properties": {
      "id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"},
      "permissions": {"type": "array", "items": {"$ref": "#/components/schemas/Permission"}},
      "builtin": {"type": "boolean"},
      "created_at": {"$ref": "#/components/schemas/Timestamp"},
      "updated_at": {"$ref": "#/components/schemas/Timestamp"}}},
  "PermissionSetPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/PermissionSet"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "DateFormat": {"type": "string", "enum": ["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY"]},
  "Organization": {
    "type": "object", "additionalProperties": false,
    "required": ["id", "name", "timezone", "date_format", "created_at", "updated_at"],
    "properties": {
      "id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"},
      "timezone": {"type": "string", "description": "An IANA time zone, e.g. Europe/London."},
      "date_format": {"$ref": "#/components/schemas/DateFormat"},
      "created_at": {"$ref": "#/components/schemas/Timestamp"},
      "updated_at": {"$ref": "#/components/schemas/Timestamp"}}},
  "CredentialSettings": {
    "type": "object", "additionalProperties": false,
    "required": ["media_required", "approvals_required", "expiring_soon_days"],
    "properties": {"media_required": {"type": "boolean"}, "approvals_required": {"type": "boolean"},
                   "expiring_soon_days": {"type": "integer", "minimum": 0}}},
  "CredentialType": {
    "type": "object", "additionalProperties": false,
    "required": ["id", "name", "description", "expires", "reminder_days", "credential_count", "created_at", "updated_at"],
    "properties": {
      "id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"},
      "description": {"type": "string"}, "expires": {"type": "boolean"},
      "reminder_days": {"type": ["array", "null"], "items": {"type": "integer"}},
      "credential_count": {"type": "integer", "minimum": 0},
      "created_at": {"$ref": "#/components/schemas/Timestamp"},
      "updated_at": {"$ref": "#/components/schemas/Timestamp"}}},
  "CredentialTypePage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/CredentialType"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "ExpiryStatus": {"type": "string", "enum": ["valid", "expiring_soon", "expired", "no_expiry"]},
  "ApprovalStatus": {"type": "string", "enum": ["not_required", "pending", "approved", "rejected"]},
  "MediaRef": {"type": "object", "additionalProperties": false,
    "required": ["id", "filename", "content_type", "size"],
    "properties": {"id": {"$ref": "#/components/schemas/Id"}, "filename": {"type": "string"},
                   "content_type": {"type": "string"}, "size": {"type": "integer", "minimum": 0}}},
  "Credential": {
    "type": "object", "additionalProperties": false,
    "description": "A credential with its latest version.",
    "required": ["id", "user", "type", "archived", "version", "issue_date", "expiry_date", "credential_number",
                 "expiry_status", "approval_status", "rejection_reason", "compliant", "media",
                 "created_at", "created_by", "updated_at", "updated_by"],
    "properties": {
      "id": {"$ref": "#/components/schemas/Id"},
      "user": {"type": "object", "additionalProperties": false, "required": ["id", "name", "email"],
               "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"},
                              "email": {"type": "string"}}},
      "type": {"$ref": "#/components/schemas/Ref"},
      "archived": {"type": "boolean"}, "version": {"type": "integer", "minimum": 1},
      "issue_date": {"$ref": "#/components/schemas/Date"},
      "expiry_date": {"type": ["string", "null"], "format": "date"},
      "credential_number": {"type": ["string", "null"]},
      "expiry_status": {"$ref": "#/components/schemas/ExpiryStatus"},
      "approval_status": {"$ref": "#/components/schemas/ApprovalStatus"},
      "rejection_reason": {"type": ["string", "null"]},
      "compliant": {"type": "boolean", "description": "Unarchived, not expired, and approved or needing no approval."},
      "media": {"type": "array", "items": {"$ref": "#/components/schemas/MediaRef"}},
      "created_at": {"$ref": "#/components/schemas/Timestamp"},
      "created_by": {"$ref": "#/components/schemas/RefOrNull"},
      "updated_at": {"$ref": "#/components/schemas/Timestamp"},
      "updated_by": {"$ref": "#/components/schemas/RefOrNull"}}},
  "CredentialPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Credential"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "Version": {
    "type": "object", "additionalProperties": false,
    "required": ["version", "issue_date", "expiry_date", "credential_number", "media", "approval_status",
                 "rejection_reason", "approved_by", "approved_at", "created_at", "created_by", "updated_at", "updated_by"],
    "properties": {
      "version": {"type": "integer", "minimum": 1},
      "issue_date": {"$ref": "#/components/schemas/Date"},
      "expiry_date": {"type": ["string", "null"], "format": "date"},
      "credential_number": {"type": ["string", "null"]},
      "media": {"type": "array", "items": {"$ref": "#/components/schemas/MediaRef"}},
      "approval_status": {"$ref": "#/components/schemas/ApprovalStatus"},
      "rejection_reason": {"type": ["string", "null"]},
      "approved_by": {"$ref": "#/components/schemas/RefOrNull"},
      "approved_at": {"type": ["string", "null"], "format": "date-time"},
      "created_at": {"$ref": "#/components/schemas/Timestamp"},
      "created_by": {"$ref": "#/components/schemas/RefOrNull"},
      "updated_at": {"$ref": "#/components/schemas/Timestamp"},
      "updated_by": {"$ref": "#/components/schemas/RefOrNull"}}},
  "VersionPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Version"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "VersionChange": {
    "type": "object", "additionalProperties": false, "required": ["at", "actor", "field", "old", "new"],
    "properties": {
      "at": {"$ref": "#/components/schemas/Timestamp"}, "actor": {"$ref": "#/components/schemas/RefOrNull"},
      "field": {"type": "string", "enum": ["issue_date", "expiry_date", "credential_number", "media", "approval_status"]},
      "old": {"type": ["string", "null"]}, "new": {"type": ["string", "null"]}}},
  "VersionChangePage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/VersionChange"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},
  "CredentialSummary": {
    "type": "object", "additionalProperties": false,
    "required": ["total", "valid", "expiring_soon", "expired", "no_expiry", "pending_approval", "rejected", "by_type"],
    "properties": {"total": {"type": "integer"}, "valid": {"type": "integer"},
                   "expiring_soon": {"type": "integer"}, "expired": {"type": "integer"},
                   "no_expiry": {"type": "integer"}, "pending_approval": {"type": "integer"},
                   "rejected": {"type": "integer"},
                   "by_type": {"type": "array", "items": {
                     "type": "object", "additionalProperties": false,
                     "required": ["type", "total", "valid", "expiring_soon", "expired", "no_expiry", "pending_approval", "rejected"],
                     "properties": {"type": {"$ref": "#/components/schemas/Ref"},
                                    "total": {"type": "integer"}, "valid": {"type": "integer"},
                                    "expiring_soon": {"type": "integer"}, "expired": {"type": "integer"},
                                    "no_expiry": {"type": "integer"}, "pending_approval": {"type": "integer"},
                                    "rejected": {"type": "integer"}}}}}},
  "BulkAnswer": {
    "type": "object", "additionalProperties": false, "required": ["action", "succeeded", "failed", "results"],
    "properties": {
      "action": {"type": "string", "enum": ["archive", "restore", "delete", "approve"]},
      "succeeded": {"type": "integer"}, "failed": {"type": "integer"},
      "results": {"type": "array", "items": {
        "type": "object", "additionalProperties": false, "required": ["id", "status", "code", "message"],
        "description": "The status and error code the single-credential route would have answered.",
        "properties": {"id": {"type": "string"}, "status": {"type": "integer"},
                       "code": {"type": ["string", "null"]}, "message": {"type": ["string", "null"]}}}}}},
  "Media": {"type": "object", "additionalProperties": false,
    "required": ["id", "filename", "content_type", "size", "sha256"],
    "properties": {"id": {"$ref": "#/components/schemas/Id"}, "filename": {"type": "string"},
                   "content_type": {"type": "string", "enum": ["image/jpeg", "image/png", "image/heic", "image/webp", "application/pdf"]},
                   "size": {"type": "integer", "minimum": 1},
                   "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}},
  "ImportRowError": {"type": "object", "additionalProperties": false, "required": ["row", "column", "code", "message"],
    "properties": {"row": {"type": "integer"}, "column": {"type": ["string", "null"]},
                   "code": {"type": "string"}, "message": {"type": "string"}}},
  "ImportReport": {
    "type": "object", "additionalProperties": false,
    "required": ["rows", "created", "new_versions", "unchanged", "approved", "dry_run", "committed", "errors", "errors_truncated"],
    "properties": {"rows": {"type": "integer"}, "created": {"type": "integer"},
                   "new_versions": {"type": "integer"}, "unchanged": {"type": "integer"},
                   "approved": {"type": "integer"}, "dry_run": {"type": "boolean"},
                   "committed": {"type": "boolean"},
                   "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ImportRowError"}},
                   "errors_truncated": {"type": "integer", "description": "Errors found beyond those listed."}}},
  "ImportProblem": {
    "type": "object", "additionalProperties": false,
    "description": "422 of a committing import with row errors: nothing was written; the counts of ImportReport and its row errors.",
    "required": ["type", "title", "status", "detail", "code", "rows", "created", "new_versions", "unchanged",
                 "approved", "dry_run", "committed", "errors", "errors_truncated"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer", "enum": [422]},
                   "detail": {"type": "string"}, "code": {"type": "string", "enum": ["invalid_rows"]},
                   "rows": {"type": "integer"}, "created": {"type": "integer"},
                   "new_versions": {"type": "integer"}, "unchanged": {"type": "integer"},
                   "approved": {"type": "integer"}, "dry_run": {"type": "boolean"},
                   "committed": {"type": "boolean"},
                   "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ImportRowError"}},
                   "errors_truncated": {"type": "integer"}}},
  "NotificationSettings": {
    "type": "object", "additionalProperties": false,
    "required": ["email", "in_app", "expiry_reminders", "days_before", "on_expiry", "manager_digest"],
    "properties": {"email": {"type": "boolean"}, "in_app": {"type": "boolean"},
                   "expiry_reminders": {"type": "boolean"},
                   "days_before": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                   "on_expiry": {"type": "boolean"}, "manager_digest": {"type": "boolean"}}},
  "Notification": {
    "type": "object", "additionalProperties": false,
    "required": ["id", "kind", "credential_id", "title", "body", "created_at", "read_at"],
    "properties": {"id": {"$ref": "#/components/schemas/Id"},
                   "kind": {"type": "string", "enum": ["expiry_reminder", "expired", "rejected", "approved", "digest", "requirement"]},
                   "credential_id": {"type": ["string", "null"], "format": "uuid"},
                   "title": {"type": "string"}, "body": {"type": "string"},
                   "created_at": {"$ref": "#/components/schemas/Timestamp"},
                   "read_at": {"type": ["string", "null"], "format": "date-time"}}},
  "NotificationPage": {"type": "object", "additionalProperties": false,
    "required": ["items", "next_cursor", "unread_count"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Notification"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"},
                   "unread_count": {"type": "integer", "minimum": 0}}},
  "Activity": {
    "type": "object", "additionalProperties": false,
    "required": ["id", "at", "actor", "action", "entity", "entity_id", "subject_user", "credential_id", "version", "changes"],
    "properties": {
      "id": {"$ref": "#/components/schemas/Id"}, "at": {"$ref": "#/components/schemas/Timestamp"},
      "actor": {"$ref": "#/components/schemas/RefOrNull"},
      "action": {"type": "string", "description": "entity.verb, e.g. credential.approved."},
      "entity": {"type": "string"}, "entity_id": {"type": "string"},
      "subject_user": {"$ref": "#/components/schemas/RefOrNull"},
      "credential_id": {"type": ["string", "null"], "format": "uuid"},
      "version": {"type": ["integer", "null"]},
      "changes": {"type": "array", "items": {
        "type": "object", "additionalProperties": false, "required": ["field", "old", "new"],
        "properties": {"field": {"type": "string"}, "old": {"type": ["string", "null"]},
                       "new": {"type": ["string", "null"]}}}}}},
  "ActivityPage": {"type": "object", "additionalProperties": false, "required": ["items", "next_cursor"],
    "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Activity"}},
                   "next_cursor": {"$ref": "#/components/schemas/Cursor"}}},

  "LoginBody": {"type": "object", "additionalProperties": false, "required": ["email", "password"],
    "properties": {"email": {"type": "string", "minLength": 1}, "password": {"type": "string", "minLength": 1},
                   "organization_id": {"$ref": "#/components/schemas/Id"}}},
  "TokenBody": {"type": "object", "additionalProperties": false, "required": ["name"],
    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100}}},
  "PasswordBody": {"type": "object", "additionalProperties": false, "required": ["current_password", "new_password"],
    "properties": {"current_password": {"type": "string"}, "new_password": {"type": "string", "minLength": 8, "maxLength": 256}}},
  "UserCreateBody": {"type": "object", "additionalProperties": false, "required": ["email", "name", "permission_set_id"],
    "properties": {"email": {"type": "string", "format": "email", "maxLength": 254}, "name": {"type": "string", "minLength": 1, "maxLength": 100},
                   "permission_set_id": {"$ref": "#/components/schemas/Id"},
                   "password": {"type": "string", "minLength": 8, "maxLength": 256, "description": "At most 256 bytes of UTF-8. Generated when omitted."}}},
  "UserPatchBody": {"type": "object", "additionalProperties": false, "minProperties": 1,
    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100},
                   "status": {"type": "string", "enum": ["active", "deactivated"]},
                   "permission_set_id": {"$ref": "#/components/schemas/Id"}}},
  "PermissionSetBody": {"type": "object", "additionalProperties": false,
    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100},
                   "permissions": {"type": "array", "items": {"$ref": "#/components/schemas/Permission"}}}},
  "OrganizationPatchBody": {"type": "object", "additionalProperties": false,
    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100},
                   "timezone": {"type": "string", "description": "An IANA zone; an unknown one is 422."},
                   "date_format": {"$ref": "#/components/schemas/DateFormat"}}},
  "CredentialSettingsPatchBody": {"type": "object", "additionalProperties": false,
    "properties": {"media_required": {"type": "boolean"}, "approvals_required": {"type": "boolean"},
                   "expiring_soon_days": {"type": "integer", "minimum": 0, "maximum": 3650}}},
  "CredentialTypeBody": {"type": "object", "additionalProperties": false,
    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 100},
                   "description": {"type": ["string", "null"], "maxLength": 2000}, "expires": {"type": "boolean"},
                   "reminder_days": {"type": ["array", "null"], "maxItems": 10, "items": {"type": "integer", "minimum": 0, "maximum": 3650}}}},
  "CredentialCreateBody": {"type": "object", "additionalProperties": false, "required": ["type_id", "issue_date"],
    "properties": {"user_id": {"$ref": "#/components/schemas/Id"}, "type_id": {"$ref": "#/components/schemas/Id"},
                   "issue_date": {"$ref": "#/components/schemas/Date"},
                   "expiry_date": {"$ref": "#/components/schemas/ExpiryDateInput"},
                   "credential_number": {"type": ["string", "null"], "maxLength": 100},
                   "media_ids": {"type": "array", "items": {"$ref": "#/components/schemas/Id"}}}},
  "VersionBody": {"type": "object", "additionalProperties": false,
    "properties": {"issue_date": {"$ref": "#/components/schemas/Date"},
                   "expiry_date": {"$ref": "#/components/schemas/ExpiryDateInput"},
                   "credential_number": {"type": ["string", "null"], "maxLength": 100},
                   "media_ids": {"type": "array", "items": {"$ref": "#/components/schemas/Id"},
                                 "description": "The full new list."}}},
  "ExpiryDateInput": {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}, {"type": "null"}],
                      "description": "YYYY-MM-DD, not before issue_date (422 expiry_before_issue); null or \"\" for none."},
  "RejectBody": {"type": "object", "additionalProperties": false, "required": ["reason"],
    "properties": {"reason": {"type": "string", "minLength": 1}}},
  "EmptyBody": {"type": "object", "additionalProperties": false, "maxProperties": 0},
  "BulkBody": {"type": "object", "additionalProperties": false, "required": ["action", "ids"],
    "properties": {"action": {"type": "string", "enum": ["archive", "restore", "delete", "approve"]},
                   "ids": {"type": "array", "items": {"type": "string"}}}},
  "NotificationSettingsBody": {"type": "object", "additionalProperties": false,
    "description": "PUT replaces: every field is required (422 required naming each one left out).",
    "required": ["email", "in_app", "expiry_reminders", "days_before", "on_expiry", "manager_digest"],
    "properties": {"email": {"type": "boolean"}, "in_app": {"type": "boolean"},
                   "expiry_reminders": {"type": "boolean"},
                   "days_before": {"type": "array", "maxItems": 10, "items": {"type": "integer", "minimum": 0, "maximum": 3650}},
                   "on_expiry": {"type": "boolean"}, "manager_digest": {"type": "boolean"}}},
  "Upload": {"type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}}}
})json";

// Query and header parameters (components.parameters).
constexpr std::string_view kParameters = R"json({
  "limit": {"name": "limit", "in": "query", "description": "Items a page, 1–200 (400 invalid_limit otherwise).",
            "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
  "cursor": {"name": "cursor", "in": "query", "description": "The next_cursor of the previous page (400 invalid_cursor when not one this server gave).",
             "schema": {"type": "string"}},
  "q": {"name": "q", "in": "query", "description": "Matches name (and email for users), case-insensitive.",
        "schema": {"type": "string"}},
  "userStatus": {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["active", "deactivated"]}},
  "permissionSetId": {"name": "permission_set_id", "in": "query", "schema": {"type": "string", "format": "uuid"}},
  "userId": {"name": "user_id", "in": "query", "description": "Only this user's (400 invalid_parameter when not an id).",
             "schema": {"type": "string", "format": "uuid"}},
  "typeId": {"name": "type_id", "in": "query", "schema": {"type": "string", "format": "uuid"}},
  "expiryStatus": {"name": "expiry_status", "in": "query", "style": "form", "explode": false,
                   "description": "A comma list of valid, expiring_soon, expired, no_expiry.",
                   "schema": {"type": "array", "items": {"$ref": "#/components/schemas/ExpiryStatus"}}},
  "approvalStatus": {"name": "approval_status", "in": "query", "style": "form", "explode": false,
                     "description": "A comma list of not_required, pending, approved, rejected.",
                     "schema": {"type": "array", "items": {"$ref": "#/components/schemas/ApprovalStatus"}}},
  "archived": {"name": "archived", "in": "query", "schema": {"type": "string", "enum": ["false", "true", "all"], "default": "false"}},
  "expiringBefore": {"name": "expiring_before", "in": "query", "schema": {"type": "string", "format": "date"}},
  "credentialSort": {"name": "sort", "in": "query",
                     "schema": {"type": "string", "enum": ["expiry_date", "-expiry_date", "updated_at", "-updated_at", "user_name"]}},
  "unread": {"name": "unread", "in": "query", "description": "Only unread notifications.",
             "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}},
  "actorId": {"name": "actor_id", "in": "query", "schema": {"type": "string", "format": "uuid"}},
  "credentialId": {"name": "credential_id", "in": "query", "schema": {"type": "string", "format": "uuid"}},
  "action": {"name": "action", "in": "query", "description": "An action name, e.g. credential.approved.",
             "schema": {"type": "string"}},
  "since": {"name": "since", "in": "query", "description": "From this RFC 3339 time or date on.",
            "schema": {"type": "string"}},
  "until": {"name": "until", "in": "query", "description": "Before this RFC 3339 time or date.",
            "schema": {"type": "string"}},
  "dryRun": {"name": "dry_run", "in": "query", "description": "Check every row and write nothing; answers 200 whatever it found.",
             "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}},
  "approve": {"name": "approve", "in": "query", "description": "Approve every imported version.",
              "schema": {"type": "string", "enum": ["true", "false"], "default": "false"}},
  "dateFormat": {"name": "date_format", "in": "query", "description": "The dates' format in the file; the organisation's by default.",
                 "schema": {"$ref": "#/components/schemas/DateFormat"}},
  "importFormat": {"name": "format", "in": "query", "description": "csv: the rows back with an import_errors column.",
                   "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}},
  "filename": {"name": "filename", "in": "query", "description": "The file's name, for a raw-body upload.",
               "schema": {"type": "string"}},
  "download": {"name": "download", "in": "query", "description": "Content-Disposition attachment instead of inline.",
               "schema": {"type": "string", "enum": ["true", "false", "1", "0"]}},
  "ifMatch": {"name": "If-Match", "in": "header", "description": "The ETag last read: the change is made only if the credential is unchanged since (412 otherwise).",
              "schema": {"type": "string"}},
  "range": {"name": "Range", "in": "header", "description": "One byte range, bytes=START-END.",
            "schema": {"type": "string"}},
  "ifNoneMatch": {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}
})json";

// Request bodies (components.requestBodies).
constexpr std::string_view kRequestBodies = R"json({
  "Login": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LoginBody"}}}},
  "Token": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenBody"}}}},
  "Password": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PasswordBody"}}}},
  "UserCreate": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserCreateBody"}}}},
  "UserPatch": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserPatchBody"}}}},
  "PermissionSet": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PermissionSetBody"}}}},
  "OrganizationPatch": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrganizationPatchBody"}}}},
  "CredentialSettingsPatch": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CredentialSettingsPatchBody"}}}},
  "CredentialType": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CredentialTypeBody"}}}},
  "CredentialCreate": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CredentialCreateBody"}}}},
  "Version": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VersionBody"}}}},
  "Reject": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RejectBody"}}}},
  "Empty": {"required": false, "description": "No body, or an empty JSON object.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EmptyBody"}}}},
  "Bulk": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BulkBody"}}}},
  "NotificationSettings": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotificationSettingsBody"}}}},
  "Media": {"required": true,
    "description": "The file as multipart/form-data field `file` (curl -F file=@x.pdf), or as the raw body with its Content-Type and ?filename=. The content decides the format, whatever the name says.",
    "content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Upload"}},
                "image/jpeg": {"schema": {"type": "string", "contentMediaType": "image/jpeg"}},
                "image/png": {"schema": {"type": "string", "contentMediaType": "image/png"}},
                "image/heic": {"schema": {"type": "string", "contentMediaType": "image/heic"}},
                "image/webp": {"schema": {"type": "string", "contentMediaType": "image/webp"}},
                "application/pdf": {"schema": {"type": "string", "contentMediaType": "application/pdf"}}}},
  "Import": {"required": true, "description": "The CSV of CSV.md, as text/csv or multipart field `file`.",
    "content": {"text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {"schema": {"$ref": "#/components/schemas/Upload"}}}}
})json";

// Responses (components.responses): the problem ones by status, then the answers.
constexpr std::string_view kResponses = R"json({
  "BadRequest": {"description": "Malformed: bad JSON, wrong types, unknown fields, an unknown query parameter or value.",
                 "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "Unauthorized": {"description": "Not signed in, or a bad or expired session or token.",
                   "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
                   "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "Forbidden": {"description": "Signed in but not allowed; or a state-changing request with the session cookie from another site (code cross_site_request).",
                "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "NotFound": {"description": "Does not exist, or belongs to another organisation.",
               "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "Conflict": {"description": "Conflicts with the current state.",
               "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "PreconditionFailed": {"description": "If-Match was given and the resource changed since.",
                         "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "TooLarge": {"description": "The body or file is too large.",
               "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "UnsupportedMediaType": {"description": "An unsupported content type or media format.",
                           "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "RangeNotSatisfiable": {"description": "The range lies outside the file.",
                          "headers": {"Content-Range": {"schema": {"type": "string"}}},
                          "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "Invalid": {"description": "Well-formed but invalid values; `errors` names each field.",
              "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "ThumbnailUnavailable": {"description": "No preview can be made of this file (code thumbnail_unavailable), or decoding it would pass the limits on size, pages, memory or time (media_too_complex); the file itself is kept.",
                           "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "HeaderTooLarge": {"description": "The request header is larger than 16 KiB.",
                     "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "TooManyRequests": {"description": "Too many sign-in attempts; try again later.",
                      "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "Busy": {"description": "Too many passwords are being checked at once (code server_busy), or the database is busy (database_busy); retry after the given seconds.",
           "headers": {"Retry-After": {"schema": {"type": "integer"}}},
           "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "MetricsUnauthorized": {"description": "With --metrics-token-file, any request without that bearer token.",
                          "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "MetricsElsewhere": {"description": "With --metrics-listen, /metrics is served on that listener only.",
                       "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "Unavailable": {"description": "The database is not reachable.",
                  "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
  "NoContent": {"description": "Done; no body."},
  "Health": {"description": "Up.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
  "Metrics": {"description": "Prometheus text format.", "content": {"text/plain": {"schema": {"type": "string"}}}},
  "ApiReference": {"description": "An HTML page.", "content": {"text/html": {"schema": {"type": "string"}}}},
  "OpenApi": {"description": "This document.", "headers": {"ETag": {"schema": {"type": "string"}}},
              "content": {"application/json": {"schema": {"type": "object"}}}},
  "Login": {"description": "Signed in.",
            "headers": {"Set-Cookie": {"description": "The session cookie: HttpOnly, SameSite=Lax, Secure behind TLS.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LoginAnswer"}}}},
  "Logout": {"description": "The session has ended server-side.",
             "headers": {"Set-Cookie": {"description": "Clears the session cookie.", "schema": {"type": "string"}}}},
  "User": {"description": "The user.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
  "UserPage": {"description": "A page of users.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserPage"}}}},
  "Token": {"description": "The token; `token` is shown this once.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedToken"}}}},
  "TokenPage": {"description": "One's tokens, without secrets.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TokenPage"}}}},
  "PermissionSet": {"description": "The permission set.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PermissionSet"}}}},
  "PermissionSetPage": {"description": "Every permission set.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PermissionSetPage"}}}},
  "Organization": {"description": "The organisation.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Organization"}}}},
  "CredentialSettings": {"description": "The credential settings.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CredentialSettings"}}}},
  "CredentialType": {"description": "The credential type.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CredentialType"}}}},
  "CredentialTypePage": {"description": "Credential types, sorted by name.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CredentialTypePage"}}}},
  "Credential": {"description": "The credential with its latest version.",
                 "headers": {"ETag": {"description": "Send it back as If-Match to make a change conditional.", "schema": {"type": "string"}}},
                 "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Credential"}}}},
  "CredentialPage": {"description": "A page of credentials.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CredentialPage"}}}},
  "CredentialSummary": {"description": "Counts over unarchived credentials.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CredentialSummary"}}}},
  "BulkAnswer": {"description": "One result per id.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BulkAnswer"}}}},
  "VersionPage": {"description": "Every version, newest first.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VersionPage"}}}},
  "VersionChangePage": {"description": "The version's changes.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VersionChangePage"}}}},
  "CredentialsCsv": {"description": "The columns of CSV.md, streamed.",
                     "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
                     "content": {"text/csv": {"schema": {"type": "string"}}}},
  "ActivityCsv": {"description": "The activity log as CSV, streamed.",
                  "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
                  "content": {"text/csv": {"schema": {"type": "string"}}}},
  "ImportTemplate": {"description": "The header row and one example row.", "content": {"text/csv": {"schema": {"type": "string"}}}},
  "ImportReport": {"description": "The import's report (format=json), or the rows back with an import_errors column (format=csv, with the counts in X-Import-* headers).",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ImportReport"}},
                               "text/csv": {"schema": {"type": "string"}}}},
  "ImportInvalid": {"description": "A committing import found row errors and wrote nothing; or a value is invalid.",
                    "content": {"application/problem+json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/ImportProblem"}, {"$ref": "#/components/schemas/Problem"}]}},
                                "text/csv": {"schema": {"type": "string"}}}},
  "Media": {"description": "Stored.", "headers": {"Location": {"description": "The file's URL.", "schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Media"}}}},
  "MediaBytes": {"description": "The bytes, with Content-Type, Content-Disposition, Content-Length and ETag.",
                 "headers": {"ETag": {"schema": {"type": "string"}}, "Content-Disposition": {"schema": {"type": "string"}},
                             "Accept-Ranges": {"schema": {"type": "string"}}},
                 "content": {"application/octet-stream": {"schema": {"type": "string"}}}},
  "MediaPart": {"description": "The range asked for.",
                "headers": {"Content-Range": {"schema": {"type": "string"}}, "ETag": {"schema": {"type": "string"}}},
                "content": {"application/octet-stream": {"schema": {"type": "string"}}}},
  "NotModified": {"description": "Unchanged since the ETag given in If-None-Match.",
                  "headers": {"ETag": {"schema": {"type": "string"}}}},
  "Thumbnail": {"description": "A small JPEG or PNG preview (the first page of a PDF).",
                "content": {"image/jpeg": {"schema": {"type": "string"}}, "image/png": {"schema": {"type": "string"}}}},
  "NotificationSettings": {"description": "The notification settings.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotificationSettings"}}}},
  "NotificationPage": {"description": "A page of notifications, newest first.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotificationPage"}}}},
  "ActivityPage": {"description": "A page of the activity log, newest first.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActivityPage"}}}}
})json";

boost::json::object ParseObject(std::string_view text) {
  return boost::json::parse(text).as_object();
}

// The problem `code`s a response can carry where they are a fixed set, from the code that
// makes them (core/result.h's NotFound and Forbidden, the router's authentication and
// same-origin checks, the services' Fail calls): each such response's schema is Problem with
// `code` as this enum, so an API test that meets another code fails (the client's check).
struct ProblemCodes {
  std::string_view response;  // a name in components.responses
  std::string_view schema;    // the schema made for it in components.schemas
  std::vector<std::string_view> codes;
  // The `errors[].code`s, where the status names fields (400 and 422); empty for the others.
  std::vector<std::string_view> field_codes = {};
};

// The codes a 422 names its fields with (domain/validation.cc, the services' FailField calls,
// the handlers' own checks). A 422's own `code` is its first field's, or `required` for a PUT
// that leaves fields out. OpenApiTest.EveryProblemCodeInTheSourceIsDocumented finds each code
// the source can answer with in these lists.
const std::vector<std::string_view> kInvalidCodes = {
    "required", "too_long", "too_short", "too_many", "too_common", "same_as_email",
    "out_of_range", "duplicate", "invalid_email", "invalid_date", "invalid_characters",
    "invalid_status", "invalid_action", "invalid_enforcement", "expiry_required",
    "expiry_not_allowed", "expiry_before_issue", "in_past", "not_both", "not_allowed",
    "not_a_member", "unknown_user", "unknown_type", "duplicate_type", "unknown_media",
    "duplicate_media", "media_required", "unknown_timezone", "unknown_permission",
    "unknown_permission_set", "inactive_user", "cannot_deactivate_self", "wrong_password",
    "too_many_files", "empty_file", "truncated_file", "corrupt_file", "file_too_large",
    "range_not_satisfiable", "invalid_date_format"};

const std::vector<ProblemCodes>& FixedProblemCodes() {
  static const std::vector<ProblemCodes> table = {
      {"Unauthorized", "UnauthorizedProblem", {"unauthenticated", "invalid_credentials"}},
      {"Forbidden",
       "ForbiddenProblem",
       {"forbidden", "cross_site_request", "own_credential", "own_exemption",
        "permission_escalation"}},
      {"BadRequest",
       "BadRequestProblem",
       {"bad_request", "invalid_parameter", "unknown_parameter", "invalid_cursor", "invalid_limit",
        "malformed_multipart", "invalid_boundary", "missing_boundary", "unterminated_multipart"},
       {"unknown_field", "wrong_type", "unknown_parameter", "invalid_parameter"}},
      {"Invalid", "InvalidProblem", kInvalidCodes, kInvalidCodes},
      {"ThumbnailUnavailable", "ThumbnailUnavailableProblem",
       {"thumbnail_unavailable", "media_too_complex"}},
      {"NotFound", "NotFoundProblem", {"not_found"}},
      // Every operation's 409 codes together (each operation's description names its own);
      // `conflict` is a uniqueness the store caught that no check before it did.
      {"Conflict",
       "ConflictProblem",
       {"name_taken", "email_taken", "type_in_use", "in_use", "builtin", "last_administrator",
        "not_archived", "already_archived", "archived", "not_latest", "not_pending",
        "organization_required", "upload_expired", "conflict"}},
      {"PreconditionFailed", "PreconditionFailedProblem", {"precondition_failed"}},
      {"TooManyRequests", "TooManyRequestsProblem", {"too_many_attempts"}},
  };
  return table;
}

}  // namespace

boost::json::object Components() {
  boost::json::object schemas = ParseObject(kSchemas);
  boost::json::object responses = ParseObject(kResponses);
  boost::json::object parameters = ParseObject(kParameters);
  boost::json::object request_bodies = ParseObject(kRequestBodies);
  for (const auto& [kind, entries] : GroupComponents()) {
    boost::json::object& target = kind == "schemas"      ? schemas
                                  : kind == "responses"  ? responses
                                  : kind == "parameters" ? parameters
                                                         : request_bodies;
    for (const auto& [name, value] : entries.as_object()) target[name] = value;
  }
  for (const ProblemCodes& fixed : FixedProblemCodes()) {
    boost::json::object schema = schemas.at("Problem").as_object();
    boost::json::array codes;
    for (std::string_view code : fixed.codes) codes.emplace_back(code);
    schema["properties"].as_object()["code"] = {{"type", "string"}, {"enum", std::move(codes)}};
    if (!fixed.field_codes.empty()) {
      boost::json::object field_error = schemas.at("FieldError").as_object();
      boost::json::array field_codes;
      for (std::string_view code : fixed.field_codes) field_codes.emplace_back(code);
      field_error["properties"].as_object()["code"] = {{"type", "string"},
                                                       {"enum", std::move(field_codes)}};
      std::string name = std::string(fixed.schema) + "FieldError";
      schemas[name] = std::move(field_error);
      schema["properties"].as_object()["errors"] = {
          {"type", "array"}, {"items", {{"$ref", "#/components/schemas/" + name}}}};
    }
    schemas[fixed.schema] = std::move(schema);
    responses.at(fixed.response)
        .at("content")
        .at("application/problem+json")
        .as_object()["schema"] = {{"$ref", "#/components/schemas/" + std::string(fixed.schema)}};
  }
  return {{"schemas", std::move(schemas)},
          {"parameters", std::move(parameters)},
          {"requestBodies", std::move(request_bodies)},
          {"responses", std::move(responses)}};
}

const std::vector<OperationDoc>& OperationDocs() {
  // One operation a line: every status it answers besides 401 and 403 (signed-in routes), 400
  // (routes with a body or query parameters), 413 and 415 (routes with a body) and 431 (every
  // route), which the generator adds (http/openapi.cc).
  // clang-format off
  static const std::vector<OperationDoc> docs = {
      {"GET", "/healthz", "getHealth", "Operations", "The process is up.", {}, "", {{200, "Health"}}},
      {"GET", "/readyz", "getReadiness", "Operations", "The database is reachable.", {}, "", {{200, "Health"}, {503, "Unavailable"}}},
      {"GET", "/metrics", "getMetrics", "Operations", "Prometheus text format: requests by route and status, latencies, queue depths, reminders sent.", {}, "", {{200, "Metrics"}, {400, "BadRequest"}, {401, "MetricsUnauthorized"}, {404, "MetricsElsewhere"}}},
      {"GET", "/api/v1/openapi.json", "getOpenApiDocument", "Operations", "This OpenAPI 3.1 document, generated from the route table and the codecs' schemas.", {}, "", {{200, "OpenApi"}}},
      {"GET", "/api/docs", "getApiReference", "Operations", "The API reference: a page (Redoc, served by this binary with no other origin) that renders this document.", {}, "", {{200, "ApiReference"}}},

      {"POST", "/api/v1/auth/login", "login", "Authentication", "Answers 401 on bad credentials without saying which part was wrong. With `organization_id` omitted, the email may belong to one organisation only (409 organization_required otherwise).", {}, "Login", {{200, "Login"}, {401, "Unauthorized"}, {409, "Conflict"}, {403, "Forbidden"}, {422, "Invalid"}, {429, "TooManyRequests"}, {503, "Busy"}}},
      {"POST", "/api/v1/auth/logout", "logout", "Authentication", "The session ends server-side.", {}, "", {{204, "Logout"}}},
      {"GET", "/api/v1/me", "getMe", "Authentication", "The signed-in user with `permissions`.", {}, "", {{200, "User"}}},
      {"GET", "/api/v1/me/tokens", "listTokens", "Authentication", "One's API tokens, without secrets.", {}, "", {{200, "TokenPage"}}},
      {"POST", "/api/v1/me/tokens", "createToken", "Authentication", "The token is shown this once and stored only as a hash. Scripts send `Authorization: Bearer <token>`.", {}, "Token", {{201, "Token"}, {422, "Invalid"}}},
      {"DELETE", "/api/v1/me/tokens/{id}", "revokeToken", "Authentication", "", {}, "", {{204, "NoContent"}, {404, "NotFound"}}},
      {"POST", "/api/v1/me/password", "changePassword", "Authentication", "", {}, "Password", {{204, "NoContent"}, {422, "Invalid"}, {503, "Busy"}}},

      {"GET", "/api/v1/users", "listUsers", "Users", "Needs users.manage or credentials.manage. `q` matches name or email, case-insensitive.", {"q", "userStatus", "permissionSetId", "limit", "cursor"}, "", {{200, "UserPage"}}},
      {"POST", "/api/v1/users", "createUser", "Users", "Needs users.manage. 409 email_taken if the email is taken.", {}, "UserCreate", {{201, "User"}, {409, "Conflict"}, {422, "Invalid"}, {503, "Busy"}}},
      {"GET", "/api/v1/users/{id}", "getUser", "Users", "Self, users.manage or credentials.manage.", {}, "", {{200, "User"}, {404, "NotFound"}}},
      {"PATCH", "/api/v1/users/{id}", "updateUser", "Users", "users.manage (self: `name` only). Deactivating ends the user's sessions and tokens; 409 for the last administrator.", {}, "UserPatch", {{200, "User"}, {404, "NotFound"}, {409, "Conflict"}, {422, "Invalid"}}},
      {"GET", "/api/v1/permission-sets", "listPermissionSets", "Permission sets", "", {}, "", {{200, "PermissionSetPage"}}},
      {"POST", "/api/v1/permission-sets", "createPermissionSet", "Permission sets", "Needs org.manage.", {}, "PermissionSet", {{201, "PermissionSet"}, {409, "Conflict"}, {422, "Invalid"}}},
      {"PATCH", "/api/v1/permission-sets/{id}", "updatePermissionSet", "Permission sets", "Needs org.manage; built-ins cannot be changed.", {}, "PermissionSet", {{200, "PermissionSet"}, {404, "NotFound"}, {409, "Conflict"}, {422, "Invalid"}}},
      {"DELETE", "/api/v1/permission-sets/{id}", "deletePermissionSet", "Permission sets", "Needs org.manage; built-ins and sets in use cannot be deleted.", {}, "", {{204, "NoContent"}, {404, "NotFound"}, {409, "Conflict"}}},

      {"GET", "/api/v1/organization", "getOrganization", "Organisation", "", {}, "", {{200, "Organization"}}},
      {"PATCH", "/api/v1/organization", "updateOrganization", "Organisation", "Needs org.manage; an unknown IANA zone is 422.", {}, "OrganizationPatch", {{200, "Organization"}, {422, "Invalid"}}},
      {"GET", "/api/v1/settings/credentials", "getCredentialSettings", "Organisation", "", {}, "", {{200, "CredentialSettings"}}},
      {"PATCH", "/api/v1/settings/credentials", "updateCredentialSettings", "Organisation", "Needs credentials.manage.", {}, "CredentialSettingsPatch", {{200, "CredentialSettings"}, {422, "Invalid"}}},

      {"GET", "/api/v1/credential-types", "listCredentialTypes", "Credential types", "Sorted by name.", {"q", "limit", "cursor"}, "", {{200, "CredentialTypePage"}}},
      {"POST", "/api/v1/credential-types", "createCredentialType", "Credential types", "Needs credentials.manage. 409 name_taken if the name exists (case-insensitive).", {}, "CredentialType", {{201, "CredentialType"}, {409, "Conflict"}, {422, "Invalid"}}},
      {"GET", "/api/v1/credential-types/{id}", "getCredentialType", "Credential types", "", {}, "", {{200, "CredentialType"}, {404, "NotFound"}}},
      {"PATCH", "/api/v1/credential-types/{id}", "updateCredentialType", "Credential types", "Needs credentials.manage: rename, description, `expires`, `reminder_days`.", {}, "CredentialType", {{200, "CredentialType"}, {404, "NotFound"}, {409, "Conflict"}, {422, "Invalid"}}},
      {"DELETE", "/api/v1/credential-types/{id}", "deleteCredentialType", "Credential types", "Needs credentials.manage. 409 type_in_use while any credential uses it.", {}, "", {{204, "NoContent"}, {404, "NotFound"}, {409, "Conflict"}}},

      {"GET", "/api/v1/credentials", "listCredentials", "Credentials", "One's own always; others' with users.manage or credentials.manage.", {"userId", "typeId", "expiryStatus", "approvalStatus", "archived", "expiringBefore", "q", "credentialSort", "limit", "cursor"}, "", {{200, "CredentialPage"}}},
      {"POST", "/api/v1/credentials", "createCredential", "Credentials", "Self (`user_id` omitted or one's own), users.manage for others. Version 1.", {}, "CredentialCreate", {{201, "Credential"}, {404, "NotFound"}, {422, "Invalid"}}},
      {"GET", "/api/v1/credentials/summary", "getCredentialSummary", "Credentials", "Needs credentials.manage. Counts by status and type over unarchived credentials.", {}, "", {{200, "CredentialSummary"}}},
      {"POST", "/api/v1/credentials/bulk", "bulkCredentials", "Credentials", "Each id is checked as its single route would; one result per id.", {}, "Bulk", {{200, "BulkAnswer"}, {422, "Invalid"}}},
      {"GET", "/api/v1/credentials/export.csv", "exportCredentialsCsv", "Import and export", "Needs credentials.manage. The filters and sort of listCredentials; the columns of CSV.md; streamed.", {"userId", "typeId", "expiryStatus", "approvalStatus", "archived", "expiringBefore", "q", "credentialSort"}, "", {{200, "CredentialsCsv"}}},
      {"GET", "/api/v1/credentials/{id}", "getCredential", "Credentials", "Holder, users.manage or credentials.manage.", {}, "", {{200, "Credential"}, {404, "NotFound"}}},
      {"DELETE", "/api/v1/credentials/{id}", "deleteCredential", "Credentials", "Archived only (409 not_archived); irreversible.", {"ifMatch"}, "", {{204, "NoContent"}, {404, "NotFound"}, {409, "Conflict"}, {412, "PreconditionFailed"}}},
      {"GET", "/api/v1/credentials/{id}/versions", "listCredentialVersions", "Credentials", "Every version, newest first (the history).", {}, "", {{200, "VersionPage"}, {404, "NotFound"}}},
      {"POST", "/api/v1/credentials/{id}/versions", "addCredentialVersion", "Credentials", "A renewal: holder or users.manage.", {"ifMatch"}, "Version", {{201, "Credential"}, {404, "NotFound"}, {409, "Conflict"}, {412, "PreconditionFailed"}, {422, "Invalid"}}},
      {"PATCH", "/api/v1/credentials/{id}/versions/{n}", "editCredentialVersion", "Credentials", "The latest version only (409 not_latest otherwise); `media_ids` is the full new list.", {"ifMatch"}, "Version", {{200, "Credential"}, {404, "NotFound"}, {409, "Conflict"}, {412, "PreconditionFailed"}, {422, "Invalid"}}},
      {"GET", "/api/v1/credentials/{id}/versions/{n}/activity", "listCredentialVersionActivity", "Credentials", "The changes of that version.", {}, "", {{200, "VersionChangePage"}, {404, "NotFound"}}},
      {"POST", "/api/v1/credentials/{id}/approve", "approveCredential", "Credentials", "credentials.manage, not the holder. The latest version must be pending, else 409.", {"ifMatch"}, "Empty", {{200, "Credential"}, {404, "NotFound"}, {409, "Conflict"}, {412, "PreconditionFailed"}}},
      {"POST", "/api/v1/credentials/{id}/reject", "rejectCredential", "Credentials", "As approve; `reason` non-empty, else 422.", {"ifMatch"}, "Reject", {{200, "Credential"}, {404, "NotFound"}, {409, "Conflict"}, {412, "PreconditionFailed"}, {422, "Invalid"}}},
      {"POST", "/api/v1/credentials/{id}/archive", "archiveCredential", "Credentials", "Holder or users.manage; 409 if already archived.", {"ifMatch"}, "Empty", {{200, "Credential"}, {404, "NotFound"}, {409, "Conflict"}, {412, "PreconditionFailed"}}},
      {"POST", "/api/v1/credentials/{id}/restore", "restoreCredential", "Credentials", "Holder or users.manage; 409 if not archived.", {"ifMatch"}, "Empty", {{200, "Credential"}, {404, "NotFound"}, {409, "Conflict"}, {412, "PreconditionFailed"}}},

      {"GET", "/api/v1/me/notifications", "listNotifications", "Notifications", "One's in-app notifications.", {"unread", "limit", "cursor"}, "", {{200, "NotificationPage"}}},
      {"POST", "/api/v1/me/notifications/read-all", "markAllNotificationsRead", "Notifications", "", {}, "", {{204, "NoContent"}}},
      {"POST", "/api/v1/me/notifications/{id}/read", "markNotificationRead", "Notifications", "", {}, "", {{204, "NoContent"}, {404, "NotFound"}}},
      {"GET", "/api/v1/me/notification-settings", "getMyNotificationSettings", "Notifications", "", {}, "", {{200, "NotificationSettings"}}},
      {"PUT", "/api/v1/me/notification-settings", "putMyNotificationSettings", "Notifications", "PUT replaces the settings: the body names all six fields, and any left out is a 422 `required` naming it (PATCH, elsewhere in this API, names only what it changes). manager_digest true needs credentials.manage (422 not_allowed).", {}, "NotificationSettings", {{200, "NotificationSettings"}, {422, "Invalid"}}},
      {"GET", "/api/v1/users/{id}/notification-settings", "getUserNotificationSettings", "Notifications", "Needs users.manage.", {}, "", {{200, "NotificationSettings"}, {404, "NotFound"}}},
      {"PUT", "/api/v1/users/{id}/notification-settings", "putUserNotificationSettings", "Notifications", "Needs users.manage. Replaces the settings, as putMyNotificationSettings: all six fields.", {}, "NotificationSettings", {{200, "NotificationSettings"}, {404, "NotFound"}, {422, "Invalid"}}},
      {"GET", "/api/v1/activity", "listActivity", "Activity", "Needs credentials.manage. Every change, with the acting user, newest first.", {"actorId", "credentialId", "userId", "action", "since", "until", "limit", "cursor"}, "", {{200, "ActivityPage"}}},
      {"GET", "/api/v1/activity.csv", "exportActivityCsv", "Activity", "The filters of listActivity; streamed.", {"actorId", "credentialId", "userId", "action", "since", "until"}, "", {{200, "ActivityCsv"}}},

      {"POST", "/api/v1/media", "uploadMedia", "Media", "Unattached uploads are removed after 24 hours.", {"filename"}, "Media", {{201, "Media"}, {415, "UnsupportedMediaType"}, {422, "Invalid"}}},
      {"GET", "/api/v1/media/{id}", "downloadMedia", "Media", "Whoever may see the credential it is attached to (or its uploader before that). Each download is recorded in the activity log.", {"download", "range", "ifNoneMatch"}, "", {{200, "MediaBytes"}, {206, "MediaPart"}, {304, "NotModified"}, {404, "NotFound"}, {416, "RangeNotSatisfiable"}}},
      {"GET", "/api/v1/media/{id}/thumbnail", "getMediaThumbnail", "Media", "", {}, "", {{200, "Thumbnail"}, {400, "BadRequest"}, {404, "NotFound"}, {415, "UnsupportedMediaType"}, {422, "ThumbnailUnavailable"}}},
      {"GET", "/api/v1/credential-imports/template.csv", "getImportTemplate", "Import and export", "Needs credentials.manage.", {}, "", {{200, "ImportTemplate"}, {400, "BadRequest"}}},
      {"POST", "/api/v1/credential-imports", "importCredentials", "Import and export", "Needs credentials.manage. Without dry_run, all rows are written in one transaction, or, if any row has an error, none (422).", {"dryRun", "approve", "dateFormat", "importFormat"}, "Import", {{200, "ImportReport"}, {415, "UnsupportedMediaType"}, {422, "ImportInvalid"}}},
  };
  // clang-format on
  static const std::vector<OperationDoc> all = [] {
    std::vector<OperationDoc> v = docs;
    v.insert(v.end(), GroupOperationDocs().begin(), GroupOperationDocs().end());
    return v;
  }();
  return all;
}

std::string TagDescription(std::string_view tag) {
  static const std::pair<std::string_view, std::string_view> kTags[] = {
      {"Operations", "Health, readiness, metrics and this document."},
      {"Authentication", "Sign-in sessions, API tokens and one's password."},
      {"Users", "The people of the organisation."},
      {"Permission sets", "Named sets of permissions; built-ins cannot be changed."},
      {"Organisation", "The organisation and its credential settings."},
      {"Credential types", "The kinds of credential the organisation tracks."},
      {"Credentials", "Credentials with their versions, approval and expiry."},
      {"Import and export", "Bulk upload and export by CSV (CSV.md)."},
      {"Media", "Photos and PDFs attached to credential versions."},
      {"Notifications", "In-app notifications and notification settings."},
      {"Activity", "The log of every change, with the acting user."},
      {"Groups", "Groups of people, their members, requirements and exemptions."},
      {"Compliance", "May this person start work? Computed on read from requirements and credentials."},
  };
  for (const auto& [name, description] : kTags) {
    if (name == tag) return std::string(description);
  }
  return "";
}

const OperationDoc* FindOperationDoc(std::string_view method, std::string_view pattern) {
  const auto& docs = OperationDocs();
  auto it = std::find_if(docs.begin(), docs.end(), [&](const OperationDoc& d) {
    return d.method == method && d.pattern == pattern;
  });
  return it == docs.end() ? nullptr : &*it;
}

}  // namespace bf::http

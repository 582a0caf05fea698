// Input rules shared by every way in (HTTP, command line, CSV). Each returns the 422 error
// naming `field`, or Ok.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace bf {

inline constexpr size_t kMaxNameLength = 100;         // user, type and permission set names
inline constexpr size_t kMaxEmailLength = 254;
inline constexpr size_t kMaxDescriptionLength = 2000;
inline constexpr size_t kMinPasswordLength = 8;
inline constexpr size_t kMaxPasswordLength = 256;
inline constexpr size_t kMaxCredentialNumberLength = 100;
inline constexpr int kMaxLeadTimes = 10;
inline constexpr int kMaxLeadTimeDays = 3650;
inline constexpr int kMaxExpiringSoonDays = 3650;

// Trims ASCII whitespace from both ends.
std::string Trim(std::string_view s);
// ASCII lower case: emails and names are compared this way.
std::string Lower(std::string_view s);
// Length in Unicode code points of valid UTF-8 (invalid sequences count one per byte).
size_t Utf8Length(std::string_view s);

// 1..max code points after trimming; the error codes are "required" and "too_long".
Status ValidateText(std::string_view field, std::string_view value, size_t max_length);
// A plausible address: one '@', a non-empty local part, a dotted domain, no spaces.
Status ValidateEmail(std::string_view field, std::string_view value);
Status ValidatePassword(std::string_view field, std::string_view value);
// Lead times in days: 1..10 of them, each 1..3650, no repeats ("days_before", "reminder_days").
Status ValidateLeadTimes(std::string_view field, const std::vector<int>& days);

}  // namespace bf

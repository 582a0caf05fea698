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

// PRODUCT.md "Text": whether free text may hold line feeds.
enum class TextLines {
  kSingle,    // names, numbers: no control character at all
  kMultiple,  // descriptions, rejection reasons: LF (U+000A) allowed, nothing else
};

// The one character rule for every stored text, whichever way it comes in (HTTP, command line,
// CSV): `value` must be valid UTF-8 (shortest forms, no surrogates, at most U+10FFFF) and hold
// no control character (U+0000-U+001F, U+007F-U+009F; LF only in kMultiple text) and no
// bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069). Callers pass the value
// after trimming, so line breaks at either end never count. 422 "invalid_characters" naming
// `field`, or Ok.
Status ValidateCharacters(std::string_view field, std::string_view value,
                          TextLines lines = TextLines::kSingle);

// 1..max code points after trimming, single-line; the error codes are "required",
// "invalid_characters" and "too_long".
Status ValidateText(std::string_view field, std::string_view value, size_t max_length);
// 0..max code points after trimming (empty is allowed); "invalid_characters" and "too_long".
Status ValidateOptionalText(std::string_view field, std::string_view value, size_t max_length,
                            TextLines lines = TextLines::kSingle);
// A plausible address: one '@', a non-empty local part, a dotted domain, no spaces.
Status ValidateEmail(std::string_view field, std::string_view value);
// 8..256 ("too_short", "too_long"), and not one of the most common passwords ("too_common",
// compared case-insensitively; domain/common_passwords.h). With `email`, also not the email or
// the part of it before '@' ("same_as_email", case-insensitively).
Status ValidatePassword(std::string_view field, std::string_view value,
                        std::string_view email = {});
// Lead times in days: 1..10 of them, each 1..3650, no repeats ("days_before", "reminder_days").
Status ValidateLeadTimes(std::string_view field, const std::vector<int>& days);

}  // namespace bf

#include "domain/validation.h"

#include <algorithm>
#include <optional>
#include <set>

#include "domain/common_passwords.h"

namespace bf {

std::string Trim(std::string_view s) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return out;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t extra = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c <= 0xDF ? 1 : 0;
    if (c >= 0xF5) extra = 0;
    bool whole = extra > 0 && i + extra < s.size();
    for (size_t k = 1; whole && k <= extra; ++k) {
      whole = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    ++n;  // one character, or one invalid byte
    i += whole ? extra + 1 : 1;
  }
  return n;
}

namespace {

// The code point starting at s[i], advancing i past it; nullopt (i unchanged) for anything that
// is not the shortest encoding of a scalar value (overlong forms, surrogates, > U+10FFFF,
// truncated sequences, stray continuation bytes).
std::optional<char32_t> NextCodePoint(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  size_t extra = 0;
  char32_t cp = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    extra = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    extra = 2;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    extra = 3;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;  // no overlong forms
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return std::nullopt;
  }
  if (i + extra >= s.size()) return std::nullopt;  // cut short
  for (size_t k = 1; k <= extra; ++k) {
    unsigned char b = byte(i + k);
    if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  i += extra + 1;
  return cp;
}

bool Refused(char32_t cp, TextLines lines) {
  if (cp == U'\n') return lines == TextLines::kSingle;
  return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

Status ValidateCharacters(std::string_view field, std::string_view value, TextLines lines) {
  size_t i = 0;
  while (i < value.size()) {
    auto cp = NextCodePoint(value, i);
    if (!cp || Refused(*cp, lines)) {
      return FailField(
          std::string(field), "invalid_characters",
          std::string(field) + (cp ? " holds a control character or a bidirectional override"
                                   : " is not valid UTF-8"));
    }
  }
  return Ok();
}

Status ValidateOptionalText(std::string_view field, std::string_view value, size_t max_length,
                            TextLines lines) {
  std::string trimmed = Trim(value);
  BF_RETURN_IF_ERROR(ValidateCharacters(field, trimmed, lines));
  if (Utf8Length(trimmed) > max_length) {
    return FailField(
        std::string(field), "too_long",
        std::string(field) + " must be at most " + std::to_string(max_length) + " characters");
  }
  return Ok();
}

Status ValidateText(std::string_view field, std::string_view value, size_t max_length) {
  std::string trimmed = Trim(value);
  if (trimmed.empty())
    return FailField(std::string(field), "required", std::string(field) + " is required");
  BF_RETURN_IF_ERROR(ValidateCharacters(field, trimmed));
  if (Utf8Length(trimmed) > max_length) {
    return FailField(
        std::string(field), "too_long",
        std::string(field) + " must be at most " + std::to_string(max_length) + " characters");
  }
  return Ok();
}

Status ValidateEmail(std::string_view field, std::string_view value) {
  std::string email = Trim(value);
  if (email.empty()) return FailField(std::string(field), "required", "email is required");
  if (email.size() > kMaxEmailLength) {
    return FailField(std::string(field), "too_long", "email must be at most 254 characters");
  }
  auto at = email.find('@');
  bool ok = at != std::string::npos && at > 0 && email.find('@', at + 1) == std::string::npos;
  if (ok) {
    std::string_view domain = std::string_view(email).substr(at + 1);
    ok = domain.size() >= 3 && domain.find('.') != std::string_view::npos &&
         domain.front() != '.' && domain.back() != '.';
  }
  ok = ok && std::none_of(email.begin(), email.end(), [](unsigned char c) {
         return c <= ' ' || c == 0x7f || c == ',' || c == ';' || c == '<' || c == '>';
       });
  if (!ok) return FailField(std::string(field), "invalid_email", "not a valid email address");
  // ASCII controls fail the shape above; C1 controls, bidi overrides and bytes that are not
  // UTF-8 fail here.
  BF_RETURN_IF_ERROR(ValidateCharacters(field, email));
  return Ok();
}

Status ValidatePassword(std::string_view field, std::string_view value, std::string_view email) {
  if (Utf8Length(value) < kMinPasswordLength) {
    return FailField(std::string(field), "too_short",
                     "the password must have at least 8 characters");
  }
  if (value.size() > kMaxPasswordLength) {
    return FailField(std::string(field), "too_long",
                     "the password must have at most 256 characters");
  }
  if (IsCommonPassword(value)) {
    return FailField(std::string(field), "too_common",
                     "this password is one of the most common ones; choose another");
  }
  std::string address = Lower(Trim(email));
  std::string lowered = Lower(value);
  if (!address.empty() && (lowered == address || lowered == address.substr(0, address.find('@')))) {
    return FailField(std::string(field), "same_as_email",
                     "the password must not be the email address or its part before @");
  }
  return Ok();
}

Status ValidateLeadTimes(std::string_view field, const std::vector<int>& days) {
  std::string f(field);
  if (days.empty()) return FailField(f, "required", f + " needs at least one lead time");
  if (days.size() > static_cast<size_t>(kMaxLeadTimes)) {
    return FailField(f, "too_many", f + " may hold at most 10 lead times");
  }
  std::set<int> seen;
  for (int d : days) {
    if (d < 1 || d > kMaxLeadTimeDays) {
      return FailField(f, "out_of_range", f + " must be between 1 and 3650 days");
    }
    if (!seen.insert(d).second)
      return FailField(f, "duplicate", f + " lists " + std::to_string(d) + " twice");
  }
  return Ok();
}

}  // namespace bf

#include "domain/validation.h"

#include <algorithm>
#include <set>

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

Status ValidateText(std::string_view field, std::string_view value, size_t max_length) {
  std::string trimmed = Trim(value);
  if (trimmed.empty()) return FailField(std::string(field), "required", std::string(field) + " is required");
  if (Utf8Length(trimmed) > max_length) {
    return FailField(std::string(field), "too_long",
                     std::string(field) + " must be at most " + std::to_string(max_length) +
                         " characters");
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
  return Ok();
}

Status ValidatePassword(std::string_view field, std::string_view value) {
  if (Utf8Length(value) < kMinPasswordLength) {
    return FailField(std::string(field), "too_short", "the password must have at least 8 characters");
  }
  if (value.size() > kMaxPasswordLength) {
    return FailField(std::string(field), "too_long", "the password must have at most 256 characters");
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
    if (!seen.insert(d).second) return FailField(f, "duplicate", f + " lists " + std::to_string(d) + " twice");
  }
  return Ok();
}

}  // namespace bf

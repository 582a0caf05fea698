// What the commands print for people on a terminal: counts with thousands separators, durations.
#pragma once

#include <cstdint>
#include <string>

namespace bf {

// 1234567 → "1,234,567".
inline std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Whole seconds, "42 s" or "3 min 5 s".
inline std::string Duration(double seconds) {
  auto s = static_cast<int64_t>(seconds + 0.5);
  if (s < 60) return std::to_string(s) + " s";
  return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
}

// A bar of `width` characters, '#' for the part done: "[######..........] 37%".
inline std::string Bar(double fraction, int width = 24) {
  if (fraction < 0) fraction = 0;
  if (fraction > 1) fraction = 1;
  const int filled = static_cast<int>(fraction * width);
  return "[" + std::string(static_cast<size_t>(filled), '#') +
         std::string(static_cast<size_t>(width - filled), '.') + "] " +
         std::to_string(static_cast<int>(fraction * 100)) + "%";
}

}  // namespace bf

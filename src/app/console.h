// What the commands print for people on a terminal: counts with thousands separators, durations.
#pragma once

#include <cstdint>
#include <iostream>
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

// "  3 min 5 s left" for a phase `fraction` done after `elapsed` seconds; "" while too little is
// done to tell, and once it is done.
inline std::string TimeLeft(double elapsed, double fraction) {
  if (fraction <= 0.01 || fraction >= 1 || elapsed <= 0.5) return "";
  return "  " + Duration(elapsed * (1 - fraction) / fraction) + " left";
}

// One line on stderr, drawn again in place (carriage return, erase to the end) at each Show, and
// erased by Clear. For a terminal only: the caller checks isatty.
class StatusLine {
 public:
  void Show(const std::string& text) {
    std::cerr << "\r\033[K" << text << std::flush;
    shown_ = true;
  }
  void Clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  bool shown_ = false;
};

}  // namespace bf

// Input rules shared by every way in: trimming, case, lengths, emails, passwords, lead times.
#include "domain/validation.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "domain/common_passwords.h"

namespace bf {
namespace {

// "ok", or the field error's code: what a table row expects.
std::string CodeOf(const Status& s) {
  if (s) return "ok";
  return s.error().fields.empty() ? "(no field) " + s.error().reason : s.error().fields[0].code;
}

// The whole error of a failed validation: 422, one field, and the same code as the reason.
void ExpectFieldError(const Status& s, std::string_view field, std::string_view code,
                      std::string_view message) {
  ASSERT_FALSE(s.has_value());
  const Error& e = s.error();
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_EQ(e.reason, code);
  EXPECT_EQ(e.message, message);
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].field, field);
  EXPECT_EQ(e.fields[0].code, code);
  EXPECT_EQ(e.fields[0].message, message);
}

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// ---- Trim, Lower, Utf8Length ----------------------------------------------------------------

TEST(Trim, RemovesSpacesTabsAndLineBreaksFromBothEnds) {
  struct Case {
    std::string_view in, out;
  } cases[] = {
      {"", ""},
      {"a", "a"},
      {"  a  ", "a"},
      {"\t\r\na b\r\n\t", "a b"},  // inner space stays
      {"   ", ""},
      {"\n", ""},
      {"a\t", "a"},
      {"\xc2\xa0"
       "a",
       "\xc2\xa0"
       "a"},  // U+00A0 NO-BREAK SPACE is not ASCII whitespace
      {"\xe3\x80\x80"
       "a",
       "\xe3\x80\x80"
       "a"},  // nor is U+3000 IDEOGRAPHIC SPACE
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Trim(c.in), c.out) << '"' << c.in << '"';
  }
}

TEST(Lower, LowersAsciiLettersOnly) {
  struct Case {
    std::string_view in, out;
  } cases[] = {
      {"", ""},
      {"ABC", "abc"},
      {"MiXeD@Example.COM", "mixed@example.com"},
      {"a1-_.+Z", "a1-_.+z"},
      {"\xc3\x84rger", "\xc3\x84rger"},  // "Ärger": Ä is not ASCII and stays
      {"@[`{", "@[`{"},                  // the neighbours of A-Z and a-z do not move
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Lower(c.in), c.out) << '"' << c.in << '"';
  }
}

TEST(Utf8Length, CountsCodePoints) {
  struct Case {
    std::string_view text;
    size_t length;
  } cases[] = {
      {"", 0},
      {"abc", 3},
      {"\xc3\xa9", 1},                            // é: 2 bytes
      {"\xe2\x82\xac", 1},                        // €: 3 bytes
      {"\xf0\x9f\x98\x80", 1},                    // 😀: 4 bytes
      {"Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m", 12},  // "Zoë Ångström"
      {"\xe6\x9d\xb1\xe4\xba\xac", 2},            // 東京
      {"\xff", 1},                                // a byte that never starts a sequence
      {"a\xc3", 2},                               // a lead byte at the end
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Utf8Length(c.text), c.length) << c.text.size() << " bytes";
  }
}

// BUG (reported, not fixed here: src/domain belongs to another engineer). The header promises
// "invalid sequences count one per byte", but a continuation byte without its lead byte counts
// zero, so a 1000-byte name made only of 0x80 bytes has length 0 and passes ValidateText's
// too_long (the command line and CSV can deliver such bytes; Boost.JSON rejects them).
// Enable once Utf8Length counts stray continuation bytes.
TEST(Utf8Length, CountsInvalidSequencesOnePerByte) {
  EXPECT_EQ(Utf8Length("\x80"), 1u);
  EXPECT_EQ(Utf8Length("a\x80"
                       "b"),
            3u);
  EXPECT_EQ(Utf8Length(std::string(300, '\x80')), 300u);
  // Such bytes are not UTF-8, so ValidateText refuses them before counting (PRODUCT.md "Text").
  EXPECT_EQ(CodeOf(ValidateText("name", std::string(101, '\x80'), 100)), "invalid_characters");
}

// ---- ValidateText ---------------------------------------------------------------------------

TEST(ValidateText, RequiresOneToMaxCharactersAfterTrimming) {
  struct Case {
    std::string value;
    size_t max;
    std::string code;
  } cases[] = {
      {"", 100, "required"},
      {"   ", 100, "required"},
      {"\t\r\n", 100, "required"},
      {"a", 100, "ok"},
      {"  a  ", 100, "ok"},
      {std::string(100, 'a'), 100, "ok"},
      {std::string(101, 'a'), 100, "too_long"},
      {"  " + std::string(100, 'a') + "  ", 100, "ok"},  // spaces around do not count
      {Repeat("\xc3\xa9", 100), 100, "ok"},              // 100 characters, 200 bytes
      {Repeat("\xc3\xa9", 101), 100, "too_long"},
      {Repeat("\xf0\x9f\x98\x80", 100), 100, "ok"},  // 100 characters, 400 bytes
      {std::string(2000, 'x'), 2000, "ok"},
      {std::string(2001, 'x'), 2000, "too_long"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CodeOf(ValidateText("name", c.value, c.max)), c.code)
        << c.value.size() << " bytes, max " << c.max;
  }
}

TEST(ValidateText, NamesTheFieldInTheError) {
  ExpectFieldError(ValidateText("description", " ", 2000), "description", "required",
                   "description is required");
  ExpectFieldError(ValidateText("name", std::string(101, 'a'), kMaxNameLength), "name", "too_long",
                   "name must be at most 100 characters");
}

// ---- ValidateEmail --------------------------------------------------------------------------

TEST(ValidateEmail, AcceptsPlausibleAddressesOnly) {
  struct Case {
    std::string value;
    std::string code;
  } cases[] = {
      {"a@b.co", "ok"},
      {"a@b.c", "ok"},  // the shortest dotted domain
      {"first.last+tag@example.com", "ok"},
      {"Grace@Navy.Test", "ok"},
      {"  padded@example.com  ", "ok"},      // trimmed first
      {"\xc3\xbc@ex\xc3\xa4mple.de", "ok"},  // ü@exämple.de
      {"", "required"},
      {"   ", "required"},
      {"plain", "invalid_email"},
      {"@example.com", "invalid_email"},  // no local part
      {"a@", "invalid_email"},            // no domain
      {"a@b", "invalid_email"},           // undotted domain
      {"a@bc", "invalid_email"},
      {"a@.com", "invalid_email"},  // domain starts with a dot
      {"a@b.", "invalid_email"},    // or ends with one
      {"a@@b.com", "invalid_email"},
      {"a@b@c.com", "invalid_email"},
      {"a b@c.com", "invalid_email"},  // spaces and controls
      {"a@b .com", "invalid_email"},
      {"a\t@b.com", "invalid_email"},
      {"a\x7f@b.com", "invalid_email"},
      {"a,b@c.com", "invalid_email"},  // list and display-name punctuation
      {"a;b@c.com", "invalid_email"},
      {"<a@b.com>", "invalid_email"},
      {"Name <a@b.com>", "invalid_email"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CodeOf(ValidateEmail("email", c.value)), c.code) << '"' << c.value << '"';
  }
}

TEST(ValidateEmail, AllowsAtMost254Bytes) {
  std::string domain = "@" + std::string(60, 'd') + ".example";  // 69 bytes
  std::string at_limit = std::string(254 - domain.size(), 'l') + domain;
  ASSERT_EQ(at_limit.size(), 254u);
  EXPECT_EQ(CodeOf(ValidateEmail("email", at_limit)), "ok");
  ExpectFieldError(ValidateEmail("email", "l" + at_limit), "email", "too_long",
                   "email must be at most 254 characters");
}

TEST(ValidateEmail, NamesTheFieldInTheError) {
  ExpectFieldError(ValidateEmail("admin_email", "nope"), "admin_email", "invalid_email",
                   "not a valid email address");
  ExpectFieldError(ValidateEmail("admin_email", ""), "admin_email", "required",
                   "email is required");
}

// ---- ValidatePassword -----------------------------------------------------------------------

TEST(ValidatePassword, NeedsEightTo256) {
  struct Case {
    std::string value;
    std::string code;
  } cases[] = {
      {"", "too_short"},
      {"1234567", "too_short"},
      {"k7#Qp2Lm", "ok"},
      {"        ", "ok"},  // not trimmed: spaces are characters of a password
      {std::string(256, 'p'), "ok"},
      {std::string(257, 'p'), "too_long"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CodeOf(ValidatePassword("password", c.value)), c.code) << c.value.size() << " bytes";
  }
}

// The most common passwords are refused whatever their case; the list is the one shipped in the
// binary (domain/common_passwords.txt).
TEST(ValidatePassword, RefusesTheMostCommonPasswords) {
  struct Case {
    std::string value;
    std::string code;
  } cases[] = {
      {"password", "too_common"},
      {"PASSWORD", "too_common"},
      {"Password1", "too_common"},
      {"12345678", "too_common"},
      {"qwertyuiop", "too_common"},
      {"iloveyou", "too_common"},
      {"trustno1", "too_common"},
      {"baseball", "too_common"},
      {"1qaz2wsx", "too_common"},
      {"password1 ", "ok"},  // not the same password: nothing is trimmed
      {"correct horse battery", "ok"},
      {"k7#Qp2Lm", "ok"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CodeOf(ValidatePassword("password", c.value)), c.code) << '"' << c.value << '"';
  }
  EXPECT_GT(CommonPasswordCount(), 3000u);
  EXPECT_LT(CommonPasswordCount(), 20000u);
  EXPECT_FALSE(IsCommonPassword("# The most common passwords"));  // comments are not entries
}

TEST(ValidatePassword, RefusesTheEmailOrItsPartBeforeTheAt) {
  struct Case {
    std::string password, email, code;
  } cases[] = {
      {"ada.lovelace@example.com", "ada.lovelace@example.com", "same_as_email"},
      {"ADA.LOVELACE@EXAMPLE.COM", " ada.lovelace@example.com ", "same_as_email"},
      {"ada.lovelace", "Ada.Lovelace@example.com", "same_as_email"},
      {"ada.lovelace1", "ada.lovelace@example.com", "ok"},
      {"example.com", "ada.lovelace@example.com", "ok"},
      {"ada.lovelace", "", "ok"},  // no email given: no comparison
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CodeOf(ValidatePassword("password", c.password, c.email)), c.code)
        << c.password << " for " << c.email;
  }
  ExpectFieldError(ValidatePassword("new_password", "ada.lovelace", "ada.lovelace@example.com"),
                   "new_password", "same_as_email",
                   "the password must not be the email address or its part before @");
}

TEST(ValidatePassword, NamesTheFieldInTheError) {
  ExpectFieldError(ValidatePassword("new_password", "short"), "new_password", "too_short",
                   "the password must have at least 8 characters");
  ExpectFieldError(ValidatePassword("new_password", std::string(257, 'p')), "new_password",
                   "too_long", "the password must have at most 256 characters");
}

// ---- ValidateCharacters (PRODUCT.md "Text") -------------------------------------------------

TEST(ValidateCharacters, RefusesControlCharactersBidiOverridesAndInvalidUtf8) {
  using namespace std::string_literals;
  struct Case {
    std::string what, value;
    bool single_ok, multi_ok;
  } cases[] = {
      {"plain ASCII", "Forklift licence", true, true},
      {"accents and CJK", "Café 東京 Ünïcødé", true, true},
      {"emoji (4 bytes)", "\xf0\x9f\x9a\x9c tractor", true, true},
      {"U+00A0 no-break space",
       "a\xc2\xa0"
       "b",
       true, true},
      {"U+200E left-to-right mark (not an override)",
       "a\xe2\x80\x8e"
       "b",
       true, true},
      {"U+FEFF",
       "a\xef\xbb\xbf"
       "b",
       true, true},
      {"empty", "", true, true},
      {"NUL", "a\0b"s, false, false},
      {"BEL", "a\ab", false, false},
      {"ESC", "a\x1b[31mb", false, false},
      {"TAB", "a\tb", false, false},
      {"CR", "a\rb", false, false},
      {"CR LF", "a\r\nb", false, false},
      {"LF", "a\nb", false, true},
      {"two paragraphs", "first\n\nsecond", false, true},
      {"U+001F", "a\x1f", false, false},
      {"DEL U+007F", "a\x7f", false, false},
      {"U+0080 (C1)", "a\xc2\x80", false, false},
      {"U+0085 next line (C1)",
       "a\xc2\x85"
       "b",
       false, false},
      {"U+009F (C1)", "a\xc2\x9f", false, false},
      {"U+00A0 just after C1", "\xc2\xa0", true, true},
      {"U+202A LRE", "a\xe2\x80\xaa", false, false},
      {"U+202E RLO", "invoice\xe2\x80\xaegpj.exe", false, false},
      {"U+2029 paragraph separator (allowed)", "a\xe2\x80\xa9", true, true},
      {"U+202F narrow no-break space (allowed)", "a\xe2\x80\xaf", true, true},
      {"U+2066 LRI", "a\xe2\x81\xa6", false, false},
      {"U+2069 PDI", "a\xe2\x81\xa9", false, false},
      {"U+2065 (allowed)", "a\xe2\x81\xa5", true, true},
      {"U+206A (allowed)", "a\xe2\x81\xaa", true, true},
      {"lone continuation byte", "a\x80", false, false},
      {"Latin-1 byte", "caf\xe9", false, false},
      {"truncated 2-byte", "a\xc3", false, false},
      {"truncated 3-byte", "a\xe2\x82", false, false},
      {"overlong NUL", "a\xc0\x80", false, false},
      {"overlong slash", "\xe0\x80\xaf", false, false},
      {"UTF-16 surrogate", "\xed\xa0\x80", false, false},
      {"above U+10FFFF", "\xf4\x90\x80\x80", false, false},
      {"U+10FFFF", "\xf4\x8f\xbf\xbf", true, true},
      {"0xFF", "\xff", false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CodeOf(ValidateCharacters("name", c.value)),
              c.single_ok ? "ok" : "invalid_characters")
        << c.what << " (single line)";
    EXPECT_EQ(CodeOf(ValidateCharacters("name", c.value, TextLines::kMultiple)),
              c.multi_ok ? "ok" : "invalid_characters")
        << c.what << " (multi-line)";
  }
}

TEST(ValidateCharacters, NamesTheFieldInTheError) {
  ExpectFieldError(ValidateCharacters("credential_number",
                                      "AB\x1b"
                                      "1"),
                   "credential_number", "invalid_characters",
                   "credential_number holds a control character or a bidirectional override");
  ExpectFieldError(ValidateCharacters("description", "caf\xe9", TextLines::kMultiple),
                   "description", "invalid_characters", "description is not valid UTF-8");
}

TEST(ValidateText, TrimsThenRefusesInvalidCharacters) {
  EXPECT_EQ(CodeOf(ValidateText("name", "  Ada\r\n", 100)), "ok");  // trailing CR LF is trimmed
  EXPECT_EQ(CodeOf(ValidateText("name", "\tAda\t", 100)), "ok");
  EXPECT_EQ(CodeOf(ValidateText("name", "Ada\tLovelace", 100)), "invalid_characters");
  EXPECT_EQ(CodeOf(ValidateText("name", "Ada\nLovelace", 100)), "invalid_characters");
  EXPECT_EQ(CodeOf(ValidateText("name", "\xe2\x80\xae", 100)), "invalid_characters");
  EXPECT_EQ(CodeOf(ValidateText("name", "\r\n", 100)), "required");
}

TEST(ValidateOptionalText, AllowsEmptyAndLineFeedsOnlyWhenMultiLine) {
  EXPECT_EQ(CodeOf(ValidateOptionalText("description", "", 2000, TextLines::kMultiple)), "ok");
  EXPECT_EQ(CodeOf(ValidateOptionalText("description", "one\ntwo", 2000, TextLines::kMultiple)),
            "ok");
  EXPECT_EQ(CodeOf(ValidateOptionalText("description", "one\r\ntwo", 2000, TextLines::kMultiple)),
            "invalid_characters");
  EXPECT_EQ(CodeOf(ValidateOptionalText("credential_number", "A\nB", 100)), "invalid_characters");
  EXPECT_EQ(CodeOf(ValidateOptionalText("credential_number", std::string(101, 'x'), 100)),
            "too_long");
  EXPECT_EQ(
      CodeOf(ValidateOptionalText("credential_number", "  " + std::string(100, 'x') + "\n", 100)),
      "ok");
}

TEST(ValidateEmail, RefusesInvalidCharacters) {
  EXPECT_EQ(CodeOf(ValidateEmail("email", "ada\xe2\x80\xae@example.com")), "invalid_characters");
  EXPECT_EQ(CodeOf(ValidateEmail("email", "ada@exam\xc2\x85ple.com")), "invalid_characters");
  EXPECT_EQ(CodeOf(ValidateEmail("email", std::string("ada\0x@example.com", 17))), "invalid_email");
  EXPECT_EQ(CodeOf(ValidateEmail("email", "\xc3\xa9l\xc3\xa8ve@example.com")), "ok");
}

// ---- ValidateLeadTimes ----------------------------------------------------------------------

TEST(ValidateLeadTimes, OneToTenDistinctDaysEachOneTo3650) {
  struct Case {
    std::vector<int> days;
    std::string code;
  } cases[] = {
      {{30, 7, 1}, "ok"},
      {{1}, "ok"},
      {{3650}, "ok"},
      {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, "ok"},  // ten
      {{7, 30}, "ok"},                          // any order
      {{}, "required"},
      {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, "too_many"},
      {{0}, "out_of_range"},
      {{-1}, "out_of_range"},
      {{3651}, "out_of_range"},
      {{30, 7, 0}, "out_of_range"},
      {{7, 7}, "duplicate"},
      {{30, 7, 30}, "duplicate"},
      // The first rule broken is the one reported: count, then each day in order.
      {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, "too_many"},
      {{0, 0}, "out_of_range"},
      {{5, 5, 0}, "duplicate"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.days));
    EXPECT_EQ(CodeOf(ValidateLeadTimes("reminder_days", c.days)), c.code);
  }
}

TEST(ValidateLeadTimes, NamesTheFieldInTheError) {
  ExpectFieldError(ValidateLeadTimes("days_before", {}), "days_before", "required",
                   "days_before needs at least one lead time");
  ExpectFieldError(ValidateLeadTimes("reminder_days", std::vector<int>(11, 1)), "reminder_days",
                   "too_many", "reminder_days may hold at most 10 lead times");
  ExpectFieldError(ValidateLeadTimes("reminder_days", {3651}), "reminder_days", "out_of_range",
                   "reminder_days must be between 1 and 3650 days");
  ExpectFieldError(ValidateLeadTimes("reminder_days", {30, 7, 30}), "reminder_days", "duplicate",
                   "reminder_days lists 30 twice");
}

}  // namespace
}  // namespace bf

// Identifiers, tokens, encodings, digests and password hashes.
#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace bf {
namespace {

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// ---- NewId, IsUuid --------------------------------------------------------------------------

TEST(NewId, IsALowerCaseVersion4Uuid) {
  for (int i = 0; i < 200; ++i) {
    std::string id = NewId();
    SCOPED_TRACE(id);
    ASSERT_EQ(id.size(), 36u);
    EXPECT_TRUE(IsUuid(id));
    for (size_t j = 0; j < id.size(); ++j) {
      if (j == 8 || j == 13 || j == 18 || j == 23) {
        EXPECT_EQ(id[j], '-');
      } else {
        EXPECT_TRUE(IsLowerHex(id[j])) << "at " << j;
      }
    }
    EXPECT_EQ(id[14], '4');                                                    // version 4
    EXPECT_NE(std::string_view("89ab").find(id[19]), std::string_view::npos);  // RFC 4122 variant
  }
}

TEST(NewId, NeverRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(NewId());
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(IsUuid, AcceptsCanonicalUuidsOfAnyVersionAndCase) {
  struct Case {
    std::string_view text;
    bool expected;
  } cases[] = {
      {"123e4567-e89b-12d3-a456-426614174000", true},  // version 1
      {"3f2b8c1e-9d4a-4c2b-8e1f-0a1b2c3d4e5f", true},  // version 4
      {"123E4567-E89B-12D3-A456-426614174000", true},  // upper case
      {"00000000-0000-0000-0000-000000000000", true},  // nil
      {"", false},
      {"not-a-uuid", false},
      {"123e4567-e89b-12d3-a456-42661417400", false},     // 35 characters
      {"123e4567-e89b-12d3-a456-4266141740000", false},   // 37 characters
      {"123e4567e89b12d3a456426614174000", false},        // no hyphens
      {"123e4567-e89b12d3-a456-4266-14174000", false},    // hyphens misplaced
      {"123e4567-e89b-12d3-a456_426614174000", false},    // underscore for a hyphen
      {"123e4567-e89b-12d3-a456-42661417400g", false},    // not hex
      {"{123e4567-e89b-12d3-a456-426614174000}", false},  // braces
      {"urn:uuid:123e4567-e89b-12d3-a456-426614174000", false},
      {" 123e4567-e89b-12d3-a456-42661417400", false},  // 36 characters with a space
      {"../../../../../../../../../etc/passwd", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsUuid(c.text), c.expected) << '"' << c.text << '"';
  }
}

// ---- RandomToken ----------------------------------------------------------------------------

TEST(RandomToken, IsBase64UrlOfTheRequestedNumberOfBytes) {
  struct Case {
    size_t bytes;
    size_t length;
  } cases[] = {{32, 43}, {12, 16}, {9, 12}, {1, 2}, {2, 3}, {3, 4}, {0, 0}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.bytes);
    std::string token = RandomToken(c.bytes);
    EXPECT_EQ(token.size(), c.length);
    for (char ch : token) EXPECT_TRUE(IsBase64UrlChar(ch)) << token;
    auto raw = Base64UrlDecode(token);
    ASSERT_TRUE(raw.has_value()) << token;
    EXPECT_EQ(raw->size(), c.bytes);
  }
  EXPECT_EQ(RandomToken().size(), 43u);  // 32 bytes by default
}

TEST(RandomToken, NeverRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(RandomToken());
  EXPECT_EQ(seen.size(), 10000u);
}

// ---- Base64Url ------------------------------------------------------------------------------

TEST(Base64Url, EncodesRfc4648VectorsWithoutPadding) {
  struct Case {
    std::string_view data;
    std::string_view encoded;
  } cases[] = {
      {"", ""},
      {"f", "Zg"},
      {"fo", "Zm8"},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg"},
      {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"},
      {std::string_view("\xfb\xff", 2), "-_8"},  // the URL-safe alphabet: '-' and '_'
      {std::string_view("\0\0\0", 3), "AAAA"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Base64UrlEncode(c.data), c.encoded);
    EXPECT_EQ(Base64UrlDecode(c.encoded), std::string(c.data)) << c.encoded;
  }
}

TEST(Base64Url, RoundTripsEveryByte) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  for (size_t n = 0; n <= all.size(); n += 17) {
    std::string data = all.substr(0, n);
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(data)), data) << n << " bytes";
  }
}

TEST(Base64Url, RejectsInvalidInput) {
  for (std::string_view text : {
           "Zm9vYg==",  // padding
           "Zm9vYg=",   //
           "Zm9v+/",    // the standard alphabet
           "Zm9v/w",    //
           "Zm 9v",     // space
           "Zm9v\n",    // newline
           "Zm9vY",     // a length no encoding has
           "A",         //
           "AB",        // non-canonical: trailing bits set
           "Zm9v!",     //
           "Zm9v.",     //
       }) {
    EXPECT_EQ(Base64UrlDecode(text), std::nullopt) << '"' << text << '"';
  }
  EXPECT_EQ(Base64UrlDecode(std::string_view("Zm\0v", 4)), std::nullopt);  // embedded NUL
}

// ---- Sha256Hex ------------------------------------------------------------------------------

TEST(Sha256Hex, MatchesKnownVectorsInLowerCaseHex) {
  struct Case {
    std::string_view data;
    std::string_view digest;
  } cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Sha256Hex(c.data), c.digest) << '"' << c.data << '"';
  }
}

// ---- Passwords ------------------------------------------------------------------------------

TEST(HashPassword, FastUsesArgon2idAtMinimumCostAndASaltEachTime) {
  auto first = HashPassword("correct horse battery staple", /*fast=*/true);
  auto second = HashPassword("correct horse battery staple", /*fast=*/true);
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(first->rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << *first;
  EXPECT_NE(*first, *second);  // a new salt each time
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *first));
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *second));
}

TEST(HashPassword, DefaultUsesArgon2idAtInteractiveCost) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", *hash));
}

TEST(VerifyPassword, AcceptsOnlyTheExactPassword) {
  const std::string password("pass\0word", 9);  // the length counts, not a terminating NUL
  auto hash = HashPassword(password, /*fast=*/true);
  ASSERT_TRUE(hash.has_value());
  struct Case {
    std::string candidate;
    bool expected;
  } cases[] = {
      {password, true},
      {"pass", false},
      {std::string("pass\0wore", 9), false},
      {std::string("Pass\0word", 9), false},
      {password + " ", false},
      {"", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(VerifyPassword(c.candidate, *hash), c.expected) << c.candidate.size() << " bytes";
  }
}

TEST(VerifyPassword, RejectsHashesThatAreNotArgon2Strings) {
  for (const std::string& hash : std::vector<std::string>{
           "", "password", "$argon2id$", "$argon2id$v=19$m=8,t=1,p=1$x$y", Sha256Hex("password")}) {
    EXPECT_FALSE(VerifyPassword("password", hash)) << '"' << hash << '"';
  }
}

// ---- ConstantTimeEquals ---------------------------------------------------------------------

TEST(ConstantTimeEquals, IsTrueOnlyForIdenticalBytes) {
  struct Case {
    std::string a, b;
    bool expected;
  } cases[] = {
      {"", "", true},
      {"a", "a", true},
      {"secret-token", "secret-token", true},
      {std::string("a\0b", 3), std::string("a\0b", 3), true},
      {"a", "b", false},
      {"abc", "abd", false},
      {"abc", "Abc", false},
      {"abc", "ab", false},  // a prefix is not equal
      {"ab", "abc", false},
      {"", "a", false},
      {std::string("a\0b", 3), std::string("a\0c", 3), false},
      {std::string("a\0b", 3), "a", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ConstantTimeEquals(c.a, c.b), c.expected) << '"' << c.a << "\" vs \"" << c.b << '"';
  }
}

}  // namespace
}  // namespace bf

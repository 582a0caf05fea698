// Streaming SHA-256 and the secretstream encryption of media files.
#include "core/crypto.h"

#include <gtest/gtest.h>

#include "core/ids.h"

namespace bf {
namespace {

TEST(Sha256Test, PiecesHashAsTheWhole) {
  std::string data(100000, 'q');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31);
  Sha256 sha;
  for (size_t at = 0; at < data.size(); at += 777)
    sha.Update(std::string_view(data).substr(at, 777));
  EXPECT_EQ(sha.FinishHex(), Sha256Hex(data));
  Sha256 empty;
  EXPECT_EQ(empty.FinishHex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MediaKeyTest, DecodesBase64Of32Bytes) {
  std::string key = NewMediaKey();
  ASSERT_EQ(key.size(), kMediaKeyBytes);
  EXPECT_EQ(DecodeMediaKey(EncodeMediaKey(key)), key);
  EXPECT_EQ(DecodeMediaKey(EncodeMediaKey(key) + "\n"), key);
  EXPECT_EQ(DecodeMediaKey(Base64UrlEncode(key)), key);
  EXPECT_FALSE(DecodeMediaKey("not base64!"));
  EXPECT_FALSE(DecodeMediaKey(EncodeMediaKey(key.substr(0, 16))));
  EXPECT_FALSE(DecodeMediaKey(""));
}

class SecretStreamTest : public ::testing::Test {
 protected:
  // Encrypts `messages`, the last one final.
  std::vector<std::string> Encrypt(const std::vector<std::string>& messages, std::string& header) {
    auto e = StreamEncryptor::Start(key_);
    EXPECT_TRUE(e);
    header = (*e)->header();
    std::vector<std::string> out;
    for (size_t i = 0; i < messages.size(); ++i)
      out.push_back((*e)->Push(messages[i], "file-1", i + 1 == messages.size()));
    return out;
  }
  std::string key_ = NewMediaKey();
};

TEST_F(SecretStreamTest, RoundTrips) {
  std::string header;
  std::vector<std::string> plain = {"first chunk", std::string(300000, 'x'), "last"};
  auto cipher = Encrypt(plain, header);
  EXPECT_EQ(header.size(), kSecretStreamHeaderBytes);
  EXPECT_EQ(cipher[0].size(), plain[0].size() + kSecretStreamOverhead);
  EXPECT_EQ(cipher[1].find(std::string(64, 'x')), std::string::npos);
  auto d = StreamDecryptor::Start(key_, header);
  ASSERT_TRUE(d);
  for (size_t i = 0; i < plain.size(); ++i) {
    auto p = (*d)->Pull(cipher[i], "file-1");
    ASSERT_TRUE(p) << i;
    EXPECT_EQ(*p, plain[i]);
    EXPECT_EQ((*d)->finished(), i + 1 == plain.size());
  }
  EXPECT_EQ((*d)->Pull(cipher[2], "file-1").error().reason,
            "media_corrupt");  // nothing after final
}

TEST_F(SecretStreamTest, RefusesChangesReordersOtherKeysAndOtherFiles) {
  std::string header;
  auto cipher = Encrypt({"one", "two", "three"}, header);
  auto pull_first = [&](const std::string& key, const std::string& h, const std::string& c,
                        const std::string& ad) {
    auto d = StreamDecryptor::Start(key, h);
    if (!d) return d.error().reason;
    auto p = (*d)->Pull(c, ad);
    return p ? std::string("ok") : p.error().reason;
  };
  EXPECT_EQ(pull_first(key_, header, cipher[0], "file-1"), "ok");
  std::string flipped = cipher[0];
  flipped[5] ^= 1;
  EXPECT_EQ(pull_first(key_, header, flipped, "file-1"), "media_corrupt");
  EXPECT_EQ(pull_first(key_, header, cipher[1], "file-1"), "media_corrupt");  // out of order
  EXPECT_EQ(pull_first(NewMediaKey(), header, cipher[0], "file-1"), "media_corrupt");
  EXPECT_EQ(pull_first(key_, header, cipher[0], "file-2"),
            "media_corrupt");  // another file's chunk
  EXPECT_EQ(pull_first(key_, header, "short", "file-1"), "media_corrupt");
  // Dropping the final message leaves the stream unfinished.
  auto d = StreamDecryptor::Start(key_, header);
  ASSERT_TRUE((*d)->Pull(cipher[0], "file-1"));
  ASSERT_TRUE((*d)->Pull(cipher[1], "file-1"));
  EXPECT_FALSE((*d)->finished());
}

}  // namespace
}  // namespace bf

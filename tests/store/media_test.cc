// Media files in the store: written incomplete, chunk by chunk, then completed; found only
// whole and only in their organisation; removed with their chunks and thumbnails.
#include "store_test.h"

namespace bf::testing {
namespace {

MediaFile MakeMedia(const std::string& id, const std::string& org_id, const std::string& user_id,
                    int64_t at) {
  MediaFile m;
  m.id = id;
  m.org_id = org_id;
  m.uploaded_by = user_id;
  m.filename = id + ".jpg";
  m.content_type = "image/jpeg";
  m.chunk_size = 4;
  m.header = std::string("\0header-bytes-24-long\xFF\x01\x02", 24);
  m.created_at = At(at);
  return m;
}

class MediaStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    SeedTwoOrganizations();
  }

  // Writes `m` with `chunks` (binary, with NULs) and completes it.
  void Store(MediaFile m, const std::vector<std::string>& chunks) {
    auto uow = Write();
    Must(uow->InsertMedia(m));
    for (size_t i = 0; i < chunks.size(); ++i)
      Must(uow->InsertMediaChunk(m.id, static_cast<int64_t>(i), chunks[i]));
    m.size = 8;
    m.sha256 = "ab";
    m.chunk_count = static_cast<int64_t>(chunks.size());
    Must(uow->CompleteMedia(m));
    Must(uow->Commit());
  }
};

TEST_P(MediaStoreTest, OnlyCompleteFilesOfTheOrganisationAreFound) {
  {
    auto uow = Write();
    Must(uow->InsertMedia(MakeMedia("m1", "org-a", "user-a", 1)));
    Must(uow->InsertMediaChunk("m1", 0, std::string("\0\1\2", 3)));
    EXPECT_FALSE(Must(uow->FindMedia("org-a", "m1")));  // not complete yet
    Must(uow->Commit());
  }
  Store(MakeMedia("m2", "org-a", "user-a", 2),
        {std::string("\0bin", 4), std::string("ary\xFF", 4)});
  auto uow = Read();
  auto found = Must(uow->FindMedia("org-a", "m2"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->filename, "m2.jpg");
  EXPECT_EQ(found->uploaded_by, "user-a");
  EXPECT_EQ(found->credential_id, "");
  EXPECT_EQ(found->size, 8);
  EXPECT_EQ(found->chunk_count, 2);
  EXPECT_EQ(found->header, MakeMedia("x", "", "", 0).header);
  EXPECT_EQ(found->created_at, At(2));
  EXPECT_EQ(found->version, 0);
  EXPECT_EQ(Must(uow->ReadMediaChunk("m2", 0)),
            std::optional<std::string>(std::string("\0bin", 4)));
  EXPECT_EQ(Must(uow->ReadMediaChunk("m2", 1)),
            std::optional<std::string>(std::string("ary\xFF", 4)));
  EXPECT_FALSE(Must(uow->ReadMediaChunk("m2", 2)));
  EXPECT_FALSE(Must(uow->FindMedia("org-b", "m2")));
  EXPECT_FALSE(Must(uow->FindMedia("org-a", "m1")));
}

TEST_P(MediaStoreTest, CompletingAFileThatWasRemovedIsNotFound) {
  MediaFile m = MakeMedia("m1", "org-a", "user-a", 1);
  auto uow = Write();
  Must(uow->InsertMedia(m));
  Must(uow->DeleteMedia("org-a", "m1"));
  EXPECT_EQ(ErrorOf(uow->CompleteMedia(m)).code, ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf(uow->InsertMediaChunk("m1", 0, "x")).reason, "upload_expired");
}

TEST_P(MediaStoreTest, ThumbnailsKeepTheFirstSaved) {
  Store(MakeMedia("m1", "org-a", "user-a", 1), {"abcd"});
  Store(MakeMedia("m2", "org-a", "user-a", 1), {"abcd"});
  auto uow = Write();
  EXPECT_FALSE(Must(uow->FindMediaThumbnail("m1")));
  MediaThumbnail t{"m1", "image/jpeg", std::string("h\0h", 3), std::string("d\0d", 3), "", At(5)};
  Must(uow->SaveMediaThumbnail(t));
  MediaThumbnail second = t;
  second.data = "other";
  Must(uow->SaveMediaThumbnail(second));
  auto kept = Must(uow->FindMediaThumbnail("m1"));
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->data, t.data);
  EXPECT_EQ(kept->header, t.header);
  EXPECT_EQ(kept->error, "");
  Must(uow->SaveMediaThumbnail(
      MediaThumbnail{"m2", "", "", "", "the PDF file cannot be read", At(6)}));
  EXPECT_EQ(Must(uow->FindMediaThumbnail("m2"))->error, "the PDF file cannot be read");
}

TEST_P(MediaStoreTest, DeletingAFileRemovesItsChunksAndThumbnail) {
  Store(MakeMedia("m1", "org-a", "user-a", 1), {"abcd", "efgh"});
  auto uow = Write();
  Must(uow->SaveMediaThumbnail(MediaThumbnail{"m1", "image/jpeg", "h", "d", "", At(2)}));
  Must(uow->DeleteMedia("org-b", "m1"));  // another organisation's delete touches nothing
  EXPECT_TRUE(Must(uow->FindMedia("org-a", "m1")));
  Must(uow->DeleteMedia("org-a", "m1"));
  EXPECT_FALSE(Must(uow->FindMedia("org-a", "m1")));
  EXPECT_FALSE(Must(uow->ReadMediaChunk("m1", 0)));
  EXPECT_FALSE(Must(uow->FindMediaThumbnail("m1")));
}

TEST_P(MediaStoreTest, StaleUnattachedFilesAreRemovedComingOrNot) {
  Store(MakeMedia("old", "org-a", "user-a", 10), {"abcd"});
  Store(MakeMedia("new", "org-b", "user-b", 20), {"abcd"});
  {
    auto uow = Write();
    Must(uow->InsertMedia(MakeMedia("incomplete", "org-a", "user-a", 5)));
    Must(uow->Commit());
  }
  auto uow = Write();
  EXPECT_EQ(Must(uow->DeleteUnattachedMediaBefore(At(10))), 1);  // created before, not at
  EXPECT_EQ(Must(uow->DeleteUnattachedMediaBefore(At(11))), 1);
  EXPECT_FALSE(Must(uow->FindMedia("org-a", "old")));
  EXPECT_TRUE(Must(uow->FindMedia("org-b", "new")));
  EXPECT_FALSE(Must(uow->ReadMediaChunk("old", 0)));
}

INSTANTIATE_TEST_SUITE_P(Backends, MediaStoreTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace bf::testing

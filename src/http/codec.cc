#include "http/codec.h"

#include <cassert>
#include <charconv>
#include <cstring>
#include <memory>

#include "http/json_io.h"

namespace bf::http {
namespace {

boost::json::array StringArray(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

boost::json::value RefOrNull(const UserRef& ref) {
  if (ref.id.empty()) return nullptr;
  return boost::json::object{{"id", ref.id}, {"name", ref.name}};
}

boost::json::value DateOrNull(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return boost::json::string(FormatIsoDate(*d));
}

boost::json::value TextOrNull(const std::string& s) {
  if (s.empty()) return nullptr;
  return boost::json::string(s);
}

boost::json::array MediaJson(const std::vector<MediaRef>& media) {
  boost::json::array out;
  for (const MediaRef& m : media) {
    out.push_back(boost::json::object{{"id", m.id},
                                      {"filename", m.filename},
                                      {"content_type", m.content_type},
                                      {"size", m.size}});
  }
  return out;
}

}  // namespace

boost::json::object UserJson(const User& user) {
  return {
      {"id", user.id},
      {"email", user.email},
      {"name", user.name},
      {"status", user.status == UserStatus::kActive ? "active" : "deactivated"},
      {"permission_set", {{"id", user.permission_set_id}, {"name", user.permission_set_name}}},
      {"permissions", StringArray(user.permissions.Names())},
      {"created_at", FormatTimestamp(user.created_at)},
      {"updated_at", FormatTimestamp(user.updated_at)},
  };
}

boost::json::object PermissionSetJson(const PermissionSet& set) {
  return {
      {"id", set.id},
      {"name", set.name},
      {"permissions", StringArray(set.permissions.Names())},
      {"builtin", set.builtin},
      {"created_at", FormatTimestamp(set.created_at)},
      {"updated_at", FormatTimestamp(set.updated_at)},
  };
}

boost::json::object OrganizationJson(const Organization& org) {
  return {
      {"id", org.id},
      {"name", org.name},
      {"timezone", org.timezone},
      {"date_format", DateFormatName(org.date_format)},
      {"created_at", FormatTimestamp(org.created_at)},
      {"updated_at", FormatTimestamp(org.updated_at)},
  };
}

boost::json::object SettingsJson(const CredentialSettings& s) {
  return {
      {"media_required", s.media_required},
      {"approvals_required", s.approvals_required},
      {"expiring_soon_days", s.expiring_soon_days},
  };
}

boost::json::object CredentialTypeJson(const CredentialType& type) {
  boost::json::value days = nullptr;
  if (type.reminder_days) {
    boost::json::array a;
    for (int d : *type.reminder_days) a.emplace_back(d);
    days = std::move(a);
  }
  return {
      {"id", type.id},
      {"name", type.name},
      {"description", type.description},
      {"expires", type.expires},
      {"reminder_days", std::move(days)},
      {"credential_count", type.credential_count},
      {"created_at", FormatTimestamp(type.created_at)},
      {"updated_at", FormatTimestamp(type.updated_at)},
  };
}

boost::json::object TokenJson(const ApiToken& token) {
  return {
      {"id", token.id},
      {"name", token.name},
      {"created_at", FormatTimestamp(token.created_at)},
  };
}

boost::json::object CredentialJson(const CredentialView& view) {
  const Credential& c = view.credential;
  const CredentialVersion& v = c.latest;
  return {
      {"id", c.id},
      {"user", {{"id", c.user.id}, {"name", c.user.name}, {"email", c.user.email}}},
      {"type", {{"id", c.type_id}, {"name", c.type_name}}},
      {"archived", c.archived},
      {"version", v.version},
      {"issue_date", FormatIsoDate(v.issue_date)},
      {"expiry_date", DateOrNull(v.expiry_date)},
      {"credential_number", TextOrNull(v.credential_number)},
      {"expiry_status", ExpiryStatusName(view.expiry_status)},
      {"approval_status", ApprovalStatusName(v.approval_status)},
      {"rejection_reason", OrNull(v.rejection_reason)},
      {"compliant", IsCompliant(c.archived, v.approval_status, view.expiry_status)},
      {"media", MediaJson(v.media)},
      {"created_at", FormatTimestamp(c.created_at)},
      {"created_by", RefOrNull(c.created_by)},
      {"updated_at", FormatTimestamp(c.updated_at)},
      {"updated_by", RefOrNull(c.updated_by)},
  };
}

boost::json::object VersionJson(const CredentialVersion& v) {
  boost::json::value approved_at = nullptr;
  if (v.approved_at) approved_at = FormatTimestamp(*v.approved_at);
  return {
      {"version", v.version},
      {"issue_date", FormatIsoDate(v.issue_date)},
      {"expiry_date", DateOrNull(v.expiry_date)},
      {"credential_number", TextOrNull(v.credential_number)},
      {"media", MediaJson(v.media)},
      {"approval_status", ApprovalStatusName(v.approval_status)},
      {"rejection_reason", OrNull(v.rejection_reason)},
      {"approved_by", RefOrNull(v.approved_by)},
      {"approved_at", std::move(approved_at)},
      {"created_at", FormatTimestamp(v.created_at)},
      {"created_by", RefOrNull(v.created_by)},
      {"updated_at", FormatTimestamp(v.updated_at)},
      {"updated_by", RefOrNull(v.updated_by)},
  };
}

boost::json::object VersionChangeJson(const VersionChange& c) {
  return {
      {"at", FormatTimestamp(c.at)},
      {"actor", RefOrNull(UserRef{c.actor_id, c.actor_name, ""})},
      {"field", c.change.field},
      {"old", OrNull(c.change.old_value)},
      {"new", OrNull(c.change.new_value)},
  };
}

boost::json::object NotificationJson(const Notification& n) {
  boost::json::value read_at = nullptr;
  if (n.read_at) read_at = FormatTimestamp(*n.read_at);
  return {
      {"id", n.id},
      {"kind", n.kind},
      {"credential_id", TextOrNull(n.credential_id)},
      {"title", n.title},
      {"body", n.body},
      {"created_at", FormatTimestamp(n.created_at)},
      {"read_at", std::move(read_at)},
  };
}

boost::json::object ActivityJson(const Activity& a) {
  boost::json::array changes;
  for (const Change& c : a.changes) {
    changes.push_back(boost::json::object{
        {"field", c.field}, {"old", OrNull(c.old_value)}, {"new", OrNull(c.new_value)}});
  }
  boost::json::value version = nullptr;
  if (a.version > 0) version = a.version;
  return {
      {"id", a.id},
      {"at", FormatTimestamp(a.at)},
      {"actor", RefOrNull(UserRef{a.actor_id, a.actor_name, ""})},
      {"action", a.action},
      {"entity", a.entity},
      {"entity_id", a.entity_id},
      {"subject_user", RefOrNull(UserRef{a.subject_user_id, a.subject_user_name, ""})},
      {"credential_id", TextOrNull(a.credential_id)},
      {"version", std::move(version)},
      {"changes", std::move(changes)},
  };
}

namespace {

// JSON text as boost::json::serialize writes it, at `p`, which has room for
// RoomWriter::StringRoom(s) bytes: '"' and '\\' escaped, the control characters as \b \t \n \f
// \r or \u00xx (lower-case hex), every other byte as it is. Returns the end.
// True when one of the eight bytes of `w` is a control character, '"' or '\\' (the classic
// SWAR tests for a byte below n and for a zero byte of w ^ c: exact as to whether any is).
bool NeedsEscape8(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  return (((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) |
          ((backslash - kOnes) & ~backslash)) &
         kHigh;
}

char* PutJsonString(char* p, std::string_view s) {
  *p++ = '"';
  const char* in = s.data();
  const char* const end = in + s.size();
  while (in != end) {
    // Eight plain bytes at a time: ids, names and dates rarely have one to escape.
    if (end - in >= 8) {
      uint64_t w;
      std::memcpy(&w, in, 8);
      if (!NeedsEscape8(w)) {
        std::memcpy(p, &w, 8);
        p += 8;
        in += 8;
        continue;
      }
    }
    const char c = *in++;
    const auto ch = static_cast<unsigned char>(c);
    if (ch >= 0x20 && ch != '"' && ch != '\\') {
      *p++ = c;
      continue;
    }
    *p++ = '\\';
    switch (ch) {
      case '"':
      case '\\':
        *p++ = c;
        break;
      case '\b':
        *p++ = 'b';
        break;
      case '\t':
        *p++ = 't';
        break;
      case '\n':
        *p++ = 'n';
        break;
      case '\f':
        *p++ = 'f';
        break;
      case '\r':
        *p++ = 'r';
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        *p++ = 'u';
        *p++ = '0';
        *p++ = '0';
        *p++ = kHex[ch >> 4];
        *p++ = kHex[ch & 15];
      }
    }
  }
  *p++ = '"';
  return p;
}

// `width` digits of `n` (0 <= n < 10^width) at `p`.
char* PutDigits(char* p, unsigned n, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
  return p + width;
}

// Room for PutDate: "YYYY-MM-DD" in quotes, or FormatIsoDate's text of a year beyond 0-9999
// (at most "-32768-12-31", the library's range).
constexpr size_t kDateRoom = 24;

// "YYYY-MM-DD" as FormatIsoDate writes it, in quotes, without its snprintf (years 0-9999;
// others through FormatIsoDate). Returns the end.
char* PutDate(char* p, Date d) {
  const date::year_month_day ymd(d);
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) return PutJsonString(p, FormatIsoDate(d));
  *p++ = '"';
  p = PutDigits(p, static_cast<unsigned>(year), 4);
  *p++ = '-';
  p = PutDigits(p, static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  p = PutDigits(p, static_cast<unsigned>(ymd.day()), 2);
  *p++ = '"';
  return p;
}

// Room for PutTimestamp: 26 bytes, or FormatTimestamp's text of a year beyond 0-9999 (a
// millisecond count reaches years of nine digits: about 32 bytes).
constexpr size_t kTimestampRoom = 64;

// As FormatTimestamp writes it: "YYYY-MM-DDTHH:MM:SS.mmmZ", in quotes. Returns the end.
char* PutTimestamp(char* p, Timestamp t) {
  const Date day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) return PutJsonString(p, FormatTimestamp(t));
  const date::hh_mm_ss<Millis> time(t - day);
  *p++ = '"';
  p = PutDigits(p, static_cast<unsigned>(year), 4);
  *p++ = '-';
  p = PutDigits(p, static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  p = PutDigits(p, static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  p = PutDigits(p, static_cast<unsigned>(time.hours().count()), 2);
  *p++ = ':';
  p = PutDigits(p, static_cast<unsigned>(time.minutes().count()), 2);
  *p++ = ':';
  p = PutDigits(p, static_cast<unsigned>(time.seconds().count()), 2);
  *p++ = '.';
  p = PutDigits(p, static_cast<unsigned>(time.subseconds().count()), 3);
  *p++ = 'Z';
  *p++ = '"';
  return p;
}

// Room for a RoomWriter: one buffer a thread, never zeroed. Room made in `out` itself
// (std::string::resize) is zeroed first, and the room is several times the text (six bytes a
// string byte): that memset was 5.5% of the instructions of a user's list (callgrind).
class ScratchRoom {
 public:
  // A buffer of at least `room` bytes, until Release. One writer a thread at a time.
  static char* Take(size_t room) {
    Buffer& b = buffer_;
    assert(!b.taken && "RoomWriters on one thread may not overlap");
    b.taken = true;
    if (room > b.size) {
      b.data.reset(new char[room]);  // default-initialised: not zeroed
      b.size = room;
    }
    return b.data.get();
  }
  static void Release() {
    Buffer& b = buffer_;
    b.taken = false;
    if (b.size > kKeptBytes) {  // a rare large answer does not stay with the thread
      b.data.reset();
      b.size = 0;
    }
  }

 private:
  static constexpr size_t kKeptBytes = 256 * 1024;
  struct Buffer {
    std::unique_ptr<char[]> data;
    size_t size = 0;
    bool taken = false;
  };
  static thread_local Buffer buffer_;
};
thread_local ScratchRoom::Buffer ScratchRoom::buffer_;

// Text written through a raw pointer into room made up front (ScratchRoom), then appended to
// `out` as written: each piece is a copy, without the capacity check and call of a std::string
// append. Nothing else may write through a RoomWriter on this thread while one lives.
class RoomWriter {
 public:
  RoomWriter(std::string& out, size_t room)
      : out_(out), start_(ScratchRoom::Take(room)), p_(start_) {}
  ~RoomWriter() {
    out_.append(start_, static_cast<size_t>(p_ - start_));
    ScratchRoom::Release();
  }
  RoomWriter(const RoomWriter&) = delete;
  RoomWriter& operator=(const RoomWriter&) = delete;

  static constexpr size_t kIntRoom = 20;  // "-9223372036854775808"
  // Room for PutJsonString's text of `s`: six bytes a byte at most (\u00xx), and the quotes.
  // Making room a little larger costs less than counting the escapes first (callgrind: +2% a
  // list page, +7% a summary).
  static size_t StringRoom(std::string_view s) { return 6 * s.size() + 2; }

  template <size_t N>
  void Literal(const char (&text)[N]) {
    std::memcpy(p_, text, N - 1);
    p_ += N - 1;
  }
  void Int(int64_t n) { p_ = std::to_chars(p_, p_ + kIntRoom, n).ptr; }
  void Bool(bool b) {
    if (b) {
      Literal("true");
    } else {
      Literal("false");
    }
  }
  void String(std::string_view s) { p_ = PutJsonString(p_, s); }
  void Date(bf::Date d) { p_ = PutDate(p_, d); }                 // room: kDateRoom
  void Timestamp(bf::Timestamp t) { p_ = PutTimestamp(p_, t); }  // room: kTimestampRoom

 private:
  std::string& out_;
  char* const start_;
  char* p_;
};

void AppendJsonString(std::string& out, std::string_view s) {
  RoomWriter(out, RoomWriter::StringRoom(s)).String(s);
}

// The text, or null without one (as OrNull and TextOrNull).
void AppendStringOrNull(std::string& out, std::optional<std::string_view> text) {
  if (text) {
    AppendJsonString(out, *text);
  } else {
    out += "null";
  }
}

// As RefOrNull: null without an id, else {"id":…,"name":…}. Room: RefRoom.
void PutRefOrNull(RoomWriter& w, const UserRef& ref) {
  if (ref.id.empty()) {
    w.Literal("null");
    return;
  }
  w.Literal("{\"id\":");
  w.String(ref.id);
  w.Literal(",\"name\":");
  w.String(ref.name);
  w.Literal("}");
}
size_t RefRoom(const UserRef& ref) {
  return 16 + RoomWriter::StringRoom(ref.id) + RoomWriter::StringRoom(ref.name);
}

// The text, or null without one (as OrNull and TextOrNull). Room: StringRoom.
void PutStringOrNull(RoomWriter& w, std::optional<std::string_view> text) {
  if (text) {
    w.String(*text);
  } else {
    w.Literal("null");
  }
}

// Room for a credential's text: its strings, dates, timestamps and files, and 512 bytes for
// the names, the punctuation and the literals (about 360 of them).
size_t CredentialRoom(const CredentialView& view) {
  using W = RoomWriter;
  const Credential& c = view.credential;
  const CredentialVersion& v = c.latest;
  size_t room = 512 + W::StringRoom(c.id) + W::StringRoom(c.user.id) + W::StringRoom(c.user.name) +
                W::StringRoom(c.user.email) + W::StringRoom(c.type_id) +
                W::StringRoom(c.type_name) + W::kIntRoom + 2 * kDateRoom +
                W::StringRoom(v.credential_number) +
                W::StringRoom(ExpiryStatusName(view.expiry_status)) +
                W::StringRoom(ApprovalStatusName(v.approval_status)) +
                (v.rejection_reason ? W::StringRoom(*v.rejection_reason) : 0) + 2 * kTimestampRoom +
                RefRoom(c.created_by) + RefRoom(c.updated_by);
  for (const MediaRef& m : v.media) {
    room += 64 + W::StringRoom(m.id) + W::StringRoom(m.filename) + W::StringRoom(m.content_type) +
            W::kIntRoom;
  }
  return room;
}

}  // namespace

void AppendCredentialJson(std::string& out, const CredentialView& view) {
  const Credential& c = view.credential;
  const CredentialVersion& v = c.latest;
  RoomWriter w(out, CredentialRoom(view));
  w.Literal("{\"id\":");
  w.String(c.id);
  w.Literal(",\"user\":{\"id\":");
  w.String(c.user.id);
  w.Literal(",\"name\":");
  w.String(c.user.name);
  w.Literal(",\"email\":");
  w.String(c.user.email);
  w.Literal("},\"type\":{\"id\":");
  w.String(c.type_id);
  w.Literal(",\"name\":");
  w.String(c.type_name);
  w.Literal("},\"archived\":");
  w.Bool(c.archived);
  w.Literal(",\"version\":");
  w.Int(v.version);
  w.Literal(",\"issue_date\":");
  w.Date(v.issue_date);
  w.Literal(",\"expiry_date\":");
  if (v.expiry_date) {
    w.Date(*v.expiry_date);
  } else {
    w.Literal("null");
  }
  w.Literal(",\"credential_number\":");
  PutStringOrNull(w, v.credential_number.empty()
                         ? std::nullopt
                         : std::optional<std::string_view>(v.credential_number));
  w.Literal(",\"expiry_status\":");
  w.String(ExpiryStatusName(view.expiry_status));
  w.Literal(",\"approval_status\":");
  w.String(ApprovalStatusName(v.approval_status));
  w.Literal(",\"rejection_reason\":");
  PutStringOrNull(
      w, v.rejection_reason ? std::optional<std::string_view>(*v.rejection_reason) : std::nullopt);
  w.Literal(",\"compliant\":");
  w.Bool(IsCompliant(c.archived, v.approval_status, view.expiry_status));
  w.Literal(",\"media\":[");
  for (size_t i = 0; i < v.media.size(); ++i) {
    const MediaRef& m = v.media[i];
    if (i > 0) w.Literal(",");
    w.Literal("{\"id\":");
    w.String(m.id);
    w.Literal(",\"filename\":");
    w.String(m.filename);
    w.Literal(",\"content_type\":");
    w.String(m.content_type);
    w.Literal(",\"size\":");
    w.Int(m.size);
    w.Literal("}");
  }
  w.Literal("],\"created_at\":");
  w.Timestamp(c.created_at);
  w.Literal(",\"created_by\":");
  PutRefOrNull(w, c.created_by);
  w.Literal(",\"updated_at\":");
  w.Timestamp(c.updated_at);
  w.Literal(",\"updated_by\":");
  PutRefOrNull(w, c.updated_by);
  w.Literal("}");
}

std::string CredentialPageJson(const std::vector<CredentialView>& items,
                               const std::string& next_cursor) {
  std::string out;
  out.reserve(64 + items.size() * 700);  // a credential without files is 600-700 bytes
  out += "{\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    AppendCredentialJson(out, items[i]);
  }
  out += "],\"next_cursor\":";
  AppendStringOrNull(
      out, next_cursor.empty() ? std::nullopt : std::optional<std::string_view>(next_cursor));
  out += '}';
  return out;
}

namespace {

// Room for the counts: seven names (90 bytes with their quotes, colons and commas), seven
// numbers.
constexpr size_t kCountsRoom = 90 + 7 * RoomWriter::kIntRoom;

void PutCounts(RoomWriter& w, const StatusCounts& c) {
  w.Literal("\"total\":");
  w.Int(c.total);
  w.Literal(",\"valid\":");
  w.Int(c.valid);
  w.Literal(",\"expiring_soon\":");
  w.Int(c.expiring_soon);
  w.Literal(",\"expired\":");
  w.Int(c.expired);
  w.Literal(",\"no_expiry\":");
  w.Int(c.no_expiry);
  w.Literal(",\"pending_approval\":");
  w.Int(c.pending_approval);
  w.Literal(",\"rejected\":");
  w.Int(c.rejected);
}

}  // namespace

// Through a RoomWriter: with appends to a std::string this was 71,000 instructions for 30 types
// (callgrind), a third of a summary answered from the cache.
std::string SummaryJson(const CredentialSummary& summary) {
  size_t room = 16 + kCountsRoom;
  for (const TypeCounts& t : summary.by_type) {
    room +=
        32 + kCountsRoom + RoomWriter::StringRoom(t.type_id) + RoomWriter::StringRoom(t.type_name);
  }
  std::string out;
  {
    RoomWriter w(out, room);
    w.Literal("{");
    PutCounts(w, summary.all);
    w.Literal(",\"by_type\":[");
    for (size_t i = 0; i < summary.by_type.size(); ++i) {
      const TypeCounts& t = summary.by_type[i];
      if (i > 0) w.Literal(",");
      w.Literal("{");
      PutCounts(w, t.counts);
      w.Literal(",\"type\":{\"id\":");
      w.String(t.type_id);
      w.Literal(",\"name\":");
      w.String(t.type_name);
      w.Literal("}}");
    }
    w.Literal("]}");
  }
  return out;
}

boost::json::object Page(boost::json::array items, const std::string& next_cursor) {
  boost::json::object out;
  out["items"] = std::move(items);
  out["next_cursor"] =
      next_cursor.empty() ? boost::json::value(nullptr) : boost::json::value(next_cursor);
  return out;
}

}  // namespace bf::http
